"""A manager reviews role coverage and fills a gap; a member takes the self-test
and shares the result. Real browser, real login form; labels matched in Dutch
or English. (WCAG 2.1 A/AA of these pages: test_accessibility.py.)"""

import re

import pytest
from playwright.sync_api import Browser, expect

from communities.services.memberships import membership_accept, membership_apply
from members.models import Organisation, RoleAssignment, SelfTestResult
from members.selftest import STATEMENT_TEXT
from members.services.managers import manager_appoint
from members.services.roles import role_assign
from tests.browser.support import log_in, person
from tests.views_support import default_language


@pytest.fixture(autouse=True)
def _default_language():
    with default_language():
        yield


@pytest.fixture
def cast(site, communities):
    community = communities[0]
    organisation = Organisation.objects.create(
        name="Bibliotheek Eemland", kind="openbare-bibliotheek", province="utrecht"
    )
    coordinator = person("Cor Coördinator", organisation, is_superuser=True, is_staff=True)
    manager = person("Marit Manager", organisation)
    manager_appoint(actor=coordinator, user=manager, organisation=organisation)
    bouwer, member = person("Bas Bouwer", organisation), person("Lotte Lid", organisation)
    for user in (bouwer, member):
        membership = membership_apply(
            actor=user,
            community=community,
            haal="Ideeën.",
            breng="Tijd.",
            organisation=organisation,
        )
        membership_accept(actor=coordinator, membership=membership)
    role_assign(
        actor=manager,
        organisation=organisation,
        community=community,
        user=bouwer,
        role="bouwer",
        hours_per_week=4,
    )
    return {
        "community": community,
        "organisation": organisation,
        "manager": manager,
        "member": member,
    }


def test_a_manager_reviews_coverage_and_fills_a_gap(browser: Browser, site, cast):
    page = browser.new_context().new_page()
    log_in(page, site, cast["manager"], "/")
    page.locator(".account-menu__toggle").click()  # the account menu in the header
    page.get_by_role("link", name=re.compile(r"^(Dekking|Coverage)$")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Bibliotheek Eemland")
    table = page.locator("table.coverage-table")
    expect(table).to_contain_text("Bas Bouwer")
    expect(table.locator("td.cell--gap")).to_have_count(2)  # verbinder and aanjager
    expect(page.locator("svg.picture")).to_be_visible()
    expect(page.locator(".warning")).not_to_have_count(0)

    # Fill the verbinder gap from its own link.
    table.locator("td.cell--gap").first.get_by_role("link").click()
    page.locator("select[name=user]").select_option(label="Lotte Lid")
    page.locator("input[name=contribution]").fill("Legt contacten met de scholen.")
    page.locator("main form button[type=submit]").click()
    expect(page.locator(".messages")).to_contain_text("Lotte Lid")
    expect(table.locator("td.cell--gap")).to_have_count(1)
    assert RoleAssignment.objects.filter(user=cast["member"], role="verbinder").exists()


def test_a_member_takes_the_self_test_and_shares_it(browser: Browser, site, cast):
    page = browser.new_context().new_page()
    log_in(page, site, cast["member"], "/")
    page.locator(".account-menu__toggle").click()  # the account menu in the header
    page.get_by_role("link", name=re.compile(r"^(Zelftest|Self-test)$")).click()
    page.get_by_role("link", name=re.compile(r"^(Doe de zelftest|Take the self-test)$")).click()
    for index, statement in enumerate(STATEMENT_TEXT.values()):
        group = page.get_by_role("group", name=re.compile(re.escape(statement)))
        group.get_by_role("radio").nth(4 if index % 3 else 1).check()
    page.get_by_role("button", name=re.compile(r"^(Bekijk mijn uitslag|See my result)$")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        re.compile(r"^(Je uitslag van de zelftest|Your self-test result)$")
    )
    assert SelfTestResult.objects.filter(user=cast["member"]).count() == 1
    page.get_by_role(
        "button", name=re.compile(r"^(Deel met mijn manager|Share with my manager)$")
    ).click()
    expect(page.locator(".messages")).to_be_visible()
    assert SelfTestResult.objects.get(user=cast["member"]).is_shared


def test_the_manager_reads_the_hbo_guidance_where_roles_are_assigned(browser: Browser, site, cast):
    page = browser.new_context().new_page()
    log_in(page, site, cast["manager"], "/")
    page.goto(f"{site}/organisatie/{cast['organisation'].pk}/rollen/nieuw/")
    expect(page.locator("main .guidance")).to_contain_text(
        "De rol van aanjager en verbinder vraagt een HBO werk- en denkniveau. "
        "Voor de rol van bouwer is dit niet noodzakelijk."
    )
    expect(page.get_by_role("heading", name="Zo omschrijven wij de rollen")).to_be_visible()
    # Guidance, not a gate: the bouwer may be given the driver's role like anyone.
    page.locator("select[name=user]").select_option(label="Lotte Lid")
    page.locator("select[name=community]").select_option(label=cast["community"].title)
    page.get_by_role("radio", name="Aanjager").check()
    page.locator("main form.stack-form button[type=submit]").click()
    expect(page.locator(".messages")).to_contain_text("Lotte Lid")
    assert RoleAssignment.objects.filter(user=cast["member"], role="aanjager").exists()
