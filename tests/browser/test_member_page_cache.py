"""The members' page cache as a member meets it (cop_platform/page_cache.py on, as in
production): pages they saw before come from their own cache, and a reply written
in another browser shows as soon as they reload the thread.

The live server here is WSGI (no websockets), so the new post cannot arrive live:
only the reload can show it."""

import re

import pytest
from playwright.sync_api import Browser, expect

from communities.forum.services import thread_create
from communities.services.memberships import membership_accept, membership_apply
from tests.browser.support import log_in, off_the_event_loop, person
from tests.views_support import default_language

REPLY = "Wij lezen elke vrijdag voor in de bibliotheek."


@pytest.fixture(autouse=True)
def _default_language():
    with default_language():
        yield


@pytest.fixture
def cast(site, communities, settings):
    """The page cache on; two members of a community and a thread by the first."""
    settings.PAGE_CACHE_SECONDS = 60
    community = communities[0]
    coordinator = person("Cor Coördinator", is_superuser=True, is_staff=True)
    reader = person("Sanne de Vries")
    writer = person("Daan Jansen")
    for member in (reader, writer):
        membership = membership_apply(
            actor=member, community=community, haal="Nieuwe ideeën.", breng="Ervaring."
        )
        membership_accept(actor=coordinator, membership=membership)
    # A forum write announces itself over the channel layer: off Playwright's loop.
    thread = off_the_event_loop(
        thread_create,
        actor=reader,
        community=community,
        title="Voorlezen in groep 3",
        body="Wie heeft ervaring met voorlezen in groep 3?",
    )
    return {
        "community": community,
        "reader": reader,
        "writer": writer,
        "thread_path": f"{community.url}forum/{thread.pk}/",
    }


def test_a_reply_from_another_browser_shows_after_a_reload(browser: Browser, site, cast):
    community = cast["community"]
    thread_path = cast["thread_path"]
    reader_context = browser.new_context()
    writer_context = browser.new_context()
    try:
        reader = reader_context.new_page()
        log_in(reader, site, cast["reader"], community.url)
        # Seen twice: stored for this session, then served from the cache.
        for _ in range(2):
            response = reader.goto(site + community.url)
            assert "private" in response.headers["cache-control"]
            expect(reader.locator(".account-menu__name")).to_have_text("Sanne de Vries")
        reader.get_by_role("link", name=re.compile("^Naar het forum van")).click()
        reader.get_by_role("link", name="Voorlezen in groep 3").click()
        expect(reader).to_have_url(site + thread_path)
        reader.reload()
        expect(reader.locator("article.post")).to_have_count(1)

        writer = writer_context.new_page()
        log_in(writer, site, cast["writer"], thread_path)
        writer.locator("form[data-forum-reply] textarea[name=body]").fill(REPLY)
        writer.locator("form[data-forum-reply] button[type=submit]").click()
        writer.wait_for_load_state()
        expect(writer.locator("[data-forum-posts]")).to_contain_text(REPLY)

        reader.reload()
        expect(reader.locator("article.post")).to_have_count(2)
        expect(reader.locator("[data-forum-posts]")).to_contain_text(REPLY)
        expect(reader.locator(".account-menu__name")).to_have_text("Sanne de Vries")
    finally:
        reader_context.close()
        writer_context.close()
