"""Dated moderatorships and the invariant that every active community has at
least one current moderator.

Each write locks the community's page row first, so two concurrent "end" actions
cannot both see another moderator and together leave none.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.models import Page

from communities import permissions
from communities.models import (
    OPEN_MEMBERSHIP_STATES,
    CommunityPage,
    Membership,
    MembershipState,
    MembershipTransition,
    Moderatorship,
)
from cop_platform.mail import send_mail_on_commit

LAST_MODERATOR_MESSAGE = gettext_lazy(
    "A community needs at least one moderator. Appoint a successor first (or hand over the role)."
)


def _lock_community(community: CommunityPage) -> None:
    Page.objects.select_for_update().filter(pk=community.pk).first()


def _others_current(community: CommunityPage, excluding: Moderatorship | None, today) -> bool:
    others = Moderatorship.objects.current(today).filter(community=community)
    if excluding is not None:
        others = others.exclude(pk=excluding.pk)
    return others.exists()


def _require_active_member(user, community: CommunityPage) -> None:
    if not Membership.objects.filter(
        user=user, community=community, state=MembershipState.ACTIVE
    ).exists():
        raise ValidationError(_("Only an active member of the community can become its moderator."))


def _refuse_overlap(community, user, start_date, end_date) -> None:
    """One person has at most one term at a time in a community."""
    overlapping = (
        Moderatorship.objects.filter(community=community, user=user)
        .exclude(end_date__lte=start_date)
        .exclude(end_date=F("start_date"))  # ended before it began: covers no day
    )
    if end_date is not None:
        overlapping = overlapping.filter(start_date__lt=end_date)
    if overlapping.exists():
        raise ValidationError(_("This person is already a moderator in that period."))


def _end(moderatorship: Moderatorship, today) -> None:
    """End a term today; a term that had not started yet ends before it begins."""
    moderatorship.end_date = max(today, moderatorship.start_date)
    moderatorship.save(update_fields=["end_date"])


@transaction.atomic
def moderator_appoint(
    *,
    actor,
    community: CommunityPage,
    user,
    start_date: datetime.date | None = None,
    end_date: datetime.date | None = None,
) -> Moderatorship:
    """A coordinator appoints an active member as moderator for a term."""
    permissions.require(permissions.can_manage_moderators(actor, community))
    _lock_community(community)
    start_date = start_date or timezone.localdate()
    _require_active_member(user, community)
    _refuse_overlap(community, user, start_date, end_date)
    moderatorship = Moderatorship(
        community=community,
        user=user,
        start_date=start_date,
        end_date=end_date,
        appointed_by=actor,
    )
    moderatorship.full_clean()
    moderatorship.save()
    permissions.forget(user)
    send_mail_on_commit(
        template="communities/email/moderator_appointed",
        recipients=[user],
        context={"community": community, "moderatorship": moderatorship},
    )
    return moderatorship


@transaction.atomic
def moderatorship_end(*, actor, moderatorship: Moderatorship) -> Moderatorship:
    """A coordinator ends a term today. Refused for the last current moderator."""
    community = moderatorship.community
    permissions.require(permissions.can_manage_moderators(actor, community))
    _lock_community(community)
    moderatorship = Moderatorship.objects.get(pk=moderatorship.pk)
    today = timezone.localdate()
    if moderatorship.has_ended:
        raise ValidationError(_("This term has already ended."))
    if moderatorship.is_current(today) and not _others_current(community, moderatorship, today):
        raise ValidationError(LAST_MODERATOR_MESSAGE)
    _end(moderatorship, today)
    permissions.forget(moderatorship.user)
    return moderatorship


@transaction.atomic
def moderator_hand_over(
    *, actor, community: CommunityPage, successor, end_date: datetime.date | None = None
) -> Moderatorship:
    """A current moderator ends their own term and starts the successor's, in one step."""
    permissions.require(permissions.can_hand_over(actor, community))
    if successor.pk == actor.pk:
        raise ValidationError(_("Choose someone else as your successor."))
    _lock_community(community)
    today = timezone.localdate()
    _require_active_member(successor, community)
    if Moderatorship.objects.current(today).filter(community=community, user=successor).exists():
        raise ValidationError(_("This person is already a moderator of the community."))
    _refuse_overlap(community, successor, today, end_date)
    own = Moderatorship.objects.current(today).filter(community=community, user=actor)
    for moderatorship in own:
        _end(moderatorship, today)
    successor_term = Moderatorship(
        community=community,
        user=successor,
        start_date=today,
        end_date=end_date,
        appointed_by=actor,
    )
    successor_term.full_clean()
    successor_term.save()
    permissions.forget(actor)
    permissions.forget(successor)
    send_mail_on_commit(
        template="communities/email/moderator_appointed",
        recipients=[successor],
        context={"community": community, "moderatorship": successor_term, "predecessor": actor},
    )
    return successor_term


def end_moderatorships_of_leaving_member(*, membership: Membership) -> None:
    """Called inside a membership transaction when a member leaves or is removed:
    their current and future terms end; refused if that leaves no moderator."""
    community = membership.community
    _lock_community(community)
    today = timezone.localdate()
    terms = list(
        Moderatorship.objects.filter(community=community, user=membership.user).exclude(
            end_date__lte=today
        )
    )
    if not terms:
        return
    remaining = (
        Moderatorship.objects.current(today)
        .filter(community=community)
        .exclude(pk__in=[term.pk for term in terms])
    )
    if community.is_active and not remaining.exists():
        raise ValidationError(LAST_MODERATOR_MESSAGE)
    for term in terms:
        _end(term, today)
    permissions.forget(membership.user)


def communities_only_moderated_by(user) -> list[CommunityPage]:
    """Active communities in which `user` is the only current moderator: the
    invariant forbids them to go (leave, be removed, erase their account)."""
    today = timezone.localdate()
    own = Moderatorship.objects.current(today).filter(user=user).values("community_id")
    others = (
        Moderatorship.objects.current(today)
        .filter(community_id__in=own)
        .exclude(user=user)
        .values("community_id")
    )
    return list(
        CommunityPage.objects.filter(pk__in=own, status="active")
        .exclude(pk__in=others)
        .order_by("title")
    )


def end_moderatorships_of_erased_user(user) -> None:
    """Called inside the account-erasure transaction: the person's current and
    future terms end today. Locks the communities they moderate first and refuses
    (ValidationError) if that would leave an active community without a moderator."""
    today = timezone.localdate()
    moderated = Moderatorship.objects.current(today).filter(user=user).values("community_id")
    list(Page.objects.select_for_update().filter(pk__in=moderated).values_list("pk", flat=True))
    if communities_only_moderated_by(user):
        raise ValidationError(LAST_MODERATOR_MESSAGE)
    for term in Moderatorship.objects.filter(user=user).exclude(end_date__lte=today):
        _end(term, today)
    permissions.forget(user)


@transaction.atomic
def founding_moderator_appoint(*, actor, community: CommunityPage) -> Moderatorship | None:
    """The coordinator who publishes a community that has no moderator becomes its
    first member and moderator (they hand the role over on its moderators page).

    A new community is a draft until it is published, and a draft has no pages
    where people apply or moderators are appointed: so whoever publishes it is
    the one who can vouch for it. Nothing happens when it already has a current
    moderator. Refused for anyone but a coordinator.
    """
    permissions.require(permissions.can_manage_moderators(actor, community))
    _lock_community(community)
    if Moderatorship.objects.current().filter(community=community).exists():
        return None
    membership = Membership.objects.filter(
        user=actor, community=community, state__in=OPEN_MEMBERSHIP_STATES
    ).first()
    if membership is None:
        # No application (no haal/breng answers): the founder joins without one.
        membership = Membership.objects.create(
            user=actor,
            community=community,
            state=MembershipState.ACTIVE,
            joined_at=timezone.now(),
            haal="",
            breng="",
        )
        MembershipTransition.objects.create(
            membership=membership,
            from_state="",
            to_state=MembershipState.ACTIVE,
            actor=actor,
            note=_("Founded the community."),
        )
    elif membership.state != MembershipState.ACTIVE:
        MembershipTransition.objects.create(
            membership=membership,
            from_state=membership.state,
            to_state=MembershipState.ACTIVE,
            actor=actor,
            note=_("Founded the community."),
        )
        membership.state = MembershipState.ACTIVE
        membership.joined_at = timezone.now()
        membership.save(update_fields=["state", "joined_at"])
    permissions.forget(actor)
    return moderator_appoint(actor=actor, community=community, user=actor)
