"""Who may decide a community's applications, and who may act on their own."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied

from communities import permissions
from communities.models import Membership, MembershipState, MembershipTransition
from communities.services.memberships import (
    membership_accept,
    membership_answer,
    membership_apply,
    membership_ask,
    membership_decline,
    membership_end,
    membership_leave,
    membership_withdraw,
)
from communities.services.moderators import moderatorship_end
from tests.memberships import days

S = MembershipState
pytestmark = pytest.mark.django_db

DECISIONS = {
    "accept": lambda actor, m: membership_accept(actor=actor, membership=m),
    "decline": lambda actor, m: membership_decline(actor=actor, membership=m, reason="Nee."),
    "ask": lambda actor, m: membership_ask(actor=actor, membership=m, question="Waarom?"),
}


def assert_unchanged(membership, state):
    membership.refresh_from_db()
    assert membership.state == state
    assert membership.transitions.count() == 1  # only the application itself


@pytest.mark.parametrize("decision", DECISIONS)
def test_a_current_moderator_decides(decision, pending, moderator):
    DECISIONS[decision](moderator, pending)
    pending.refresh_from_db()
    assert pending.state != S.PENDING
    assert pending.transitions.last().actor == moderator


@pytest.mark.parametrize("decision", DECISIONS)
@pytest.mark.parametrize("who", ["coordinator", "network_coordinator"])
def test_coordinators_decide_everywhere(decision, who, request, pending):
    actor = request.getfixturevalue(who)
    assert not permissions.is_current_moderator(actor, pending.community)

    DECISIONS[decision](actor, pending)

    pending.refresh_from_db()
    assert pending.state != S.PENDING


@pytest.fixture
def moderator_elsewhere(make_user, appoint, other_community):
    user = make_user(name="Moderator van B")
    appoint(user, other_community)
    return user


@pytest.fixture
def ex_moderator(make_user, appoint, community, today):
    user = make_user(name="Oud-moderator")
    appoint(user, community, start_date=today - days(400), end_date=today - days(30))
    return user


@pytest.fixture
def future_moderator(make_user, appoint, community, today):
    user = make_user(name="Toekomstige moderator")
    appoint(user, community, start_date=today + days(1))
    return user


@pytest.fixture
def plain_member(make_user, join, community):
    user = make_user(name="Gewoon lid")
    join(user, community)
    return user


@pytest.mark.parametrize("decision", DECISIONS)
@pytest.mark.parametrize(
    "who",
    ["moderator_elsewhere", "ex_moderator", "future_moderator", "plain_member", "applicant"],
)
def test_others_cannot_decide(decision, who, request, pending):
    actor = request.getfixturevalue(who)

    with pytest.raises(PermissionDenied):
        DECISIONS[decision](actor, pending)

    assert_unchanged(pending, S.PENDING)


@pytest.mark.parametrize("who", ["moderator_elsewhere", "ex_moderator", "future_moderator"])
def test_others_cannot_end_a_membership(who, request, plain_member, community):
    actor = request.getfixturevalue(who)
    membership = Membership.objects.get(user=plain_member, community=community)
    with pytest.raises(PermissionDenied):
        membership_end(actor=actor, membership=membership, reason="Weg.")
    membership.refresh_from_db()
    assert membership.state == S.ACTIVE


def test_a_moderator_whose_term_was_ended_today_can_no_longer_decide(
    pending, moderator, make_user, appoint, coordinator, community
):
    appoint(make_user(name="Opvolger"), community)
    term = moderator.moderatorships.get()
    moderatorship_end(actor=coordinator, moderatorship=term)
    permissions.forget(moderator)  # a new request starts without cached facts

    with pytest.raises(PermissionDenied):
        membership_accept(actor=moderator, membership=pending)
    assert_unchanged(pending, S.PENDING)


@pytest.mark.parametrize("who", ["moderator", "coordinator", "plain_member"])
def test_only_the_applicant_withdraws(who, request, pending):
    actor = request.getfixturevalue(who)
    with pytest.raises(PermissionDenied):
        membership_withdraw(actor=actor, membership=pending)
    assert_unchanged(pending, S.PENDING)

    membership_withdraw(actor=pending.user, membership=pending)
    pending.refresh_from_db()
    assert pending.state == S.WITHDRAWN


@pytest.mark.parametrize("who", ["moderator", "coordinator", "plain_member"])
def test_only_the_applicant_answers(who, request, pending, moderator):
    membership_ask(actor=moderator, membership=pending, question="Wat breng je mee?")
    actor = request.getfixturevalue(who)
    transitions = pending.transitions.count()

    with pytest.raises(PermissionDenied):
        membership_answer(actor=actor, membership=pending, answer="Namens de aanvrager.")
    pending.refresh_from_db()
    assert pending.state == S.NEEDS_INFO
    assert pending.transitions.count() == transitions

    membership_answer(actor=pending.user, membership=pending, answer="Mijn eigen antwoord.")
    pending.refresh_from_db()
    assert pending.state == S.PENDING


@pytest.mark.parametrize("who", ["moderator", "coordinator"])
def test_only_the_member_leaves(who, request, plain_member, community):
    membership = Membership.objects.get(user=plain_member, community=community)
    with pytest.raises(PermissionDenied):
        membership_leave(actor=request.getfixturevalue(who), membership=membership)
    membership.refresh_from_db()
    assert membership.state == S.ACTIVE


def test_anonymous_cannot_apply(community):
    with pytest.raises(PermissionDenied):
        membership_apply(actor=AnonymousUser(), community=community, haal="Iets", breng="Iets")
    assert not Membership.objects.exists()
    assert not MembershipTransition.objects.exists()


def test_anonymous_cannot_decide_or_withdraw(pending):
    anonymous = AnonymousUser()
    for decision in DECISIONS.values():
        with pytest.raises(PermissionDenied):
            decision(anonymous, pending)
    with pytest.raises(PermissionDenied):
        membership_withdraw(actor=anonymous, membership=pending)
    assert_unchanged(pending, S.PENDING)


def test_the_permission_answers_match(
    pending,
    moderator,
    moderator_elsewhere,
    ex_moderator,
    future_moderator,
    coordinator,
    network_coordinator,
    community,
):
    assert permissions.can_decide_applications(moderator, community)
    assert permissions.can_decide_applications(coordinator, community)
    assert permissions.can_decide_applications(network_coordinator, community)
    for user in (moderator_elsewhere, ex_moderator, future_moderator, pending.user):
        assert not permissions.can_decide_applications(user, community)
    assert not permissions.can_decide_applications(AnonymousUser(), community)
