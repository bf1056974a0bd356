"""The XSS corpus through the real services, then the stored HTML and the pages
that show it, read with an HTML parser: no event-handler attributes, no
script-capable URLs, no disallowed tags. The Atom feeds are XML whose summaries a
feed reader shows as HTML, and the e-mails stay plain text. (Idempotence of the
sanitizer for every payload is in test_sanitize.py.)"""

from urllib.parse import urlsplit
from xml.etree import ElementTree

import pytest
from bs4 import BeautifulSoup

from communities.forum.models import Post
from tests.browser import xss_support as xss
from tests.cop_platform.test_sanitize import payloads, unsafe_parts
from tests.views_support import default_language
from todo_lists.models import TodoComment, TodoItem, TodoProposal

pytestmark = pytest.mark.filterwarnings("ignore::bs4.MarkupResemblesLocatorWarning")

BAD_SCHEMES = ("javascript:", "data:", "vbscript:")
URL_ATTRIBUTES = ("href", "src", "action", "formaction", "xlink:href", "srcset", "poster")
# Tags no template of ours uses and no user text may bring.
NEVER_IN_A_PAGE = frozenset(
    {"iframe", "frame", "frameset", "object", "embed", "applet", "base", "xmp", "noembed"}
)


@pytest.fixture(autouse=True)
def _default_language():
    with default_language():
        yield


@pytest.fixture
def stored(communities):
    community = communities[0]
    coordinator = xss.person("Cor Coördinator", is_superuser=True, is_staff=True)
    membership = xss.membership_apply(actor=coordinator, community=community, haal="-", breng="-")
    xss.membership_accept(actor=coordinator, membership=membership)
    stored = xss.Stored()
    xss.store_forum(stored, actor=coordinator, community=community, titles=False)
    xss.store_memberships(stored, coordinator=coordinator, community=community)
    xss.store_todo(stored, actor=coordinator, community=community, titles=False)
    community.refresh_from_db()
    return {"community": community, "coordinator": coordinator, "stored": stored}


def is_our_script(tag) -> bool:
    """Our own static files (Wagtail's userbar writes them as //host/static/...), or
    a JSON data block, which browsers never run."""
    if tag.get("type") == "application/json" and "src" not in tag.attrs:
        return True
    url = urlsplit(str(tag.get("src", "")))
    return url.scheme == "" and url.netloc in ("", "testserver") and url.path.startswith("/static/")


def page_problems(html: str) -> list[str]:
    """What in a whole page could run script, as a parser sees it."""
    problems = []
    for tag in BeautifulSoup(html, "html.parser").find_all(True):
        if tag.name in NEVER_IN_A_PAGE:
            problems.append(f"<{tag.name}>")
        if tag.name == "script" and not is_our_script(tag):
            problems.append(f"<script {tag.attrs!r}>")
        for attribute, value in tag.attrs.items():
            if attribute.lower().startswith("on"):
                problems.append(f"<{tag.name} {attribute}>")
            if attribute.lower() in URL_ATTRIBUTES:
                compact = "".join(
                    ch for ch in str(value) if ch.isprintable() and not ch.isspace()
                ).lower()
                if compact.startswith(BAD_SCHEMES):
                    problems.append(f"<{tag.name} {attribute}={value!r}>")
    return problems


def test_stored_html_stays_within_the_allow_list(stored):
    fragments = {
        "post body": Post.objects.values_list("body_html", flat=True),
        "to-do description": TodoItem.objects.values_list("description_html", flat=True),
        "to-do comment": [comment.body_html for comment in TodoComment.objects.all()],
        "proposal description": [p.description_html for p in TodoProposal.objects.all()],
    }
    failures = [
        f"{name}: {problems}"
        for name, htmls in fragments.items()
        for html in htmls
        if (problems := unsafe_parts(html))
    ]

    assert Post.objects.count() >= 10
    assert TodoComment.objects.count() >= 90
    assert not failures, failures[:10]


def test_pages_showing_the_corpus_hold_no_script(client, stored):
    community, coordinator = stored["community"], stored["coordinator"]
    objects = stored["stored"].objects
    base = community.url
    thread = objects["thread"][0]
    paths = [
        (coordinator, base + f"forum/{thread.pk}/"),
        (coordinator, base + "moderatie/"),
        (coordinator, base + "leden/"),
        (coordinator, base + "te-doen/"),
        (coordinator, base + "te-doen/voorstellen/beoordelen/"),
        *((coordinator, base + f"te-doen/{item.pk}/") for item in objects["to-do description"]),
        *((coordinator, f"/mensen/{user.pk}/") for user in objects["display name"]),
        (objects["applicants"][0].user, base + "aanmelding/"),
        (objects["decline reason"][0].user, base + "aanmelding/"),
    ]
    failures = []
    for user, path in paths:
        client.force_login(user)
        response = client.get(path)
        assert response.status_code == 200, path
        if problems := page_problems(response.content.decode()):
            failures.append(f"{path}: {problems[:5]}")

    assert not failures, failures[:10]


ATOM = "{http://www.w3.org/2005/Atom}"


def test_feeds_are_atom_and_their_summaries_hold_no_script(client, stored):
    """Hostile to-do titles and descriptions in both feeds: served as Atom, well
    formed, every title exactly as stored, and the summaries, which Atom marks as
    HTML for the feed reader, within the allow-list."""
    community = stored["community"]
    titles = sorted(TodoItem.objects.filter(community=community).values_list("title", flat=True))
    for path in ("/te-doen/feed/", community.url + "te-doen/feed/"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert response["Content-Type"].startswith("application/atom+xml")
        entries = ElementTree.fromstring(response.content).findall(f"{ATOM}entry")
        assert sorted(entry.findtext(f"{ATOM}title") for entry in entries) == titles
        for entry in entries:
            summary = entry.find(f"{ATOM}summary")
            assert summary.get("type") == "html"
            assert not unsafe_parts(summary.text), (path, unsafe_parts(summary.text)[:5])


def test_mails_about_hostile_text_are_plain_text(
    stored, mailoutbox, django_capture_on_commit_callbacks
):
    """A moderator's question and a decline carry the corpus by e-mail: as plain text
    only, so no mail program renders it as HTML."""
    community, coordinator = stored["community"], stored["coordinator"]
    everything = "\n".join(payloads())
    asked, declined = xss.person("Anna Vraag"), xss.person("Dirk Nee")
    with django_capture_on_commit_callbacks(execute=True):
        for user in (asked, declined):
            xss.membership_apply(actor=user, community=community, haal="Ideeën.", breng="Tijd.")
        xss.membership_ask(
            actor=coordinator, membership=asked.memberships.get(), question=everything
        )
        xss.membership_decline(
            actor=coordinator, membership=declined.memberships.get(), reason=everything
        )
    mails = [m for m in mailoutbox if m.to in ([asked.email], [declined.email])]
    assert len(mails) == 2
    for message in mails:
        assert message.content_subtype == "plain"
        assert not getattr(message, "alternatives", None)
        assert "<script>" in message.body  # the text itself, unchanged
