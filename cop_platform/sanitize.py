"""The one place where user-written text becomes HTML.

Nothing else in the code base imports bleach or Markdown. Templates may mark
output `|safe` only when it came out of `markdown_to_html` or `plain_to_html`.

The output is safe in an HTML *body* context only: never put it in an
attribute, a <script>, JSON or an e-mail header.
"""

import html as html_lib
import re
import secrets
from functools import partial

import bleach
import markdown
from bleach.linkifier import LinkifyFilter

ALLOWED_TAGS = frozenset(
    {
        "a", "abbr", "b", "blockquote", "br", "code", "em", "h3", "h4", "hr", "i",
        "li", "ol", "p", "pre", "strong", "ul",
    }
)  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": ["href", "title", "rel"], "abbr": ["title"]}
ALLOWED_PROTOCOLS = frozenset({"http", "https", "mailto"})
LINK_REL = "nofollow ugc noopener"
_URL_SCHEME = re.compile(r"^([a-z][a-z0-9+.-]*):", re.IGNORECASE)

# Longest text we render; beyond this Markdown's cost grows and no real post needs it.
MAX_SOURCE_LENGTH = 50_000


def _allow_attribute(tag: str, name: str, value: str) -> bool:
    """The attribute allow-list, plus a scheme check on links as a browser reads them.

    bleach asks urllib which scheme a link has, and urllib reads "javascript:123"
    as a host and port without a scheme, so bleach would keep it as a relative
    link. Browsers ignore whitespace and control characters in a scheme.
    """
    if name not in ALLOWED_ATTRIBUTES.get(tag, ()):
        return False
    if name == "href":
        compact = "".join(ch for ch in value if ch.isprintable() and not ch.isspace())
        scheme = _URL_SCHEME.match(compact)
        if scheme and scheme.group(1).lower() not in ALLOWED_PROTOCOLS:
            return False
    return True


def _set_rel(attrs, new=False):
    """Every link gets rel="nofollow ugc noopener" (bleach's callback adds only nofollow)."""
    attrs[(None, "rel")] = LINK_REL
    return attrs


_cleaner = bleach.Cleaner(
    tags=ALLOWED_TAGS,
    attributes=_allow_attribute,
    protocols=ALLOWED_PROTOCOLS,
    strip=True,
    strip_comments=True,
    filters=[partial(LinkifyFilter, callbacks=[_set_rel], skip_tags={"pre", "code"})],
)


def clean_html(html: str) -> str:
    """Reduce arbitrary HTML to the allow-list. Idempotent."""
    return _cleaner.clean(html or "")


def markdown_to_html(source: str) -> str:
    """Render user Markdown to safe HTML. Raw HTML in the source is escaped, not kept."""
    source = (source or "")[:MAX_SOURCE_LENGTH]
    md = markdown.Markdown(extensions=["sane_lists", "nl2br"], output_format="html")
    # Without these two processors Markdown treats raw HTML as text (escaped),
    # so nothing the user typed as markup survives; bleach then enforces the
    # allow-list on Markdown's own output.
    md.preprocessors.deregister("html_block")
    md.inlinePatterns.deregister("html")
    return clean_html(md.convert(source))


def plain_to_html(text: str) -> str:
    """Render plain text (line breaks kept, URLs linked) to safe HTML."""
    text = (text or "")[:MAX_SOURCE_LENGTH]
    escaped = bleach.clean(text, tags=set(), strip=False)
    paragraphs = [p.strip() for p in escaped.replace("\r\n", "\n").split("\n\n") if p.strip()]
    html = "".join("<p>" + p.replace("\n", "<br>") + "</p>" for p in paragraphs)
    return clean_html(html)


def clean_text(text: str) -> str:
    """Normalise a plain-text field before storing it: no control characters, trimmed."""
    text = text or ""
    return "".join(ch for ch in text if ch in "\n\t" or ch.isprintable()).strip()


def one_line(text: str) -> str:
    """Normalise a one-line field (display names, titles, organisation names,
    themes) before storing it: line breaks, tabs and every other character that
    does not print (control, separator and format characters) become a space,
    runs of spaces one, trimmed. The one cleaner for every form, service and
    Wagtail admin form that takes such a field."""
    text = "".join(ch if ch.isprintable() else " " for ch in (text or ""))
    return " ".join(text.split())


_TAG_OR_TEXT = re.compile(r"(<[^>]*>)")
_NO_MENTION_INSIDE = frozenset({"a", "code", "pre"})


def mentioned_names(source: str, names) -> set[str]:
    """Which of `names` the text mentions as "@name" (case-insensitive, whole names)."""
    found = set()
    lowered = (source or "").lower()
    if "@" not in lowered:
        return found
    for name in names:
        # A plain substring test first: a community may have hundreds of members,
        # and most posts mention none of them.
        if not name or "@" + name.lower() not in lowered:
            continue
        pattern = r"(?<![\w@])@" + re.escape(name.lower()) + r"(?!\w)"
        if re.search(pattern, lowered):
            found.add(name)
    return found


def markdown_with_mentions(source: str, mapping: dict[str, str]) -> str:
    """`markdown_to_html(source)` with every "@name" of `mapping` (name → site path)
    linked to its path, the link covering the whole name as it was typed.

    A display name may hold Markdown's own characters ("*Anna* de _Vries_",
    "Jan__Bakker", "Anne <b>"), which Markdown would turn into emphasis and so split
    the name. So each mention is swapped for an inert placeholder (letters and
    digits with a random part nobody can type in advance) before Markdown runs, and
    replaced after: by a link in running text; by the name as plain text inside
    links, code and preformatted blocks. The links are built here from the mapping
    (never from the text), and the result goes through the cleaner again, so it
    stays within the allow-list."""
    if not mapping:
        return markdown_to_html(source)
    # Longest first, so "@Anna de Vries" wins over "@Anna".
    names = sorted(mapping, key=len, reverse=True)
    pattern = re.compile(
        r"(?<![\w@])@(" + "|".join(re.escape(name) for name in names) + r")(?!\w)", re.IGNORECASE
    )
    lookup = {name.lower(): name for name in names}
    typed: list[str] = []
    nonce = secrets.token_hex(8)

    def hold(match) -> str:
        typed.append(match.group(1))
        return f"@mention{nonce}n{len(typed) - 1}x"

    html = markdown_to_html(pattern.sub(hold, (source or "")[:MAX_SOURCE_LENGTH]))
    placeholder = re.compile(rf"@mention{nonce}n(\d+)x")

    def as_text(match) -> str:
        return "@" + html_lib.escape(typed[int(match.group(1))], quote=False)

    def as_link(match) -> str:
        name = typed[int(match.group(1))]
        path = mapping[lookup[name.lower()]]
        href = bleach.clean(path, tags=set(), strip=True).replace('"', "&quot;")
        return f'<a href="{href}" rel="{LINK_REL}">{as_text(match)}</a>'

    depth = 0
    out = []
    for part in _TAG_OR_TEXT.split(html):
        if part.startswith("<"):
            match = re.match(r"<(/?)([a-zA-Z0-9]+)", part)
            if match and match.group(2).lower() in _NO_MENTION_INSIDE:
                depth += -1 if match.group(1) else 1
            # A placeholder in an attribute (a link's title) reads as the name.
            out.append(
                placeholder.sub(
                    lambda m: "@" + html_lib.escape(typed[int(m.group(1))], quote=True), part
                )
            )
        else:
            out.append(placeholder.sub(as_text if depth > 0 else as_link, part))
    return clean_html("".join(out))
