"""Managers assign and end the roles of their organisation's people and set the
organisation's targets per community."""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from communities import permissions
from communities.models import CommunityPage, Membership, MembershipState
from cop_platform.sanitize import clean_text
from members.models import Organisation, RoleAssignment, Target


@transaction.atomic
def role_assign(
    *,
    actor,
    organisation: Organisation,
    community: CommunityPage,
    user,
    role: str,
    hours_per_week: Decimal = Decimal("0"),
    contribution: str = "",
    start_date: datetime.date | None = None,
) -> RoleAssignment:
    """A manager gives one of their organisation's people a role in a community.

    Preconditions: the person is an active member of the (active) community on
    behalf of the organisation, and does not hold that role there already. A
    person may hold several different roles."""
    permissions.require(permissions.can_manage_roles(actor, organisation))
    if not community.is_active:
        raise ValidationError(_("This community is an archive; roles can no longer be assigned."))
    if not Membership.objects.filter(
        user=user, community=community, organisation=organisation, state=MembershipState.ACTIVE
    ).exists():
        raise ValidationError(
            _(
                "Only an active member of the community on behalf of your organisation "
                "can hold a role."
            )
        )
    start_date = start_date or timezone.localdate()
    if (
        RoleAssignment.objects.current(start_date)
        .filter(user=user, community=community, organisation=organisation, role=role)
        .exists()
    ):
        raise ValidationError(_("This person already holds this role in this community."))
    assignment = RoleAssignment(
        user=user,
        organisation=organisation,
        community=community,
        role=role,
        start_date=start_date,
        hours_per_week=hours_per_week,
        contribution=clean_text(contribution),
        assigned_by=actor,
    )
    assignment.full_clean()
    assignment.save()
    return assignment


@transaction.atomic
def role_end(*, actor, assignment: RoleAssignment) -> RoleAssignment:
    """A manager ends a role today (a role that had not started ends before it begins)."""
    permissions.require(permissions.can_manage_roles(actor, assignment.organisation))
    assignment = RoleAssignment.objects.select_for_update().get(pk=assignment.pk)
    today = timezone.localdate()
    if assignment.end_date is not None and assignment.end_date <= today:
        raise ValidationError(_("This role has already ended."))
    assignment.end_date = max(today, assignment.start_date)
    assignment.save(update_fields=["end_date"])
    return assignment


@transaction.atomic
def target_set(
    *,
    actor,
    organisation: Organisation,
    community: CommunityPage,
    target_members: int,
    target_activities: int,
    deadline: datetime.date,
) -> Target:
    """A manager sets (or changes) the organisation's target in a community."""
    permissions.require(permissions.can_manage_roles(actor, organisation))
    if not community.is_active:
        raise ValidationError(_("This community is an archive; targets can no longer be set."))
    target = (
        Target.objects.select_for_update()
        .filter(organisation=organisation, community=community, retired_into__isnull=True)
        .order_by("-pk")
        .first()
    ) or Target(organisation=organisation, community=community)
    target.target_members = target_members
    target.target_activities = target_activities
    target.deadline = deadline
    target.set_by = actor
    target.full_clean()
    target.save()
    return target
