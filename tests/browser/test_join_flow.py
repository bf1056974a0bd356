"""Joining a community in a real browser: apply with haal/breng, a moderator
accepts, the applicant is a member; and the same application with the keyboard
only (Tab, typing, Space, arrow keys, Enter), with a visible focus at every step.

Two people, each in their own browser context (own cookies), both logged in
through the real allauth login form. Labels are matched in Dutch (the default
language) or English, so the test does not depend on the state of the catalogue.
"""

import re

import pytest
from django.core import mail
from playwright.sync_api import Browser, Page, expect

from communities.models import Membership, MembershipState, Topic
from communities.services.memberships import membership_accept, membership_apply
from communities.services.moderators import moderator_appoint
from tests.browser.support import log_in, person
from tests.views_support import default_language

HAAL = "Ideeën voor voorleesmiddagen met peuters."
BRENG = "Een netwerk van vrijwillige voorlezers in Zwolle."

APPLY = re.compile(r"^(Aanmelden|Apply)$")
SEND = re.compile(r"^(Aanmelding versturen|Send application)$")
ACCEPT = re.compile(r"^(Accepteren|Accept)$")
THANKS = re.compile(r"Bedankt!|Thank you!")
IS_MEMBER = re.compile(r"Je bent lid van deze community\.|You are a member of this community\.")


@pytest.fixture(autouse=True)
def _default_language():
    with default_language():
        yield


@pytest.fixture
def cast(site, communities):
    """The community, its moderator (an accepted member, appointed by a coordinator),
    the applicant-to-be and a topic. Set up inside the live-server test's own
    (transactional) database, after `site` has built the site tree."""
    community = communities[0]
    coordinator = person("Cor Coördinator", is_superuser=True, is_staff=True)
    moderator = person("Mira Moderator")
    membership = membership_apply(
        actor=moderator, community=community, haal="Nieuwe ideeën.", breng="Tijd en ervaring."
    )
    membership_accept(actor=coordinator, membership=membership)
    moderator_appoint(actor=coordinator, community=community, user=moderator)
    topic = Topic.objects.create(name="voorlezen")
    mail.outbox.clear()
    return {
        "community": community,
        "moderator": moderator,
        "applicant": person("Anna Aanvrager"),
        "topic": topic,
    }


def test_apply_and_be_accepted(browser: Browser, site, cast):
    community = cast["community"]
    community_path = community.url
    applicant_context = browser.new_context()
    moderator_context = browser.new_context()
    try:
        # The applicant opens the community page and applies.
        applicant = applicant_context.new_page()
        log_in(applicant, site, cast["applicant"], community_path)
        expect(applicant.locator("html")).to_have_attribute("lang", "nl")
        applicant.get_by_role("link", name=APPLY).click()

        expect(applicant).to_have_url(site + community_path + "aanmelden/")
        applicant.locator("textarea[name=haal]").fill(HAAL)
        applicant.locator("textarea[name=breng]").fill(BRENG)
        applicant.locator(f'input[name=haal_topics][value="{cast["topic"].pk}"]').check()
        applicant.get_by_role("button", name=SEND).click()

        expect(applicant).to_have_url(site + community_path + "aanmelding/")
        expect(applicant.locator("main")).to_contain_text(HAAL)
        expect(applicant.locator("main")).to_contain_text(BRENG)

        # The moderator hears of it and accepts.
        assert [message.to for message in mail.outbox] == [[cast["moderator"].email]]
        moderator = moderator_context.new_page()
        log_in(moderator, site, cast["moderator"], community_path + "moderatie/")
        application = moderator.locator("article.application").filter(has_text="Anna Aanvrager")
        expect(application).to_contain_text(HAAL)
        expect(application).to_contain_text("voorlezen")
        application.get_by_role("button", name=ACCEPT).click()

        expect(moderator).to_have_url(site + community_path + "moderatie/")
        expect(moderator.locator("article.application")).to_have_count(0)

        # The applicant reloads the community page: a member now.
        applicant.goto(site + community_path)
        expect(applicant.locator(".join-panel")).to_contain_text(IS_MEMBER)
        expect(applicant.get_by_role("link", name=APPLY)).to_have_count(0)
    finally:
        applicant_context.close()
        moderator_context.close()

    membership = Membership.objects.get(user=cast["applicant"], community=community)
    assert membership.state == MembershipState.ACTIVE
    assert list(membership.haal_topics.all()) == [cast["topic"]]
    assert mail.outbox[-1].to == [cast["applicant"].email]


# What a sighted keyboard user sees of the element that has the focus: an outline
# or a box-shadow (the site's :focus-visible style), and whether it is on screen.
FOCUS = """() => {
  const element = document.activeElement;
  const style = getComputedStyle(element);
  const box = element.getBoundingClientRect();
  return {
    element: element.outerHTML.slice(0, 120),
    indicated: (style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0)
      || style.boxShadow !== "none",
    on_screen: box.bottom > 0 && box.right > 0
      && box.top < innerHeight && box.left < innerWidth,
  };
}"""
MAX_TABS = 60


def focused(page: Page) -> dict:
    return page.evaluate(FOCUS)


def tab_to(page: Page, selector: str) -> None:
    """Press Tab until the element matching `selector` has the focus; every element
    the focus passes on the way must show it, on screen."""
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        state = focused(page)
        assert state["indicated"], f"no visible focus on {state['element']}"
        assert state["on_screen"], f"focus off screen on {state['element']}"
        if page.evaluate("selector => document.activeElement.matches(selector)", selector):
            return
    raise AssertionError(f"{selector} not reached with {MAX_TABS} presses of Tab")


def skip_to_content(page: Page) -> None:
    """The first Tab shows the skip link; Enter on it moves the focus to <main>, so
    the next Tab goes into the content, past the header."""
    page.keyboard.press("Tab")
    state = focused(page)
    assert "skip-link" in state["element"]
    assert state["indicated"] and state["on_screen"], state
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()


def test_apply_with_the_keyboard_only(browser: Browser, site, cast):
    community = cast["community"]
    community_path = community.url
    context = browser.new_context()
    try:
        page = context.new_page()
        log_in(page, site, cast["applicant"], community_path)

        skip_to_content(page)
        tab_to(page, ".join-panel a.button")
        expect(page.locator(":focus")).to_have_text(APPLY)
        page.keyboard.press("Enter")

        expect(page).to_have_url(site + community_path + "aanmelden/")
        skip_to_content(page)
        tab_to(page, "textarea[name=haal]")
        page.keyboard.type(HAAL)
        tab_to(page, "input[name=haal_topics]")
        page.keyboard.press("Space")
        expect(page.locator(":focus")).to_be_checked()
        tab_to(page, "textarea[name=breng]")
        page.keyboard.type(BRENG)
        # The radio group takes one Tab; the arrow keys choose within it.
        tab_to(page, "input[name=self_role]")
        page.keyboard.press("ArrowDown")
        page.keyboard.press("ArrowDown")
        expect(page.locator("input[name=self_role][value=verbinder]")).to_be_checked()
        tab_to(page, "main form button[type=submit]")
        expect(page.locator(":focus")).to_have_text(SEND)
        page.keyboard.press("Enter")

        # The redirect after the POST keeps the skip link's #main.
        confirmation = re.escape(site + community_path + "aanmelding/") + "(#main)?$"
        expect(page).to_have_url(re.compile(confirmation))
        expect(page.locator(".messages")).to_contain_text(THANKS)
        expect(page.locator("main")).to_contain_text(HAAL)
        expect(page.locator("main")).to_contain_text(BRENG)
    finally:
        context.close()

    membership = Membership.objects.get(user=cast["applicant"], community=community)
    assert membership.state == MembershipState.PENDING
    assert (membership.haal, membership.breng, membership.self_role) == (HAAL, BRENG, "verbinder")
    assert list(membership.haal_topics.all()) == [cast["topic"]]
    assert not membership.breng_topics.exists()
