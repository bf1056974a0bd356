"""The applicant and the moderator in a real browser, in Dutch (issue 13, findings
1, 2, 3 and 7): apply; the moderator asks a question; the applicant answers; the
moderator SEES the answer on the application card and accepts with a welcome
message; the applicant reads the message on the site and gets the welcome e-mail
with it. Then withdrawing (asked first) and applying again (the form starts from
the previous answers). And a manager edits a target in Dutch and in English: the
date is shown filled in and saving succeeds.

Two people, each in their own browser context, logged in through the real login
form. E-mail goes to Django's test outbox (the live server runs in this process).
"""

import datetime
import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import translation
from playwright.sync_api import Browser, expect

from communities.models import Membership, MembershipState
from communities.services.memberships import membership_accept, membership_apply
from communities.services.moderators import moderator_appoint
from members.models import Organisation, OrganisationKind, Province, Target
from members.services.managers import manager_appoint
from members.services.roles import target_set
from tests.browser.support import assert_accessible, log_in, person
from tests.views_support import default_language

HAAL = "Ideeën voor voorleesmiddagen met peuters."
BRENG = "Een netwerk van vrijwillige voorlezers in Zwolle."
QUESTION = "Met welke scholen werk je nu al samen?"
ANSWER = "Met drie basisscholen in Zwolle-Zuid."
WELCOME = "Welkom! Joris zoekt ook voorlezers: ik stel jullie aan elkaar voor."
SCREENSHOTS = "/tmp"


@pytest.fixture(autouse=True)
def _default_language():
    with default_language():
        yield


@pytest.fixture
def cast(site, communities):
    community = communities[0]
    coordinator = person("Cor Coördinator", is_superuser=True, is_staff=True)
    moderator = person("Mira Moderator")
    membership = membership_apply(
        actor=moderator, community=community, haal="Nieuwe ideeën.", breng="Tijd en ervaring."
    )
    membership_accept(actor=coordinator, membership=membership)
    moderator_appoint(actor=coordinator, community=community, user=moderator)
    mail.outbox.clear()
    return {"community": community, "moderator": moderator, "applicant": person("Anna Aanvrager")}


def mails_to(user) -> list:
    return [message for message in mail.outbox if message.to == [user.email]]


def test_question_answer_and_welcome_between_applicant_and_moderator(browser: Browser, site, cast):
    community, applicant_user = cast["community"], cast["applicant"]
    path = community.url
    applicant_context, moderator_context = browser.new_context(), browser.new_context()
    try:
        # The applicant applies.
        applicant = applicant_context.new_page()
        log_in(applicant, site, applicant_user, path + "aanmelden/")
        applicant.locator("textarea[name=haal]").fill(HAAL)
        applicant.locator("textarea[name=breng]").fill(BRENG)
        applicant.get_by_role("button", name="Aanmelding versturen").click()
        expect(applicant).to_have_url(site + path + "aanmelding/")

        # The moderator asks a question on the card.
        moderator = moderator_context.new_page()
        log_in(moderator, site, cast["moderator"], path + "moderatie/")
        card = moderator.locator("article.application").filter(has_text="Anna Aanvrager")
        card.get_by_label("Bericht aan de aanmelder").fill(QUESTION)
        card.get_by_role("button", name="Vraag stellen").click()
        expect(moderator.locator(".messages")).to_contain_text(
            "Je vraag is naar Anna Aanvrager verstuurd"
        )
        expect(card).to_contain_text(QUESTION)
        [question_mail] = mails_to(applicant_user)
        assert QUESTION in question_mail.body

        # The applicant reads it from the community page and answers.
        applicant.goto(site + path)
        applicant.get_by_role("link", name="Lezen en beantwoorden").click()
        expect(applicant.locator(".conversation")).to_contain_text(QUESTION)
        applicant.get_by_role("textbox", name="Je antwoord:", exact=True).fill(ANSWER)
        applicant.get_by_role("button", name="Antwoord versturen").click()
        expect(applicant.locator(".messages")).to_contain_text("je antwoord is verstuurd")

        # The moderator SEES the answer on the card, under the question, with dates.
        moderator.reload()
        entries = card.locator(".conversation__entry")
        expect(entries).to_have_count(2)
        expect(entries.nth(0)).to_contain_text("Vraag")
        expect(entries.nth(0)).to_contain_text(QUESTION)
        expect(entries.nth(1)).to_contain_text("Antwoord")
        expect(entries.nth(1)).to_contain_text("Anna Aanvrager")
        expect(entries.nth(1)).to_contain_text(ANSWER)
        expect(entries.nth(1).locator("time")).to_have_attribute("datetime", re.compile(r"^\d{4}-"))
        expect(card).to_contain_text("Beantwoord: klaar voor een besluit")
        card.screenshot(path=f"{SCREENSHOTS}/i13f-card-answered.png")
        assert_accessible(moderator)

        # The moderator accepts with a welcome.
        mail.outbox.clear()
        card.get_by_label("Bericht aan de aanmelder").fill(WELCOME)
        card.get_by_role("button", name="Accepteren").click()
        expect(moderator.locator(".messages")).to_contain_text("is nu lid")
        expect(moderator.locator("article.application")).to_have_count(0)

        # The welcome e-mail carries the message.
        [welcome_mail] = mails_to(applicant_user)
        assert WELCOME in welcome_mail.body
        assert "De moderators schrijven je:" in welcome_mail.body

        # The new member reads it on the site.
        applicant.goto(site + path)
        applicant.get_by_role("link", name="Lees het welkomstbericht van de moderators").click()
        expect(applicant).to_have_url(site + path + "aanmelding/")
        expect(applicant.locator("h1")).to_contain_text("Je lidmaatschap van")
        conversation = applicant.locator(".conversation")
        expect(conversation).to_contain_text("Welkomstbericht")
        expect(conversation).to_contain_text(WELCOME)
        expect(conversation).to_contain_text(QUESTION)
        applicant.screenshot(path=f"{SCREENSHOTS}/i13f-member-welcome.png", full_page=True)
        assert_accessible(applicant)
    finally:
        applicant_context.close()
        moderator_context.close()

    membership = Membership.objects.get(user=applicant_user, community=community)
    assert membership.state == MembershipState.ACTIVE
    assert membership.moderator_message == WELCOME


def test_withdraw_asks_first_and_applying_again_keeps_the_answers(browser: Browser, site, cast):
    community, applicant_user = cast["community"], cast["applicant"]
    path = community.url
    context = browser.new_context()
    try:
        page = context.new_page()
        log_in(page, site, applicant_user, path + "aanmelden/")
        page.locator("textarea[name=haal]").fill(HAAL)
        page.locator("textarea[name=breng]").fill(BRENG)
        page.get_by_label("Verbinder").check()
        page.get_by_role("button", name="Aanmelding versturen").click()

        page.get_by_role("link", name="Mijn aanmelding intrekken…").click()
        expect(page.locator("h1")).to_contain_text("intrekken?")
        assert_accessible(page)
        page.screenshot(path=f"{SCREENSHOTS}/i13f-withdraw-confirm.png", full_page=True)
        # Cancelling changes nothing.
        page.get_by_role("link", name="Annuleren").click()
        expect(page).to_have_url(site + path + "aanmelding/")
        assert Membership.objects.get(user=applicant_user).state == MembershipState.PENDING

        page.get_by_role("link", name="Mijn aanmelding intrekken…").click()
        page.get_by_role("button", name="Ja, trek mijn aanmelding in").click()
        expect(page).to_have_url(site + path)
        expect(page.locator(".messages")).to_contain_text("ingetrokken")

        # Applying again: the form holds the previous answers.
        page.locator(".join-panel").get_by_role("link", name=re.compile("^Aanmelden$")).click()
        expect(page.locator("textarea[name=haal]")).to_have_value(HAAL)
        expect(page.locator("textarea[name=breng]")).to_have_value(BRENG)
        expect(page.get_by_label("Verbinder")).to_be_checked()
    finally:
        context.close()


@pytest.fixture
def manager_setup(site, communities):
    community = communities[0]
    coordinator = person("Cor Coördinator", is_superuser=True, is_staff=True)
    organisation = Organisation.objects.create(
        name="Bibliotheek Eemland", kind=OrganisationKind.PUBLIC_LIBRARY, province=Province.UTRECHT
    )
    manager = person("Marit Manager", organisation)
    manager_appoint(actor=coordinator, user=manager, organisation=organisation)
    worker = person("Wim Werker", organisation)
    membership = membership_apply(
        actor=worker, community=community, haal="Ideeën.", breng="Tijd.", organisation=organisation
    )
    membership_accept(actor=coordinator, membership=membership)
    target_set(
        actor=manager,
        organisation=organisation,
        community=community,
        target_members=3,
        target_activities=2,
        deadline=datetime.date(2027, 5, 30),
    )
    return {"community": community, "organisation": organisation, "manager": manager}


@pytest.mark.parametrize(
    "language, save, saved",
    [("nl", "Doel opslaan", "is opgeslagen"), ("en", "Save target", "is saved")],
)
def test_a_manager_edits_a_target_with_its_date_filled_in(
    browser: Browser, site, manager_setup, language, save, saved
):
    organisation, community = manager_setup["organisation"], manager_setup["community"]
    with translation.override(language):
        url = reverse("members:target_edit", args=[organisation.pk, community.pk])
    context = browser.new_context(locale="nl-NL" if language == "nl" else "en-GB")
    try:
        page = context.new_page()
        log_in(page, site, manager_setup["manager"], url)
        deadline = page.locator("input[name=deadline]")
        # The browser shows the date: its value is the ISO date, not empty.
        expect(deadline).to_have_value("2027-05-30")
        assert page.evaluate("document.querySelector('input[name=deadline]').valueAsNumber") > 0
        page.screenshot(path=f"{SCREENSHOTS}/i13f-target-{language}.png", full_page=True)
        page.locator("input[name=target_members]").fill("5")
        page.get_by_role("button", name=save).click()
        expect(page.locator(".messages")).to_contain_text(saved)
    finally:
        context.close()

    target = Target.objects.order_by("-pk").first()
    assert (target.target_members, target.deadline) == (5, datetime.date(2027, 5, 30))
