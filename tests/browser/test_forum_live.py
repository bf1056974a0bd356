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

successor = CommunityPage.objects.get(number=2)
print("SETUP" + json.dumps({
    "thread_url": community.url + community.reverse_subpage("forum_thread", args=[thread.pk]),
    "forum_url": community.url + community.reverse_subpage("forum"),
    "community": f"{community.number}. {community.title}",
    "successor": f"{successor.number}. {successor.title}",
    "successor_forum_url": successor.url + successor.reverse_subpage("forum"),
    "successor_id": successor.pk,
    "successor_page_url": successor.url,
    "successor_thread_url": (
        successor.url + successor.reverse_subpage("forum_thread", args=[thread.pk])
    ),
    "writer": session(writer),
    "reader": session(reader),
    "coordinator": session(coordinator),
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


def _context_for(browser, live_forum, who: str):
    context = browser.new_context(base_url=live_forum["base"], locale="nl-NL")
    context.add_cookies(
        [{"name": "sessionid", "value": live_forum[who], "url": live_forum["base"]}]
    )
    return context


def _page_for(browser, live_forum, who: str):
    context = _context_for(browser, live_forum, who)
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


# Runs last in this module: it merges the thread's community away, then dissolves
# the community the thread went to.
def test_readers_are_told_where_threads_went_and_when_their_community_ended(browser, live_forum):
    reader_context, reader = _page_for(browser, live_forum, "reader")
    thread_list = reader_context.new_page()
    thread_list.goto(live_forum["forum_url"])
    coordinator_context = _context_for(browser, live_forum, "coordinator")
    coordinator = coordinator_context.new_page()
    try:
        # The thread list's socket: wait until it is connected (no hook there).
        thread_list.wait_for_timeout(1000)
        moved = reader.locator("[data-forum-moved]")
        expect(moved).to_have_attribute("aria-live", "polite")
        expect(moved).to_be_empty()

        coordinator.goto("/levensloop/samenvoegen/")
        coordinator.get_by_label(live_forum["community"]).check()
        coordinator.get_by_label(live_forum["successor"]).check()
        coordinator.locator("select[name=into]").select_option(label=live_forum["successor"])
        coordinator.get_by_label("Reden").fill("Dezelfde mensen praten in beide.")
        coordinator.get_by_role("button", name="Voorbeeld bekijken").click()
        coordinator.get_by_role("button", name="Samenvoeging bevestigen").click()
        coordinator.wait_for_load_state()

        # The open thread says where it went, visibly, with a working link ...
        # (inserted into a polite live region, so screen readers read it out).
        notice = moved.locator(".notice")
        expect(notice).to_be_visible(timeout=LIVE_TIMEOUT)
        expect(notice).to_contain_text("Deze draad is naar een andere community verplaatst.")
        link = notice.get_by_role("link", name="Ga naar de draad op de nieuwe plek")
        expect(link).to_have_attribute("href", live_forum["successor_thread_url"])
        reader.screenshot(path="/tmp/lc-rest-thread-moved.png", full_page=True)
        link.click()
        expect(reader.get_by_role("heading", level=1)).to_have_text("Live meelezen")

        # The old community's thread list points to the forum the threads are in now.
        list_notice = thread_list.locator("[data-forum-moved]")
        expect(list_notice).to_contain_text(
            "De draden van deze community zijn naar een andere community verplaatst.",
            timeout=LIVE_TIMEOUT,
        )
        expect(
            list_notice.get_by_role("link", name="Ga naar het forum waar ze nu staan")
        ).to_have_attribute("href", live_forum["successor_forum_url"])
        thread_list.screenshot(path="/tmp/lc-rest-list-moved.png", full_page=True)

        # Then the community the threads went to is dissolved: readers of its
        # thread list and thread are told it is an archive now, with a link to
        # its page (date and reason).
        list_notice.get_by_role("link").click()
        thread_list.wait_for_timeout(1000)  # its socket connects
        reader.wait_for_function("() => window.forumTest.isOpen()", timeout=LIVE_TIMEOUT)
        coordinator.goto(f"/levensloop/opheffen/{live_forum['successor_id']}/")
        coordinator.get_by_label("Reden").fill("Het thema is af.")
        coordinator.get_by_role("button", name="Ja, hef de community op").click()
        coordinator.wait_for_load_state()
        archived = reader.locator("[data-forum-moved] .notice")
        expect(archived).to_contain_text(
            "Deze community is opgeheven: de draad blijft leesbaar als archief",
            timeout=LIVE_TIMEOUT,
        )
        expect(archived.get_by_role("link", name="Waarom en sinds wanneer")).to_have_attribute(
            "href", live_forum["successor_page_url"]
        )
        expect(thread_list.locator("[data-forum-moved] .notice")).to_contain_text(
            "Deze community is opgeheven: het forum blijft leesbaar als archief",
            timeout=LIVE_TIMEOUT,
        )
        reader.screenshot(path="/tmp/lc-rest-thread-archived.png", full_page=True)
    finally:
        coordinator_context.close()
        reader_context.close()
