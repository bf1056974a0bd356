"""Joining a community in a real browser: apply with haal/breng, a moderator
accepts, the applicant is a member.

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
from members.services import profile_update
from tests.factories import DEFAULT_PASSWORD, UserFactory
from tests.views_support import default_language

HAAL = "Ideeën voor voorleesmiddagen met peuters."
BRENG = "Een netwerk van vrijwillige voorlezers in Zwolle."

APPLY = re.compile(r"^(Aanmelden|Apply)$")
SEND = re.compile(r"^(Aanmelding versturen|Send application)$")
ACCEPT = re.compile(r"^(Accepteren|Accept)$")
IS_MEMBER = re.compile(r"Je bent lid van deze community\.|You are a member of this community\.")


@pytest.fixture(autouse=True)
def _default_language():
    with default_language():
        yield


def person(name: str, **kwargs):
    """Someone who can log in (verified primary e-mail address) and has a profile."""
    user = UserFactory(**kwargs)
    profile_update(actor=user, display_name=name, organisation=None, language="nl")
    return user


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


def log_in(page: Page, site: str, user, next_path: str) -> None:
    """Log in through allauth's form and land on `next_path`."""
    page.goto(f"{site}/accounts/login/?next={next_path}")
    form = page.locator("main form").filter(has=page.locator("input[name=password]"))
    form.locator("input[name=login]").fill(user.email)
    form.locator("input[name=password]").fill(DEFAULT_PASSWORD)
    form.locator("button[type=submit]").click()
    expect(page).to_have_url(site + next_path)


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
