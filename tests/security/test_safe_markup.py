"""Every place that switches Django's autoescaping off says why, right next to it
(issue 7, item 6).

Trusted markup is where cross-site scripting gets in. The uses found here:

- Python: `mark_safe`, `SafeString`/`SafeText`, `@html_safe`, an `__html__` method,
  and `format_html`/`format_html_join` whose format string is not a literal or that
  have nothing to format (then nothing is escaped: `mark_safe` in disguise);
- templates: the filters `safe` and `safeseq` (also inside `{% filter %}`) and
  `{% autoescape off %}`.

Each needs a reason on its own line, or alone on the line before: `# safe: <reason>`
in Python, `{# safe: <reason> #}` in a template. A use without one fails
`test_every_trusted_markup_has_a_reason`, which lists them. The packages scanned are
the ones pyproject.toml ships, the templates those in `templates/` and in any
`templates/` folder inside those packages.
"""

import ast
import io
import re
import tokenize
import tomllib
from pathlib import Path
from typing import NamedTuple

import pytest

ROOT = Path(__file__).resolve().parents[2]

TRUSTING_NAMES = frozenset({"mark_safe", "SafeString", "SafeText", "html_safe"})
PY_REASON = re.compile(r"#\s*safe:\s*\S")
TEMPLATE_REASON = re.compile(r"\{#\s*safe:\s*[^#\s][^#]*#\}")
TEMPLATE_COMMENT = re.compile(r"\{#.*?#\}")
TEMPLATE_USE = re.compile(
    r"\|\s*safe(?:seq)?\b"
    r"|\{%-?\s*autoescape\s+off\s*-?%\}"
    r"|\{%-?\s*filter\s[^%]*\bsafe(?:seq)?\b"
)


class Use(NamedTuple):
    path: str
    line: int
    text: str
    has_reason: bool

    def __str__(self):
        return f"{self.path}:{self.line}: {self.text}"


def project_packages(root: Path = ROOT) -> list[Path]:
    """The packages pyproject.toml ships (one list, not a copy of it here)."""
    with open(root / "pyproject.toml", "rb") as file:
        include = tomllib.load(file)["tool"]["setuptools"]["packages"]["find"]["include"]
    return [root / pattern.rstrip("*") for pattern in include]


def template_files(root: Path = ROOT) -> list[Path]:
    folders = [root / "templates"]
    for package in project_packages(root):
        folders += package.glob("**/templates")
    return sorted(path for folder in folders for path in folder.rglob("*") if path.is_file())


def python_files(root: Path = ROOT) -> list[Path]:
    return sorted(path for package in project_packages(root) for path in package.rglob("*.py"))


def _is_literal_string(node: ast.expr) -> bool:
    return isinstance(node, ast.Constant) and isinstance(node.value, str)


def _called_name(node: ast.Call) -> str | None:
    if isinstance(node.func, ast.Name):
        return node.func.id
    if isinstance(node.func, ast.Attribute):
        return node.func.attr
    return None


def _trusting_lines(tree: ast.AST) -> set[int]:
    """Lines where markup is trusted as is."""
    lines = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and node.id in TRUSTING_NAMES:
            lines.add(node.lineno)
        elif isinstance(node, ast.Attribute) and node.attr in TRUSTING_NAMES:
            lines.add(node.lineno)
        elif isinstance(node, ast.ImportFrom):
            # A renamed import would hide every use under another name.
            if any(alias.name in TRUSTING_NAMES and alias.asname for alias in node.names):
                lines.add(node.lineno)
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            if node.name == "__html__":
                lines.add(node.lineno)
        elif isinstance(node, ast.Call):
            name = _called_name(node)
            if name == "format_html":
                if not node.args or not _is_literal_string(node.args[0]):
                    lines.add(node.lineno)
                elif len(node.args) == 1 and not node.keywords:
                    lines.add(node.lineno)
            elif name == "format_html_join":
                if len(node.args) < 2 or not _is_literal_string(node.args[1]):
                    lines.add(node.lineno)
    return lines


def python_uses(path: Path, root: Path = ROOT) -> list[Use]:
    source = path.read_text(encoding="utf-8")
    comments = {
        token.start[0]: token.string
        for token in tokenize.generate_tokens(io.StringIO(source).readline)
        if token.type == tokenize.COMMENT
    }
    source_lines = source.splitlines()
    uses = []
    for number in sorted(_trusting_lines(ast.parse(source, filename=str(path)))):
        text = source_lines[number - 1].strip()
        before = source_lines[number - 2].strip() if number > 1 else ""
        # The line before counts only as a comment of its own, not as another
        # statement's trailing comment.
        reason = bool(
            PY_REASON.search(comments.get(number, ""))
            or (before.startswith("#") and PY_REASON.match(before))
        )
        uses.append(Use(str(path.relative_to(root)), number, text, reason))
    return uses


def template_uses(path: Path, root: Path = ROOT) -> list[Use]:
    lines = path.read_text(encoding="utf-8").splitlines()
    uses = []
    for index, line in enumerate(lines):
        if TEMPLATE_USE.search(TEMPLATE_COMMENT.sub("", line)):
            before = lines[index - 1].strip() if index else ""
            reason = bool(TEMPLATE_REASON.search(line) or TEMPLATE_REASON.fullmatch(before))
            uses.append(Use(str(path.relative_to(root)), index + 1, line.strip(), reason))
    return uses


def all_uses(root: Path = ROOT) -> list[Use]:
    uses = [use for path in python_files(root) for use in python_uses(path, root)]
    return uses + [use for path in template_files(root) for use in template_uses(path, root)]


def test_every_trusted_markup_has_a_reason():
    unexplained = [use for use in all_uses() if not use.has_reason]
    if unexplained:
        pytest.fail(
            "Autoescaping switched off without a reason next to it (add `# safe: ...` "
            "or `{# safe: ... #}` on the line, or alone on the line before):\n"
            + "\n".join(map(str, unexplained)),
            pytrace=False,
        )


def test_the_scan_sees_the_known_uses():
    """The scan is not looking in the wrong place: the forum post body, the
    sanitised HTML every visitor sees, is one of the uses it finds."""
    found = {(use.path, use.text) for use in all_uses()}
    assert any(
        path == "templates/forum/includes/post.html" and "item.post.body_html|safe" in text
        for path, text in found
    )


def _project(tmp_path: Path, python: str, template: str) -> Path:
    (tmp_path / "pyproject.toml").write_text(
        '[tool.setuptools.packages.find]\ninclude = ["app*"]\n', encoding="utf-8"
    )
    (tmp_path / "app" / "templates").mkdir(parents=True)
    (tmp_path / "app" / "views.py").write_text(python, encoding="utf-8")
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "page.html").write_text(template, encoding="utf-8")
    return tmp_path


def test_the_scan_finds_each_kind_of_use_and_its_reason(tmp_path):
    python = (
        "from django.utils.html import format_html, format_html_join\n"
        "from django.utils.safestring import SafeString, mark_safe\n"
        "from django.utils.safestring import mark_safe as trusted\n"
        "a = mark_safe(x)\n"
        "# safe: the constant below holds no user text\n"
        "b = mark_safe('<br>')\n"
        "c = SafeString(x)  # safe: built from escaped parts only\n"
        "d = format_html(f'<b>{x}</b>')\n"
        "e = format_html('<b>{}</b>', x)\n"
        "f = format_html('<br>')\n"
        "g = format_html_join('', template, rows)\n"
        "class Badge:\n"
        "    def __html__(self):\n"
        "        return ''\n"
        "'a docstring that says mark_safe is not a use'\n"
    )
    template = (
        "{{ a|safe }}\n"
        "{# safe: sanitised by cop_platform.sanitize #}\n"
        "{{ b|safe }}\n"
        "{{ c|safeseq|join:', ' }}{# safe: names escaped in the view #}\n"
        "{% autoescape off %}{{ d }}{% endautoescape %}\n"
        "{% filter safe %}{{ e }}{% endfilter %}\n"
        "{# a comment about |safe is not a use #}{{ f|safe_join }}\n"
        "{# safe: #}{{ g|safe }}\n"
    )
    root = _project(tmp_path, python, template)

    found = {(use.path, use.line): use.has_reason for use in all_uses(root)}

    assert found == {
        ("app/views.py", 3): False,  # renamed import
        ("app/views.py", 4): False,
        ("app/views.py", 6): True,
        ("app/views.py", 7): True,
        ("app/views.py", 8): False,  # f-string: nothing is escaped
        ("app/views.py", 10): False,  # nothing to format
        ("app/views.py", 11): False,  # format string not a literal
        ("app/views.py", 13): False,
        ("templates/page.html", 1): False,
        ("templates/page.html", 3): True,
        ("templates/page.html", 4): True,
        ("templates/page.html", 5): False,
        ("templates/page.html", 6): False,
        ("templates/page.html", 8): False,  # a reason must say something
    }
