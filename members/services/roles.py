"""Managers assign, change and end the roles of their organisation's people and
set the organisation's targets per community.

The person is told by e-mail of every change to their roles (lesson 3 of the
pilot: people must know what their contribution is). These mails are about the
person's work agreements, not forum news, so the forum's e-mail preferences do
not apply to them; they are sent after commit like every mail.
"""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from communities import permissions
from communities.models import CommunityPage, Membership, MembershipState
from cop_platform.mail import send_mail_on_commit
from cop_platform.sanitize import clean_text
from members.activity import ActivityKind
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
    _tell_the_person("role_assigned", assignment)
    return assignment


@transaction.atomic
def role_change(
    *, actor, assignment: RoleAssignment, hours_per_week: Decimal, contribution: str
) -> RoleAssignment:
    """A manager changes the hours or the contribution of a role that has not ended."""
    permissions.require(permissions.can_manage_roles(actor, assignment.organisation))
    assignment = RoleAssignment.objects.select_for_update().get(pk=assignment.pk)
    if assignment.end_date is not None and assignment.end_date <= timezone.localdate():
        raise ValidationError(_("This role has already ended."))
    contribution = clean_text(contribution)
    if (assignment.hours_per_week, assignment.contribution) == (hours_per_week, contribution):
        raise ValidationError(_("Nothing has changed."))
    assignment.hours_per_week = hours_per_week
    assignment.contribution = contribution
    assignment.full_clean()
    assignment.save(update_fields=["hours_per_week", "contribution"])
    _tell_the_person("role_changed", assignment)
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
    _tell_the_person("role_ended", assignment)
    return assignment


def _tell_the_person(template: str, assignment: RoleAssignment) -> None:
    send_mail_on_commit(
        template=f"members/email/{template}",
        recipients=[assignment.user],
        context={
            "assignment": assignment,
            "community": assignment.community,
            "organisation": assignment.organisation,
        },
    )


@transaction.atomic
def target_set(
    *,
    actor,
    organisation: Organisation,
    community: CommunityPage,
    target_members: int,
    target_activities: int,
    deadline: datetime.date,
    activity_kind: str = ActivityKind.ALL,
) -> Target:
    """A manager sets (or changes) the organisation's target in a community: the
    members the community reaches and the activities of `activity_kind` the
    organisation's people contribute (members.activity.ActivityKind)."""
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
    target.activity_kind = activity_kind
    target.deadline = deadline
    target.set_by = actor
    target.full_clean()
    target.save()
    return target
