"""The single answer to "may this user do X in this community".

Views, consumers, selectors and services ask here and nowhere else. Every
function takes the user first and is cheap: the facts it needs (current
moderatorship, open membership) are one query each and cached per request on
the user object by `_facts`.
"""

from communities.models import (
    OPEN_MEMBERSHIP_STATES,
    CommunityPage,
    Membership,
    MembershipState,
    Moderatorship,
)

COORDINATORS_GROUP = "Netwerkcoördinatoren"


def is_coordinator(user) -> bool:
    """Network coordinators see and steer everything; superusers count as coordinators."""
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    cached = getattr(user, "_cop_is_coordinator", None)
    if cached is None:
        cached = user.groups.filter(name=COORDINATORS_GROUP).exists()
        user._cop_is_coordinator = cached
    return cached


def _moderated_ids(user) -> set[int]:
    """Ids of the communities in which the user is a current moderator (cached on the user)."""
    cached = getattr(user, "_cop_moderated_ids", None)
    if cached is None:
        cached = set(
            Moderatorship.objects.current().filter(user=user).values_list("community_id", flat=True)
        )
        user._cop_moderated_ids = cached
    return cached


def _membership_states(user) -> dict[int, str]:
    """Community id → state of the user's open membership there (cached on the user)."""
    cached = getattr(user, "_cop_membership_states", None)
    if cached is None:
        cached = dict(
            Membership.objects.filter(user=user, state__in=OPEN_MEMBERSHIP_STATES).values_list(
                "community_id", "state"
            )
        )
        user._cop_membership_states = cached
    return cached


def forget(user) -> None:
    """Drop the cached facts after a write that changes them."""
    for attr in ("_cop_is_coordinator", "_cop_moderated_ids", "_cop_membership_states"):
        if hasattr(user, attr):
            delattr(user, attr)


def is_current_moderator(user, community: CommunityPage) -> bool:
    return user.is_authenticated and community.pk in _moderated_ids(user)


def is_active_member(user, community: CommunityPage) -> bool:
    return (
        user.is_authenticated
        and _membership_states(user).get(community.pk) == MembershipState.ACTIVE
    )


def open_membership_state(user, community: CommunityPage) -> str | None:
    if not user.is_authenticated:
        return None
    return _membership_states(user).get(community.pk)


# --- membership -------------------------------------------------------------


def can_apply(user, community: CommunityPage) -> bool:
    """Anyone logged in may apply to an active community they have no open membership of."""
    return (
        user.is_authenticated
        and community.is_active
        and open_membership_state(user, community) is None
    )


def can_decide_applications(user, community: CommunityPage) -> bool:
    """Accept, decline, ask, end memberships; see the queue, the answers and the balance."""
    return user.is_authenticated and (is_coordinator(user) or is_current_moderator(user, community))


def can_view_member_list(user, community: CommunityPage) -> bool:
    """The whole network may look in once logged in; visitors see counts only."""
    return user.is_authenticated


def can_view_profiles(user) -> bool:
    return user.is_authenticated


# --- moderators -------------------------------------------------------------


def can_manage_moderators(user, community: CommunityPage) -> bool:
    """Appoint and end moderatorships: coordinators only."""
    return is_coordinator(user) and community.is_active


def can_hand_over(user, community: CommunityPage) -> bool:
    """A current moderator may pass the role to a successor in one step."""
    return community.is_active and is_current_moderator(user, community)


def can_view_moderation_overview(user) -> bool:
    return is_coordinator(user)


def can_manage_organisations(user) -> bool:
    return is_coordinator(user)
