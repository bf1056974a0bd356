"""A moderator reorders the to-do list with the keyboard only (no mouse, no drag
and drop), and an anonymous visitor then sees the new order.

The controls are ordinary buttons and a number field in POST forms; the small
script only puts the focus back on the moved item's control after the reload,
which this test checks too (so a moderator can press Enter again).
"""

import pytest
from playwright.sync_api import Browser, expect

from communities.services.memberships import membership_accept, membership_apply
from communities.services.moderators import moderator_appoint
from members.services import profile_update
from tests.browser.support import log_in
from tests.factories import UserFactory
from tests.views_support import default_language
from todo_lists.services import todo_item_create


@pytest.fixture(autouse=True)
def _default_language():
    with default_language():
        yield


@pytest.fixture
def cast(site, communities):
    community = communities[0]
    coordinator = UserFactory(is_superuser=True, is_staff=True)
    moderator = UserFactory()
    profile_update(actor=moderator, display_name="Mira Moderator", organisation=None, language="nl")
    membership = membership_apply(
        actor=moderator, community=community, haal="Nieuwe ideeën.", breng="Tijd."
    )
    membership_accept(actor=coordinator, membership=membership)
    moderator_appoint(actor=coordinator, community=community, user=moderator)
    items = {
        title: todo_item_create(actor=moderator, community=community, title=title)
        for title in ("Alfa", "Bravo", "Charlie", "Delta")
    }
    return {"community": community, "moderator": moderator, "items": items}


def titles(page):
    return page.locator(".todo-item__title").all_inner_texts()


def test_a_moderator_reorders_with_the_keyboard(browser: Browser, site, cast):
    community, items = cast["community"], cast["items"]
    list_path = community.url + "te-doen/"
    moderator_context = browser.new_context()
    visitor_context = browser.new_context()
    try:
        page = moderator_context.new_page()
        log_in(page, site, cast["moderator"], list_path)
        assert titles(page) == ["Alfa", "Bravo", "Charlie", "Delta"]

        # "Down" on Alfa, twice, with Enter; the focus comes back to the same button.
        down = page.locator(f"#item-{items['Alfa'].pk} [data-move=down]")
        down.focus()
        page.keyboard.press("Enter")
        expect(page.locator(".todo-item__title").first).to_have_text("Bravo")
        expect(page.locator(f"#item-{items['Alfa'].pk} [data-move=down]")).to_be_focused()
        # Screen readers hear the outcome: it arrives in a live region after the reload.
        expect(page.locator("[data-todo-status][aria-live=polite]")).to_have_text(
            "“Alfa” is nu nummer 2."
        )
        page.keyboard.press("Enter")
        expect(page.locator(".todo-item__title").nth(2)).to_have_text("Alfa")
        assert titles(page) == ["Bravo", "Charlie", "Alfa", "Delta"]

        # Delta to position 1: type the number and press Enter in the field.
        field = page.locator(f"#position-{items['Delta'].pk}")
        field.focus()
        page.keyboard.press("Control+A")
        page.keyboard.type("1")
        page.keyboard.press("Enter")
        expect(page.locator(".todo-item__title").first).to_have_text("Delta")
        assert titles(page) == ["Delta", "Bravo", "Charlie", "Alfa"]
        expect(page.locator(".messages")).to_contain_text("Delta")

        # A visitor, not logged in, sees the new order and no controls.
        visitor = visitor_context.new_page()
        visitor.goto(site + list_path)
        assert titles(visitor) == ["Delta", "Bravo", "Charlie", "Alfa"]
        expect(visitor.locator(".todo-move")).to_have_count(0)
        visitor.goto(site + community.url)
        expect(visitor.locator(".todo-preview ol li").first).to_contain_text("Delta")
    finally:
        moderator_context.close()
        visitor_context.close()
