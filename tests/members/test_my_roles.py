"""Lesson 3 of the pilot ("duidelijk wat hun bijdrage is"): a member sees each role
they hold, with its contribution, hours and the target it serves, and is told by
e-mail when a role is assigned, changed or ended."""

import datetime
from decimal import Decimal
from email.header import decode_header, make_header

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from members.services.roles import role_change, role_end, target_set
from tests.views_support import client_for, main_text, post_form

pytestmark = pytest.mark.django_db


def _subject(message) -> str:
    return str(make_header(decode_header(message.message()["Subject"])))


@pytest.fixture
def wim(person, organisation, member_of, community):
    worker = person("Wim Werker", organisation)
    member_of(worker, community, organisation)
    return worker


def test_a_member_sees_their_role_with_contribution_hours_and_target(
    wim, assign, manager, organisation, community
):
    assign(
        wim,
        community,
        "verbinder",
        organisation=organisation,
        hours="3.5",
        contribution="Legt contacten met de scholen in de regio.",
    )
    target_set(
        actor=manager,
        organisation=organisation,
        community=community,
        target_members=12,
        target_activities=4,
        deadline=datetime.date(2027, 6, 30),
    )

    text = main_text(client_for(wim).get(reverse("members:my_roles")))

    assert f"Verbinder in {community.title}" in text
    assert "Legt contacten met de scholen in de regio." in text
    assert "3,5" in text
    assert (
        "Bibliotheek Eemland streeft naar 12 leden en 4 activiteiten in deze community "
        "op 30 juni 2027." in text
    )


def test_the_roles_page_shows_only_the_persons_own_roles(
    wim, person, assign, organisation, member_of, community
):
    colleague = person("Cor Collega", organisation)
    member_of(colleague, community, organisation)
    assign(
        wim, community, "bouwer", organisation=organisation, contribution="Houdt de actielijst bij."
    )

    own = main_text(client_for(wim).get(reverse("members:my_roles")))
    other = main_text(client_for(colleague).get(reverse("members:my_roles")))

    assert "Houdt de actielijst bij." in own
    assert "Houdt de actielijst bij." not in other
    assert "Je hebt nog geen rol in een community." in other
    assert client_for().get(reverse("members:my_roles")).status_code == 302


def test_an_ended_role_leaves_the_page(wim, assign, manager, organisation, community):
    assignment = assign(wim, community, "bouwer", organisation=organisation)
    role_end(actor=manager, assignment=assignment)
    text = main_text(client_for(wim).get(reverse("members:my_roles")))
    assert f"Bouwer in {community.title}" not in text


def test_the_roles_page_does_not_grow_in_queries(
    wim,
    assign,
    manager,
    organisation,
    community,
    other_community,
    member_of,
    django_assert_num_queries,
):
    client = client_for(wim)
    assign(wim, community, "bouwer", organisation=organisation)
    client.get(reverse("members:my_roles"))  # warm the session and the site
    with django_assert_num_queries(6) as one_role:
        client.get(reverse("members:my_roles"))
    member_of(wim, other_community, organisation)
    for place in (community, other_community):
        for role in ("verbinder", "aanjager"):
            assign(wim, place, role, organisation=organisation)
        target_set(
            actor=manager,
            organisation=organisation,
            community=place,
            target_members=3,
            target_activities=3,
            deadline=timezone.localdate() + datetime.timedelta(days=90),
        )
    with django_assert_num_queries(len(one_role.captured_queries)):
        client.get(reverse("members:my_roles"))


def test_the_person_gets_an_e_mail_when_a_role_is_assigned_changed_and_ended(
    wim, assign, manager, organisation, community, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        assignment = assign(
            wim,
            community,
            "aanjager",
            organisation=organisation,
            hours="2",
            contribution="Zet de koers uit.",
        )
    [assigned] = mail.outbox
    assert assigned.to == [wim.email]
    assert _subject(assigned) == f"Je rol in {community.title}: Aanjager"
    assert "Je manager heeft je de rol Aanjager gegeven" in assigned.body
    assert "Bijdrage: Zet de koers uit." in assigned.body
    assert "http://testserver/mijn-rollen/" in assigned.body

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        role_change(
            actor=manager,
            assignment=assignment,
            hours_per_week=Decimal("6"),
            contribution="Zet de koers uit & verbindt met het beleidsplan.",
        )
    [changed] = mail.outbox
    assert _subject(changed) == f"Je rol als Aanjager in {community.title} is gewijzigd"
    assert "Uren per week: 6" in changed.body
    assert "Zet de koers uit & verbindt met het beleidsplan." in changed.body

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        role_end(actor=manager, assignment=assignment)
    [ended] = mail.outbox
    assert _subject(ended) == f"Je rol als Aanjager in {community.title} is beëindigd"
    assert "Bedankt voor je bijdrage." in ended.body


def test_a_change_that_changes_nothing_is_refused_and_sends_nothing(
    wim, assign, manager, organisation, community, django_capture_on_commit_callbacks
):
    assignment = assign(
        wim,
        community,
        "bouwer",
        organisation=organisation,
        hours="4",
        contribution="Regelt de bijeenkomsten.",
    )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError):
        role_change(
            actor=manager,
            assignment=assignment,
            hours_per_week=Decimal("4"),
            contribution="Regelt de bijeenkomsten.",
        )
    assert mail.outbox == []


def test_the_manager_changes_a_role_through_the_page(
    wim, assign, manager, organisation, community, django_capture_on_commit_callbacks
):
    assignment = assign(wim, community, "bouwer", organisation=organisation, hours="4")
    url = reverse("members:role_change", args=[organisation.pk, assignment.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = post_form(
            client_for(manager), url, {"hours_per_week": "8", "contribution": "Regelt\r\nalles."}
        )
    assert response.status_code == 302
    assignment.refresh_from_db()
    assert assignment.hours_per_week == Decimal("8")
    assert [m.to for m in mail.outbox][-1] == [wim.email]
    # Someone who does not manage the organisation cannot open the page.
    assert client_for(wim).get(url).status_code == 403
