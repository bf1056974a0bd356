"""The conversation between moderators and an applicant, through the real views
(issue 13, findings 1, 2 and 7): the moderator sees their question and the
applicant's answer on the application card; the message typed when accepting is
kept, shown to the new member and sent in the welcome e-mail; the decision form
comes back in the page's language with a useful error summary; withdrawing asks
first; applying again starts from the previous answers."""

import pytest
from django.core import mail
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext

from communities.forms import DecisionForm
from communities.models import Membership, MembershipState, MembershipTransition
from communities.services.memberships import membership_answer, membership_ask
from tests.views_support import (
    client_for,
    default_language,
    main_text,
    post_form,
    soup,
    subpage_url,
    visible_text,
)

QUESTION = "Bij welke bibliotheek werk je, en met welke scholen?"
ANSWER = "Bibliotheek Utrecht; we werken met twaalf basisscholen."
WELCOME = "Welkom! Stel je even voor in het forum, dan koppel ik je aan Joris."


@pytest.fixture(autouse=True)
def _default_language():
    with default_language():
        yield


def dutch(message) -> str:
    with translation.override("nl"):
        return str(gettext(message) if isinstance(message, str) else message)


def english(message) -> str:
    with translation.override("en"):
        return str(gettext(message) if isinstance(message, str) else message)


def decide(client, community, membership, decision: str, message: str = "", *, language="nl"):
    prefix = f"m{membership.pk}"
    with translation.override(language):
        url = subpage_url(community, "decide", membership.pk)
        form_url = subpage_url(community, "moderation")
    return post_form(
        client,
        url,
        {f"{prefix}-decision": decision, f"{prefix}-message": message},
        form_url=form_url,
    )


@pytest.fixture
def answered(pending, moderator):
    """A pending application whose applicant answered the moderator's question."""
    membership_ask(actor=moderator, membership=pending, question=QUESTION)
    membership_answer(actor=pending.user, membership=pending, answer=ANSWER)
    return Membership.objects.get(pk=pending.pk)


def card(response, membership):
    return soup(response).select_one(f'article[aria-labelledby="application-{membership.pk}"]')


# --- finding 1: the moderator sees the whole conversation ------------------------------


@pytest.mark.parametrize("language", ["nl", "en"])
def test_the_card_shows_the_question_and_the_answer_with_dates(
    answered, community, moderator, language
):
    with translation.override(language):
        url = subpage_url(community, "moderation")
    response = client_for(moderator).get(url)

    assert response.status_code == 200
    entries = card(response, answered).select(".conversation__entry")
    texts = [" ".join(entry.get_text(" ").split()) for entry in entries]
    translate = dutch if language == "nl" else english
    assert len(texts) == 2
    assert texts[0].startswith(translate("Question")) and QUESTION in texts[0]
    assert texts[1].startswith(translate("Answer")) and ANSWER in texts[1]
    assert "Anna Aanvrager" in texts[1]  # who answered
    # Each with its date, readable and machine-readable.
    transitions = MembershipTransition.objects.filter(membership=answered).exclude(note="")
    for entry, transition in zip(entries, transitions, strict=True):
        time = entry.select_one("time")
        assert time["datetime"] == timezone.localtime(transition.at).isoformat()
        with translation.override(language):
            assert date_format(timezone.localtime(transition.at), "j F Y") in time.get_text()
    # And the card says whose turn it is.
    assert translate("Answered: ready for a decision") in card(response, answered).get_text()


def test_a_question_waiting_for_an_answer_is_on_the_card(pending, community, moderator):
    membership_ask(actor=moderator, membership=pending, question=QUESTION)

    response = client_for(moderator).get(subpage_url(community, "moderation"))

    text = " ".join(card(response, pending).get_text(" ").split())
    assert QUESTION in text
    assert dutch("Waiting for an answer to your question") in text


def test_the_applicant_sees_the_conversation_too(answered, community):
    response = client_for(answered.user).get(subpage_url(community, "my_application"))

    text = main_text(response)
    assert QUESTION in text and ANSWER in text
    assert dutch("you") in text  # their own answer


# --- finding 2: the welcome message is kept, shown and mailed -------------------------


def test_the_welcome_message_is_stored_shown_and_mailed(
    answered, community, moderator, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = decide(client_for(moderator), community, answered, "accept", WELCOME)

    assert response.status_code == 302
    membership = Membership.objects.get(pk=answered.pk)
    assert membership.state == MembershipState.ACTIVE
    assert membership.moderator_message == WELCOME
    assert membership.transitions.last().note == WELCOME
    # The welcome e-mail carries it.
    [message] = [m for m in mail.outbox if m.to == [answered.user.email]]
    assert WELCOME in message.body
    assert dutch("The moderators wrote to you:") in message.body
    # The new member finds it from the community page, on their membership page.
    member = client_for(answered.user)
    panel = soup(member.get(community.url)).select_one(".join-panel")
    link = panel.find("a", string=dutch("Read the moderators’ welcome message"))
    assert link["href"] == subpage_url(community, "my_application")
    page = member.get(link["href"])
    text = main_text(page)
    assert WELCOME in text
    assert dutch("Welcome message") in text
    assert QUESTION in text and ANSWER in text  # the whole conversation stays


def test_accepting_without_a_message_sends_the_plain_welcome(
    pending, community, moderator, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        decide(client_for(moderator), community, pending, "accept", "   ")

    membership = Membership.objects.get(pk=pending.pk)
    assert membership.state == MembershipState.ACTIVE
    assert membership.moderator_message == ""
    [message] = [m for m in mail.outbox if m.to == [pending.user.email]]
    assert dutch("The moderators wrote to you:") not in message.body
    panel = soup(client_for(pending.user).get(community.url)).select_one(".join-panel")
    assert panel.find("a", string=dutch("Your membership")) is not None


# --- finding 7: the decision form after a mistake ------------------------------------


@pytest.mark.parametrize("language", ["nl", "en"])
def test_a_question_without_text_comes_back_in_the_page_language(
    answered, community, moderator, language
):
    response = decide(client_for(moderator), community, answered, "ask", "", language=language)

    assert response.status_code == 400
    translate = dutch if language == "nl" else english
    page = soup(response)
    text = visible_text(response)
    label = page.select_one(f"label[for=id_m{answered.pk}-message]").get_text(strip=True)
    assert label.startswith(translate(DecisionForm.base_fields["message"].label))
    other = english if language == "nl" else dutch
    assert other(DecisionForm.base_fields["message"].label) not in text
    assert "Decision:" not in text if language == "nl" else "Besluit:" not in text
    # The summary names the problem and links to the field.
    items = [" ".join(li.get_text().split()) for li in page.select(".error-summary li")]
    assert items == [
        f"{translate(DecisionForm.base_fields['message'].label)}: "
        f"{translate('Please write down your question.')}"
    ]
    assert page.select_one(".error-summary a")["href"] == f"#id_m{answered.pk}-message"
    # The moderator still sees what they are deciding on, and can choose again.
    assert QUESTION in text and ANSWER in text
    assert len(page.select("main form button[type=submit]")) == 3
    assert Membership.objects.get(pk=answered.pk).state == MembershipState.PENDING


def test_an_unknown_decision_is_named_in_dutch(pending, community, moderator):
    response = decide(client_for(moderator), community, pending, "maybe")

    assert response.status_code == 400
    [item] = [" ".join(li.get_text().split()) for li in soup(response).select(".error-summary li")]
    assert item.startswith(dutch("Decision") + ":")


# --- finding 7: applying again starts from the previous answers ----------------------


def test_applying_again_starts_from_the_previous_answers(
    make_user, apply, community, moderator, topics
):
    from communities.services.memberships import membership_withdraw
    from members.models import Organisation, OrganisationKind, Province

    organisation = Organisation.objects.create(
        name="Bibliotheek Eemland", kind=OrganisationKind.PUBLIC_LIBRARY, province=Province.UTRECHT
    )
    person = make_user(name="Wim Weerom")
    first = apply(
        person,
        community,
        haal="Voorbeelden van leesclubs.",
        breng="Een draaiboek voor ouderavonden.",
        haal_topics=[topics["leesbevordering"]],
        breng_topics=[topics["evaluatie"]],
        organisation=organisation,
    )
    Membership.objects.filter(pk=first.pk).update(self_role="aanjager")
    membership_withdraw(actor=person, membership=first)

    page = soup(client_for(person).get(subpage_url(community, "apply")))

    assert page.select_one("textarea[name=haal]").get_text().strip() == "Voorbeelden van leesclubs."
    assert (
        page.select_one("textarea[name=breng]").get_text().strip()
        == "Een draaiboek voor ouderavonden."
    )
    checked = {(box["name"], box["value"]) for box in page.select("input[checked]")}
    assert ("haal_topics", str(topics["leesbevordering"].pk)) in checked
    assert ("breng_topics", str(topics["evaluatie"].pk)) in checked
    assert ("self_role", "aanjager") in checked
    selected = page.select_one("select[name=organisation] option[selected]")
    assert selected["value"] == str(organisation.pk)


def test_a_first_application_starts_empty(make_user, community, moderator):
    page = soup(client_for(make_user(name="Nina Nieuw")).get(subpage_url(community, "apply")))

    assert page.select_one("textarea[name=haal]").get_text().strip() == ""
    assert not page.select("input[name=haal_topics][checked]")
