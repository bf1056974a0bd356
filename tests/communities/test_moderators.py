"""Dated moderatorships and the invariant "every active community has at least one
current moderator"."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from communities.models import Membership, MembershipState, MembershipTransition, Moderatorship
from communities.selectors import communities_needing_moderators, community_people
from communities.services.memberships import membership_end, membership_leave
from communities.services.moderators import (
    LAST_MODERATOR_MESSAGE,
    moderator_appoint,
    moderator_hand_over,
    moderatorship_end,
)
from tests.memberships import current_terms, days

S = MembershipState
pytestmark = pytest.mark.django_db


def last_moderator_message() -> str:
    with translation.override("en"):
        return str(LAST_MODERATOR_MESSAGE)


def refusal_in_english(service, **kwargs) -> list[str]:
    """The ValidationError's messages, read while English is active (they may be lazy)."""
    with translation.override("en"):
        with pytest.raises(ValidationError) as refused:
            service(**kwargs)
        return [str(message) for message in refused.value.messages]


def snapshot(community):
    """Everything the invariant tests must leave untouched."""
    return (
        list(Moderatorship.objects.filter(community=community).values()),
        list(Membership.objects.filter(community=community).values()),
        MembershipTransition.objects.count(),
    )


@pytest.fixture
def second_moderator(make_user, appoint, community):
    user = make_user(name="Tweede moderator")
    appoint(user, community)
    return user


@pytest.fixture
def member(make_user, join, community):
    user = make_user(name="Lid")
    join(user, community)
    return user


# --- the last moderator -------------------------------------------------------


def test_ending_the_last_current_moderatorship_is_refused(moderator, coordinator, community):
    term = moderator.moderatorships.get()
    before = snapshot(community)

    refusal = refusal_in_english(moderatorship_end, actor=coordinator, moderatorship=term)

    assert refusal == [last_moderator_message()]
    assert snapshot(community) == before
    term.refresh_from_db()
    assert term.end_date is None


def test_ending_one_of_two_moderatorships_works(
    moderator, second_moderator, coordinator, community, today
):
    term = moderator.moderatorships.get()

    moderatorship_end(actor=coordinator, moderatorship=term)

    term.refresh_from_db()
    assert term.end_date == today
    assert not term.is_current()
    assert [t.user for t in current_terms(community)] == [second_moderator]


def test_the_last_moderator_cannot_leave(moderator, community):
    membership = Membership.objects.get(user=moderator, community=community)
    before = snapshot(community)

    refusal = refusal_in_english(membership_leave, actor=moderator, membership=membership)

    assert refusal == [last_moderator_message()]
    assert snapshot(community) == before


def test_the_last_moderator_cannot_be_ended(moderator, coordinator, community):
    membership = Membership.objects.get(user=moderator, community=community)
    before = snapshot(community)

    refusal = refusal_in_english(
        membership_end, actor=coordinator, membership=membership, reason="Geen tijd meer."
    )

    assert refusal == [last_moderator_message()]
    assert snapshot(community) == before


def test_a_moderator_who_is_not_the_last_leaves_with_the_role(
    moderator, second_moderator, community, today
):
    membership = Membership.objects.get(user=moderator, community=community)

    membership_leave(actor=moderator, membership=membership)

    membership.refresh_from_db()
    assert membership.state == S.LEFT
    assert moderator.moderatorships.get().end_date == today
    assert [t.user for t in current_terms(community)] == [second_moderator]


def test_a_moderator_cannot_leave_while_only_a_future_moderator_exists(
    moderator, make_user, appoint, community, today
):
    appoint(make_user(name="Later"), community, start_date=today + days(7))
    membership = Membership.objects.get(user=moderator, community=community)
    with pytest.raises(ValidationError):
        membership_leave(actor=moderator, membership=membership)
    assert moderator.moderatorships.get().is_current()


# --- hand-over ----------------------------------------------------------------


def test_hand_over_ends_own_term_and_starts_the_successors(moderator, member, community, today):
    successor_term = moderator_hand_over(actor=moderator, community=community, successor=member)

    own = moderator.moderatorships.get()
    assert own.end_date == today
    assert not own.is_current()
    assert successor_term.user == member
    assert successor_term.start_date == today
    assert successor_term.appointed_by == moderator
    assert [t.user for t in current_terms(community)] == [member]
    assert [m.user for m in community_people(community).moderators] == [member]


def test_hand_over_may_set_the_successors_end_date(moderator, member, community, today):
    term = moderator_hand_over(
        actor=moderator, community=community, successor=member, end_date=today + days(365)
    )
    assert term.end_date == today + days(365)


def test_the_successor_must_be_an_active_member(moderator, applicant, apply, community):
    apply(applicant, community)  # pending, not yet a member
    before = snapshot(community)

    refusal = refusal_in_english(
        moderator_hand_over, actor=moderator, community=community, successor=applicant
    )

    assert refusal == ["Only an active member of the community can become its moderator."]
    assert snapshot(community) == before
    assert moderator.moderatorships.get().is_current()


def test_one_cannot_hand_over_to_oneself(moderator, community):
    with pytest.raises(ValidationError):
        moderator_hand_over(actor=moderator, community=community, successor=moderator)


def test_one_cannot_hand_over_to_a_current_moderator(moderator, second_moderator, community):
    with pytest.raises(ValidationError):
        moderator_hand_over(actor=moderator, community=community, successor=second_moderator)
    assert current_terms(community).count() == 2


@pytest.mark.parametrize("who", ["member", "coordinator"])
def test_only_a_current_moderator_hands_over(who, request, moderator, make_user, join, community):
    successor = make_user(name="Opvolger")
    join(successor, community)
    actor = request.getfixturevalue(who)

    with pytest.raises(PermissionDenied):
        moderator_hand_over(actor=actor, community=community, successor=successor)
    assert [t.user for t in current_terms(community)] == [moderator]


# --- appointing ---------------------------------------------------------------


@pytest.mark.parametrize("who", ["moderator", "member"])
def test_appointing_requires_a_coordinator(who, request, community, make_user, join):
    candidate = make_user(name="Kandidaat")
    join(candidate, community)
    actor = request.getfixturevalue(who)

    with pytest.raises(PermissionDenied):
        moderator_appoint(actor=actor, community=community, user=candidate)
    assert not Moderatorship.objects.filter(user=candidate).exists()


@pytest.mark.parametrize("who", ["coordinator", "network_coordinator"])
def test_a_coordinator_appoints_an_active_member(who, request, member, community, today):
    actor = request.getfixturevalue(who)

    term = moderator_appoint(actor=actor, community=community, user=member)

    assert term.is_current()
    assert term.start_date == today
    assert term.appointed_by == actor


def test_only_an_active_member_can_be_appointed(
    coordinator, applicant, apply, community, make_user, other_community, join
):
    apply(applicant, community)
    elsewhere = make_user(name="Lid van B")
    join(elsewhere, other_community)

    for candidate in (applicant, elsewhere):
        with pytest.raises(ValidationError):
            moderator_appoint(actor=coordinator, community=community, user=candidate)
    assert not Moderatorship.objects.filter(community=community).exists()


@pytest.mark.parametrize(
    ("existing", "new", "overlaps"),
    [
        ((0, None), (0, None), True),
        ((0, None), (30, 60), True),
        ((0, 30), (10, None), True),
        ((10, 40), (0, 11), True),
        ((0, 30), (30, None), False),  # the new term starts the day the old one ends
        ((10, 40), (0, 10), False),
    ],
)
def test_overlapping_terms_are_refused(
    existing, new, overlaps, coordinator, member, community, today
):
    def dates(offsets):
        start, end = offsets
        return today + days(start), None if end is None else today + days(end)

    start, end = dates(existing)
    moderator_appoint(
        actor=coordinator, community=community, user=member, start_date=start, end_date=end
    )
    start, end = dates(new)

    if overlaps:
        with pytest.raises(ValidationError):
            moderator_appoint(
                actor=coordinator, community=community, user=member, start_date=start, end_date=end
            )
        assert Moderatorship.objects.filter(user=member).count() == 1
    else:
        moderator_appoint(
            actor=coordinator, community=community, user=member, start_date=start, end_date=end
        )
        assert Moderatorship.objects.filter(user=member).count() == 2


def test_a_term_cannot_end_before_it_starts(coordinator, member, community, today):
    with pytest.raises(ValidationError):
        moderator_appoint(
            actor=coordinator,
            community=community,
            user=member,
            start_date=today,
            end_date=today - days(1),
        )


# --- who needs a moderator -----------------------------------------------------


def test_communities_needing_moderators(communities, make_user, appoint, today):
    ending_soon, without, open_ended, ending_later, mixed = communities[:5]
    appoint(make_user(name="Bijna klaar"), ending_soon, end_date=today + days(20))
    appoint(make_user(name="Blijft"), open_ended)
    appoint(make_user(name="Nog even"), ending_later, end_date=today + days(31))
    appoint(make_user(name="Ook bijna klaar"), mixed, end_date=today + days(5))
    appoint(make_user(name="En de opvolger"), mixed)

    alerts = {alert.community.pk: alert for alert in communities_needing_moderators()}

    assert ending_soon.pk in alerts
    assert alerts[ending_soon.pk].last_day == today + days(20)
    assert [m.user.profile.display_name for m in alerts[ending_soon.pk].moderators] == [
        "Bijna klaar"
    ]
    assert without.pk in alerts
    assert alerts[without.pk].moderators == []
    assert alerts[without.pk].last_day is None
    assert open_ended.pk not in alerts
    assert ending_later.pk not in alerts
    assert mixed.pk not in alerts


def test_a_term_ending_on_the_horizon_counts_as_ending(communities, make_user, appoint, today):
    community = communities[0]
    appoint(make_user(), community, end_date=today + days(30))
    assert community.pk in {a.community.pk for a in communities_needing_moderators()}


def test_hand_over_to_someone_with_a_future_term_makes_no_overlapping_terms(
    moderator, member, coordinator, community, today
):
    moderator_appoint(
        actor=coordinator, community=community, user=member, start_date=today + days(10)
    )

    with pytest.raises(ValidationError):
        moderator_hand_over(actor=moderator, community=community, successor=member)

    assert Moderatorship.objects.filter(user=member).count() == 1
    assert moderator.moderatorships.get().is_current()
