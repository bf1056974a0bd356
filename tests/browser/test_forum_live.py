"""The live forum in a real browser: a post by one person appears in another
person's open thread page without reloading, and after a dropped connection the
page fetches what it missed, exactly once.

pytest-django's live server is WSGI (no websockets), so these tests start daphne
in a subprocess against a file-based SQLite database of their own, prepared in
that subprocess's settings with migrate, seed and the real services; one server
process, so the in-memory channel layer is enough.
"""

import json

import pytest
from playwright.sync_api import expect

from tests.browser.asgi_server import daphne, manage, server_env

LIVE_TIMEOUT = 10_000  # ms

SETUP = """
import json
from django.test import Client
from communities.forum.services import thread_create
from communities.models import CommunityPage
from communities.services.memberships import membership_accept, membership_apply
from members.services import profile_update
from tests.factories import UserFactory

coordinator = UserFactory(username="coordinator", is_superuser=True, is_staff=True)
community = CommunityPage.objects.get(number=1)

def person(username, name, member):
    user = UserFactory(username=username)
    profile_update(actor=user, display_name=name, organisation=None, language="nl")
    if member:
        application = membership_apply(
            actor=user, community=community, haal="Ideeen", breng="Ervaring"
        )
        membership_accept(actor=coordinator, membership=application)
    return user

writer = person("writer", "Sanne de Vries", True)
reader = person("reader", "Olga Lezer", False)
thread = thread_create(
    actor=writer, community=community, title="Live meelezen", body="Eerste bericht"
)

def session(user):
    client = Client()
    client.force_login(user)
    return client.cookies["sessionid"].value

print("SETUP" + json.dumps({
    "thread_url": community.url + community.reverse_subpage("forum_thread", args=[thread.pk]),
    "writer": session(writer),
    "reader": session(reader),
}))
"""


@pytest.fixture(scope="module")
def live_forum(tmp_path_factory):
    """daphne on a free port with a prepared database; yields the URLs and sessions."""
    database = tmp_path_factory.mktemp("forum-live") / "db.sqlite3"
    env = server_env(database, "tests.browser.forum_live_settings")
    manage(env, "migrate", "--no-input", "-v", "0")
    manage(env, "seed", "--no-accounts")
    output = manage(env, "shell", "-c", SETUP)
    data = json.loads(output.split("SETUP", 1)[1])
    with daphne(env) as base:
        yield {"base": base, **data}


def _page_for(browser, live_forum, who: str):
    context = browser.new_context(base_url=live_forum["base"], locale="nl-NL")
    context.add_cookies(
        [{"name": "sessionid", "value": live_forum[who], "url": live_forum["base"]}]
    )
    page = context.new_page()
    page.goto(live_forum["thread_url"])
    page.wait_for_function(
        "() => window.forumTest && window.forumTest.isOpen()", timeout=LIVE_TIMEOUT
    )
    return context, page


def _reply(page, live_forum, text: str) -> None:
    """The writer replies through the ordinary form (a full page load)."""
    page.goto(live_forum["thread_url"])
    page.get_by_label("Your reply").or_(page.locator("textarea[name=body]")).first.fill(text)
    page.locator("form[data-forum-reply] button[type=submit]").click()
    page.wait_for_load_state()
    expect(page.locator("[data-forum-posts]")).to_contain_text(text)


def _posts_with(page, text: str):
    return page.locator("[data-forum-posts] article.post", has_text=text)


def test_a_post_by_one_person_appears_live_for_another(browser, live_forum):
    reader_context, reader = _page_for(browser, live_forum, "reader")
    writer_context, writer = _page_for(browser, live_forum, "writer")
    try:
        _reply(writer, live_forum, "Hallo vanuit het andere venster")

        expect(_posts_with(reader, "Hallo vanuit het andere venster")).to_have_count(
            1, timeout=LIVE_TIMEOUT
        )
        # Announced politely to screen readers, with the author's name.
        status = reader.locator("[data-forum-status]")
        expect(status).to_have_attribute("aria-live", "polite")
        expect(status).to_contain_text("Sanne de Vries", timeout=LIVE_TIMEOUT)
        # The reader is not the author: no edit link appears on the new post.
        expect(
            _posts_with(reader, "Hallo vanuit het andere venster").locator("[data-control=edit]")
        ).to_be_hidden()
    finally:
        reader_context.close()
        writer_context.close()


def test_after_a_dropped_connection_the_missed_post_appears_exactly_once(browser, live_forum):
    reader_context, reader = _page_for(browser, live_forum, "reader")
    writer_context, writer = _page_for(browser, live_forum, "writer")
    try:
        reader.evaluate("() => window.forumTest.drop()")
        reader.wait_for_function("() => !window.forumTest.isOpen()", timeout=LIVE_TIMEOUT)

        _reply(writer, live_forum, "Gemist tijdens de storing")
        reader.wait_for_timeout(500)
        expect(_posts_with(reader, "Gemist tijdens de storing")).to_have_count(0)

        reader.evaluate("() => window.forumTest.restore()")
        reader.wait_for_function("() => window.forumTest.isOpen()", timeout=LIVE_TIMEOUT)
        expect(_posts_with(reader, "Gemist tijdens de storing")).to_have_count(
            1, timeout=LIVE_TIMEOUT
        )

        # Live again: the next post arrives once, and the missed one is still there once.
        _reply(writer, live_forum, "Weer live na de storing")
        expect(_posts_with(reader, "Weer live na de storing")).to_have_count(
            1, timeout=LIVE_TIMEOUT
        )
        reader.wait_for_function("() => window.forumTest.idle()", timeout=LIVE_TIMEOUT)
        expect(_posts_with(reader, "Gemist tijdens de storing")).to_have_count(1)
        ids = reader.eval_on_selector_all(
            "[data-forum-posts] [data-post-id]", "els => els.map(e => e.dataset.postId)"
        )
        assert len(ids) == len(set(ids))
        # The page shows what the server has, in order: reloading gives the same posts.
        reader.reload()
        assert (
            reader.eval_on_selector_all(
                "[data-forum-posts] [data-post-id]", "els => els.map(e => e.dataset.postId)"
            )
            == ids
        )
    finally:
        reader_context.close()
        writer_context.close()
