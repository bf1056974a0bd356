"""The reischeque (travel voucher) for the development conversation: it carries
the organisation's travel goal, the questions, the preparation tips, the
agreements and the review date, and links the member's self-test result only
while the member shares it with the organisation's managers."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from members.reischeque import DEFAULT_QUESTIONS
from members.services.agreements import agreement_record, reischeque_settings_set
from members.services.selftest import selftest_revoke, selftest_share, selftest_submit
from tests.members.conftest import VERBINDER_FIT
from tests.views_support import client_for, main_text, post_form

pytestmark = pytest.mark.django_db

GOAL = "Elke collega in een community werkt samen met een partner buiten de bibliotheek."


@pytest.fixture
def wim(person, organisation):
    return person("Wim Werker", organisation)


def _record(manager, organisation, wim):
    today = timezone.localdate()
    return agreement_record(
        actor=manager,
        organisation=organisation,
        user=wim,
        conversation_date=today,
        contribution="Zet een leesclub op met het taalhuis.",
        hours_per_week=4,
        training="Cursus gespreksvoering",
        review_date=today + datetime.timedelta(days=90),
    )


def _page(user, agreement) -> str:
    response = client_for(user).get(reverse("members:reischeque", args=[agreement.pk]))
    assert response.status_code == 200
    return main_text(response)


def test_the_reischeque_carries_the_travel_goal_and_the_default_questions(
    manager, organisation, wim
):
    reischeque_settings_set(
        actor=manager, organisation=organisation, travel_goal=GOAL, questions=""
    )
    agreement = _record(manager, organisation, wim)

    for viewer in (wim, manager):
        text = _page(viewer, agreement)
        assert "Reischeque van Wim Werker" in text
        assert f"Ons reisdoel {GOAL}" in text
        assert "Welk deel van ons reisdoel spreekt je het meest aan, en waarom?" in text
        assert "Lees het reisdoel en de vragen, en schrijf je eerste gedachten op." in text
        assert "Luister eerst: laat de collega de vragen beantwoorden" in text
        assert "Zet een leesclub op met het taalhuis." in text
        review = agreement.review_date
        assert f"Samen terugkijken: {review.day} " in text
    assert len(agreement.questions.splitlines()) == len(DEFAULT_QUESTIONS)


def test_the_organisations_own_questions_replace_the_default_and_stay_on_the_cheque(
    manager, organisation, wim
):
    reischeque_settings_set(
        actor=manager,
        organisation=organisation,
        travel_goal=GOAL,
        questions="Wat wil je leren\r\nvan de regio?\n\n  Wie neem je mee?  ",
    )
    organisation.refresh_from_db()
    # Each line is one question; a broken line inside a question is not possible
    # to tell from two questions, so every line stays one line and empty ones go.
    assert organisation.reischeque_questions == "Wat wil je leren\nvan de regio?\nWie neem je mee?"
    agreement = _record(manager, organisation, wim)

    reischeque_settings_set(
        actor=manager, organisation=organisation, travel_goal="Een later doel.", questions=""
    )
    text = _page(wim, agreement)
    assert "Wie neem je mee?" in text
    assert GOAL in text
    assert "Een later doel." not in text


def test_too_many_questions_are_refused_and_nothing_changes(manager, organisation):
    reischeque_settings_set(
        actor=manager, organisation=organisation, travel_goal=GOAL, questions=""
    )
    url = reverse("members:reischeque_settings", args=[organisation.pk])
    response = post_form(
        client_for(manager),
        url,
        {"travel_goal": "Anders", "questions": "\n".join(f"Vraag {n}?" for n in range(13))},
    )
    assert response.status_code == 400
    assert "Schrijf hoogstens 12 vragen." in main_text(response)
    organisation.refresh_from_db()
    assert (organisation.travel_goal, organisation.reischeque_questions) == (GOAL, "")
    with pytest.raises(ValidationError):
        reischeque_settings_set(
            actor=manager, organisation=organisation, travel_goal="", questions="x" * 301
        )


def test_only_the_organisations_manager_writes_the_travel_goal(wim, organisation):
    url = reverse("members:reischeque_settings", args=[organisation.pk])
    assert client_for(wim).get(url).status_code == 403


def test_the_self_test_is_linked_only_while_the_member_shares_it(manager, organisation, wim):
    agreement = _record(manager, organisation, wim)
    result = selftest_submit(actor=wim, answers=VERBINDER_FIT)
    result_link = reverse("members:selftest_result", args=[result.pk])

    def links(user):
        response = client_for(user).get(reverse("members:reischeque", args=[agreement.pk]))
        return result_link in response.content.decode(), main_text(response)

    # Not shared: neither the manager nor the member's own copy links it.
    linked, text = links(manager)
    assert not linked
    assert "De medewerker heeft geen uitkomst van de zelftest met je gedeeld." in text
    linked, text = links(wim)
    assert not linked
    assert "Je hebt geen uitkomst van de zelftest met je managers gedeeld." in text

    selftest_share(actor=wim, result=result)
    for viewer in (manager, wim):
        linked, text = links(viewer)
        assert linked
        assert "past het best: Verbinder" in text

    selftest_revoke(actor=wim, result=result)
    linked, text = links(manager)
    assert not linked
    assert "past het best" not in text


def test_others_do_not_see_the_reischeque(
    manager, organisation, other_organisation, wim, person, manager_for, coordinator
):
    agreement = _record(manager, organisation, wim)
    other_manager = person("Otto Ander", other_organisation)
    manager_for(other_manager, other_organisation)
    colleague = person("Cor Collega", organisation)
    url = reverse("members:reischeque", args=[agreement.pk])
    for outsider in (other_manager, colleague, coordinator):
        assert client_for(outsider).get(url).status_code == 404
    assert client_for().get(url).status_code == 302


def test_the_reischeque_page_does_not_grow_in_queries(
    manager, organisation, wim, django_assert_num_queries
):
    reischeque_settings_set(
        actor=manager, organisation=organisation, travel_goal=GOAL, questions=""
    )
    agreement = _record(manager, organisation, wim)
    for _ in range(3):
        selftest_share(actor=wim, result=selftest_submit(actor=wim, answers=VERBINDER_FIT))
    client = client_for(manager)
    url = reverse("members:reischeque", args=[agreement.pk])
    client.get(url)
    with django_assert_num_queries(6) as before:
        client.get(url)
    for _ in range(5):
        selftest_share(actor=wim, result=selftest_submit(actor=wim, answers=VERBINDER_FIT))
        _record(manager, organisation, wim)
    with django_assert_num_queries(len(before.captured_queries)):
        client.get(url)


def test_the_member_prepares_with_the_questions_on_their_reischeques_page(
    manager, organisation, wim
):
    reischeque_settings_set(
        actor=manager, organisation=organisation, travel_goal=GOAL, questions=""
    )
    text = main_text(client_for(wim).get(reverse("members:my_agreements")))
    assert "Nog geen reischeque." in text
    assert "Je volgende gesprek voorbereiden" in text
    assert GOAL in text
    assert "Wat heb je nodig van de organisatie" in text
