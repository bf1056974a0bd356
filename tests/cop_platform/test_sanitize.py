"""User text → HTML (`cop_platform.sanitize`): what a reader's browser receives must
never run script, and cleaning twice must change nothing."""

import json
from functools import cache
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup

from cop_platform.sanitize import (
    ALLOWED_ATTRIBUTES,
    ALLOWED_PROTOCOLS,
    ALLOWED_TAGS,
    LINK_REL,
    clean_html,
    markdown_to_html,
    plain_to_html,
)

pytestmark = pytest.mark.filterwarnings("ignore::bs4.MarkupResemblesLocatorWarning")

# The hostile-HTML corpus is test data of the repository (tests/data/xss/SOURCES.md
# names where each payload comes from and under which licence).
PAYLOADS = Path(__file__).resolve().parents[1] / "data" / "xss" / "payloads.json"


@cache
def payloads() -> list[str]:
    assert PAYLOADS.exists(), f"XSS corpus missing at {PAYLOADS.resolve()}"
    return [entry["payload"] for entry in json.loads(PAYLOADS.read_text(encoding="utf-8"))]


def unsafe_parts(html: str) -> list[str]:
    """What in `html` falls outside the allow-list, as a browser-like parser sees it."""
    problems = []
    for tag in BeautifulSoup(html, "html.parser").find_all(True):
        if tag.name not in ALLOWED_TAGS:
            problems.append(f"<{tag.name}>")
        for attribute, value in tag.attrs.items():
            if attribute not in ALLOWED_ATTRIBUTES.get(tag.name, ()):
                problems.append(f"<{tag.name} {attribute}>")
            elif attribute == "href":
                # Browsers drop whitespace and control characters from a scheme.
                compact = "".join(ch for ch in value if ch.isprintable() and not ch.isspace())
                scheme = urlsplit(compact).scheme
                if scheme and scheme.lower() not in ALLOWED_PROTOCOLS:
                    problems.append(f"<a href={value!r}>")
    return problems


@pytest.mark.parametrize(
    "source",
    [
        "<script>alert(1)</script>",
        "Hallo <img src=x onerror=alert(1)> wereld",
        '<a href="#" onclick="alert(1)">klik</a>',
        "[klik](javascript:alert(1))",
        "[klik](JaVaScRiPt:alert(1))",
        "[klik](java\tscript:alert(1))",
        "[klik](javascript:123)",  # urllib reads this as host:port, without a scheme
        '<a href="javascript:123">klik</a>',
        '<svg onload="alert(1)"></svg>',
        "<style>body{display:none}</style>",
        "<iframe src=https://evil.example></iframe>",
        "![x](https://evil.example/x.png)",
    ],
)
def test_script_event_handlers_and_bad_links_are_removed(source):
    html = markdown_to_html(source) if not source.startswith("<a") else clean_html(source)

    assert unsafe_parts(html) == []
    assert "<script" not in html.lower()
    assert "javascript:" not in html.lower().replace("\t", "")


def test_raw_html_in_markdown_is_shown_as_text():
    html = markdown_to_html("Gebruik <b>vet</b> zo")

    assert "&lt;b&gt;vet&lt;/b&gt;" in html
    assert "<b>" not in html


def test_markdown_keeps_ordinary_formatting():
    html = markdown_to_html("**Leesplezier** in *de wijk*\n\n- een\n- twee")

    assert "<strong>Leesplezier</strong>" in html
    assert "<em>de wijk</em>" in html
    assert "<li>een</li>" in html


@pytest.mark.parametrize(
    "source",
    [
        "[Kennisbank](https://www.kb.nl/)",
        "Zie https://www.kb.nl/ voor meer.",
        '<a href="https://www.kb.nl/" rel="opener" target="_blank">KB</a>',
    ],
    ids=["markdown-link", "bare-url", "html-link"],
)
def test_links_get_nofollow_ugc_noopener(source):
    render = clean_html if source.startswith("<") else markdown_to_html

    links = BeautifulSoup(render(source), "html.parser").find_all("a")

    assert len(links) == 1
    assert links[0]["href"] == "https://www.kb.nl/"
    assert links[0]["rel"] == LINK_REL.split()
    assert "target" not in links[0].attrs


def test_plain_text_keeps_line_breaks_and_escapes_markup():
    html = plain_to_html("Eerste regel\ntweede <script>x</script>\n\nhttps://www.kb.nl/")

    assert html.startswith("<p>Eerste regel<br>tweede &lt;script&gt;")
    assert f'<a href="https://www.kb.nl/" rel="{LINK_REL}">' in html


def test_the_xss_corpus_never_survives_and_cleaning_is_idempotent():
    """Every payload of the shared corpus through every entry point: the output
    holds only allowed tags, attributes and link schemes, and cleaning it again
    changes nothing (so storing cleaned HTML and cleaning on output agree)."""
    failures = []
    for payload in payloads():
        for render in (clean_html, markdown_to_html, plain_to_html):
            html = render(payload)
            if problems := unsafe_parts(html):
                failures.append(f"{render.__name__}({payload!r}) → {problems}")
            if clean_html(html) != html:
                failures.append(f"{render.__name__}({payload!r}) is not stable under clean_html")
        once = clean_html(payload)
        if clean_html(once) != once:
            failures.append(f"clean_html not idempotent for {payload!r}")

    assert len(payloads()) > 2000
    assert not failures, f"{len(failures)} failures, first ones:\n" + "\n".join(failures[:10])
