"""The main pages meet WCAG 2.1 A and AA (axe-core in Chromium), in Dutch and in
English.

One site, one set of people, one browser context per role: the table below
names each page, who looks at it and where it lives. Every page is checked in
both languages and the test reports every violation it found (axe's rule, the
offending elements and how to fix them), not just the first page that failed.
"""

from dataclasses import dataclass

import pytest
from playwright.sync_api import Browser, Page, expect

from communities.forum.services import post_create, thread_create
from communities.services.memberships import membership_accept, membership_apply
from communities.services.moderators import moderator_appoint
from members.models import Organisation, OrganisationKind, Province
from members.selftest import STATEMENTS
from members.services.managers import manager_appoint
from members.services.roles import role_assign
from members.services.selftest import selftest_submit
from tests.browser.support import accessibility_report, log_in, off_the_event_loop, person
from tests.views_support import default_language
from todo_lists.models import Phase
from todo_lists.services import todo_comment_add, todo_item_create

LANGUAGES = ("nl", "en")


@dataclass(frozen=True)
class Checked:
    name: str
    role: str  # "visitor" (not logged in), "member" or "manager"
    path: str  # Dutch path; the English page is the same under /en


@pytest.fixture(autouse=True)
def _default_language():
    with default_language():
        yield


@pytest.fixture
def world(site, communities):
    """Community 1 with a moderator, a to-do list and a forum thread; a member of
    community 2 (not of 1) with a self-test result; the manager of her organisation.
    Everything through the real services."""
    first, second = communities[0], communities[1]
    organisation = Organisation.objects.create(
        name="Bibliotheek Eemland", kind=OrganisationKind.PUBLIC_LIBRARY, province=Province.UTRECHT
    )
    coordinator = person("Cor Coördinator", is_superuser=True, is_staff=True)
    manager = person("Marit Manager", organisation)
    manager_appoint(actor=coordinator, user=manager, organisation=organisation)
    moderator = person("Mira Moderator", organisation)
    member = person("Lotte Lid", organisation)
    for user, community in ((moderator, first), (moderator, second), (member, second)):
        membership = membership_apply(
            actor=user,
            community=community,
            haal="Ideeën om kinderen aan het lezen te krijgen.",
            breng="Ervaring met voorleesprojecten.",
            organisation=organisation,
        )
        membership_accept(actor=coordinator, membership=membership)
    moderator_appoint(actor=coordinator, community=first, user=moderator)
    role_assign(
        actor=manager,
        organisation=organisation,
        community=first,
        user=moderator,
        role="bouwer",
        hours_per_week=4,
    )

    for title, phase in (
        ("Leeslijn-kaart 0-18 voor gemeenten", Phase.AVAILABLE),
        ("Pilot voorleesmiddagen met peuters", Phase.EXPERIMENT),
        ("Leesmonitor-resultaten delen", Phase.IDEA),
    ):
        item = todo_item_create(actor=moderator, community=first, title=title, phase=phase)
    todo_comment_add(actor=moderator, item=item, body="Wie heeft hier ervaring mee?")

    thread = off_the_event_loop(
        thread_create,
        actor=moderator,
        community=second,
        title="Wie heeft een goed voorbeeld om te delen?",
        body="We willen iets nieuws proberen. **Alle tips** zijn welkom.",
    )
    off_the_event_loop(
        post_create, actor=member, thread=thread, body="Begin klein, met één vestiging."
    )

    result = selftest_submit(
        actor=member, answers={statement_id: 4 for statement_id, _role, _text in STATEMENTS}
    )

    return {
        "people": {"member": member, "manager": manager},
        "pages": [
            Checked("home", "visitor", "/"),
            Checked("community page", "visitor", first.url),
            Checked("to-do list", "visitor", first.url + "te-doen/"),
            Checked("login", "visitor", "/accounts/login/"),
            Checked("signup", "visitor", "/accounts/signup/"),
            Checked("join form", "member", first.url + "aanmelden/"),
            Checked("forum for a visitor", "visitor", f"{second.url}forum/"),
            Checked("forum thread", "member", f"{second.url}forum/{thread.pk}/"),
            Checked("self-test", "member", "/zelftest/invullen/"),
            Checked("self-test result", "member", f"/zelftest/{result.pk}/"),
            Checked("coverage", "manager", f"/organisatie/{organisation.pk}/rollen/"),
        ],
    }


def role_page(browser: Browser, site: str, role: str, people: dict) -> Page:
    page = browser.new_context().new_page()
    if role != "visitor":
        log_in(page, site, people[role], "/")
    return page


def test_main_pages_meet_wcag_21_aa_in_both_languages(browser: Browser, site, world):
    pages: dict[str, Page] = {}
    reports = []
    try:
        for checked in world["pages"]:
            if checked.role not in pages:
                pages[checked.role] = role_page(browser, site, checked.role, world["people"])
            page = pages[checked.role]
            for language in LANGUAGES:
                path = checked.path if language == "nl" else "/en" + checked.path
                response = page.goto(site + path)
                assert response.status == 200, f"{checked.name} ({language}): {response.status}"
                expect(page.locator("html")).to_have_attribute("lang", language)
                report = accessibility_report(page)
                if report:
                    reports.append(f"== {checked.name} ({language}), as {checked.role}\n{report}")
    finally:
        for page in pages.values():
            page.context.close()

    checked_count = len(world["pages"]) * len(LANGUAGES)
    assert not reports, (
        f"{len(reports)} of {checked_count} pages have WCAG 2.1 A/AA violations:\n\n"
        + "\n".join(reports)
    )
