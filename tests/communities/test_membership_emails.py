"""E-mail about applications: to the right people, only after commit, in each
recipient's own language."""

import pytest
from django.core import mail
from django.db import transaction
from django.utils import translation

from communities.services.memberships import (
    membership_accept,
    membership_answer,
    membership_ask,
    membership_decline,
    membership_end,
)
from communities.services.moderators import moderator_appoint, moderator_hand_over
from tests.factories import CommunityPageFactory
from tests.memberships import days

pytestmark = pytest.mark.django_db


class Boom(Exception):
    pass


@pytest.fixture
def outbox():
    mail.outbox.clear()
    return mail.outbox


def to(address_holder):
    return [message for message in mail.outbox if message.to == [address_holder.email]]


def test_moderators_get_an_email_about_a_new_application(
    django_capture_on_commit_callbacks,
    outbox,
    moderator,
    make_user,
    appoint,
    apply,
    applicant,
    community,
    other_community,
    today,
):
    elsewhere = make_user(name="Moderator elders")
    appoint(elsewhere, other_community)
    former = make_user(name="Oud-moderator")
    appoint(former, community, start_date=today - days(100), end_date=today - days(1))
    outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        apply(applicant, community, haal="Ideeën voor een leesclub.", breng="Een draaiboek.")

    assert [message.to for message in outbox] == [[moderator.email]]
    [message] = outbox
    assert community.title in message.subject
    assert "Ideeën voor een leesclub." in message.body
    assert "Een draaiboek." in message.body
    assert f"http://testserver{community.url}" in message.body  # a link that works


def test_nothing_is_sent_before_commit(
    django_capture_on_commit_callbacks, outbox, apply, applicant, community, moderator
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        apply(applicant, community)
        assert outbox == []
    assert callbacks  # the mail (and the page-cache refresh) wait for the commit
    assert len(outbox) == 1


def test_nothing_is_sent_when_the_transaction_rolls_back(
    django_capture_on_commit_callbacks,
    outbox,
    apply,
    applicant,
    community,
    moderator,
):
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(Boom), transaction.atomic():
            apply(applicant, community)
            raise Boom
    assert outbox == []


@pytest.mark.parametrize(
    ("decide", "text"),
    [
        (lambda actor, m: membership_accept(actor=actor, membership=m), None),
        (
            lambda actor, m: membership_decline(
                actor=actor, membership=m, reason="Past beter bij Effectmeting."
            ),
            "Past beter bij Effectmeting.",
        ),
        (
            lambda actor, m: membership_ask(
                actor=actor, membership=m, question="Met welke scholen werk je samen?"
            ),
            "Met welke scholen werk je samen?",
        ),
    ],
    ids=["accepted", "declined", "question"],
)
def test_the_applicant_gets_the_decision(
    decide,
    text,
    django_capture_on_commit_callbacks,
    outbox,
    pending,
    moderator,
    applicant,
    community,
):
    with django_capture_on_commit_callbacks(execute=True):
        decide(moderator, pending)

    [message] = outbox
    assert message.to == [applicant.email]
    assert community.title in message.subject
    if text:
        assert text in message.body


def test_the_moderators_get_the_answer(
    django_capture_on_commit_callbacks, outbox, pending, moderator, applicant, community
):
    membership_ask(actor=moderator, membership=pending, question="Welke scholen?")
    with django_capture_on_commit_callbacks(execute=True):
        membership_answer(actor=applicant, membership=pending, answer="De Regenboog en De Linde.")

    [message] = outbox
    assert message.to == [moderator.email]
    assert community.title in message.subject
    assert "De Regenboog en De Linde." in message.body


def test_the_member_gets_the_end_reason(
    django_capture_on_commit_callbacks, outbox, pending, moderator, applicant, community
):
    membership_accept(actor=moderator, membership=pending)
    with django_capture_on_commit_callbacks(execute=True):
        membership_end(actor=moderator, membership=pending, reason="Al een jaar niet actief.")

    [message] = outbox
    assert message.to == [applicant.email]
    assert community.title in message.subject
    assert "Al een jaar niet actief." in message.body


def test_a_new_moderator_is_told(
    django_capture_on_commit_callbacks, outbox, coordinator, make_user, join, community, moderator
):
    newcomer = make_user(name="Nieuwe moderator")
    join(newcomer, community)
    with django_capture_on_commit_callbacks(execute=True):
        moderator_appoint(actor=coordinator, community=community, user=newcomer)
    successor = make_user(name="Opvolger")
    join(successor, community)
    with django_capture_on_commit_callbacks(execute=True):
        moderator_hand_over(actor=moderator, community=community, successor=successor)

    assert [message.to for message in outbox] == [[newcomer.email], [successor.email]]
    assert all(community.title in message.subject for message in outbox)


def test_each_recipient_reads_their_own_language(
    django_capture_on_commit_callbacks, outbox, make_user, appoint, apply, applicant, community
):
    dutch = make_user(name="Moderator NL", language="nl")
    english = make_user(name="Moderator EN", language="en")
    appoint(dutch, community)
    appoint(english, community)
    outbox.clear()

    # Whatever language the applicant's request happens to be in.
    for active in ("en", "nl"):
        applicant_now = make_user(name=f"Aanvrager {active}")
        with translation.override(active), django_capture_on_commit_callbacks(execute=True):
            apply(applicant_now, community)

    subjects = {}
    for message in outbox:
        subjects.setdefault(message.to[0], set()).add(message.subject)
    assert len(subjects[dutch.email]) == 1, "the Dutch subject depends on the active language"
    assert len(subjects[english.email]) == 1, "the English subject depends on the active language"
    [nl_subject], [en_subject] = subjects[dutch.email], subjects[english.email]
    assert community.title in nl_subject
    assert community.title in en_subject
    assert nl_subject != en_subject, "the Dutch subject is not translated"


def test_the_subject_shows_the_title_as_written(
    django_capture_on_commit_callbacks, outbox, site_tree, make_user, appoint, apply, applicant
):
    community = CommunityPageFactory(parent=site_tree, title="Lezen & schrijven: 't begin")
    appoint(make_user(name="Moderator"), community)
    outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        apply(applicant, community)

    [message] = outbox
    assert "Lezen & schrijven: 't begin" in message.subject
    assert "\n" not in message.subject
