"""A team member finds the team page in their account menu and fills in the koffer
(refused first: two equal scores); the manager prints the workshop agenda. Real
browser, real login form. (WCAG 2.1 A/AA of these pages: test_accessibility.py.)"""

import datetime

import pytest
from playwright.sync_api import Browser, expect

from members.models import Organisation
from members.services.managers import manager_appoint
from teams.models import KofferScore
from teams.services import koffer_round_start, team_why_update
from tests.browser.support import log_in, person
from tests.views_support import default_language


@pytest.fixture(autouse=True)
def _default_language():
    with default_language():
        yield


@pytest.fixture
def team(site, communities):
    organisation = Organisation.objects.create(
        name="Bibliotheek Eemland", kind="openbare-bibliotheek", province="utrecht"
    )
    coordinator = person("Cor Coördinator", is_superuser=True, is_staff=True)
    manager = person("Marit Manager", organisation)
    manager_appoint(actor=coordinator, user=manager, organisation=organisation)
    team_why_update(
        actor=manager,
        organisation=organisation,
        why="Samen met andere bibliotheken leren we sneller.",
        strategy_url="https://example.org/beleidsplan",
    )
    koffer_round = koffer_round_start(
        actor=manager, organisation=organisation, held_on=datetime.date(2026, 6, 1)
    )
    return {
        "organisation": organisation,
        "manager": manager,
        "member": person("Lotte Lid", organisation),
        "round": koffer_round,
    }


def test_a_team_member_fills_in_the_koffer(browser: Browser, site, team):
    page = browser.new_context().new_page()
    log_in(page, site, team["member"], "/")
    page.locator(".account-menu__toggle").click()
    page.get_by_role("link", name="Mijn team").click()
    expect(page.locator(".why")).to_contain_text("Samen met andere bibliotheken")
    page.get_by_role("navigation", name="Team").get_by_role("link", name="De koffer").click()
    page.get_by_role("link", name="Sessie van 1 juni 2026").click()
    page.get_by_role("link", name="Vul je koffer in").click()

    fields = page.locator("main form input[type=number]")
    for index, points in enumerate((30, 30, 10, 8, 6, 4, 2, 0)):
        fields.nth(index).fill(str(points))
    page.locator("main form button[type=submit]").click()
    expect(page.locator(".error-summary")).to_contain_text(
        "‘Verbinden’ en ‘Communiceren’ hebben allebei 30 punten"
    )
    assert not KofferScore.objects.exists()

    fields.nth(1).fill("20")
    page.locator("main form button[type=submit]").click()
    expect(page.locator(".messages")).to_contain_text("Je punten zijn opgeslagen")
    expect(page.locator("table.koffer-table")).to_contain_text("Verbinden")
    expect(page.get_by_text("1 van 2 teamleden")).to_be_visible()
    assert KofferScore.objects.filter(user=team["member"]).count() == 8


def test_the_workshop_agenda_prints_without_the_sites_menus(browser: Browser, site, team):
    page = browser.new_context().new_page()
    log_in(page, site, team["manager"], f"/organisatie/{team['organisation'].pk}/team/werksessie/")
    expect(page.locator(".site-header")).to_be_visible()
    page.emulate_media(media="print")
    expect(page.locator(".site-header")).to_be_hidden()
    expect(page.get_by_role("navigation", name="Team")).to_be_hidden()
    expect(page.locator(".agenda > li")).to_have_count(6)
    expect(page.locator(".agenda")).to_contain_text("Samen met andere bibliotheken")
    expect(page.locator(".notes-box").first).to_be_visible()  # room for notes on paper
