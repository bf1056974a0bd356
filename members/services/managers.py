"""Coordinators appoint and end the managers of organisations."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from communities import permissions
from members.models import Managership, Organisation


@transaction.atomic
def manager_appoint(
    *, actor, user, organisation: Organisation, start_date: datetime.date | None = None
) -> Managership:
    """A coordinator makes `user` a manager of `organisation` from `start_date` (today).
    Refused when the person already manages it."""
    permissions.require(permissions.can_manage_managers(actor))
    if not user.is_active or user.erased_at is not None:
        raise ValidationError(_("This account is not active."))
    start_date = start_date or timezone.localdate()
    if (
        Managership.objects.current(start_date)
        .filter(user=user, organisation=organisation)
        .exists()
    ):
        raise ValidationError(_("This person already manages this organisation."))
    managership = Managership(
        user=user, organisation=organisation, start_date=start_date, appointed_by=actor
    )
    managership.full_clean()
    managership.save()
    permissions.forget_managerships(user)
    return managership


@transaction.atomic
def managership_end(*, actor, managership: Managership) -> Managership:
    """A coordinator ends a managership today."""
    permissions.require(permissions.can_manage_managers(actor))
    managership = Managership.objects.select_for_update().get(pk=managership.pk)
    today = timezone.localdate()
    if managership.end_date is not None and managership.end_date <= today:
        raise ValidationError(_("This managership has already ended."))
    managership.end_date = max(today, managership.start_date)
    managership.full_clean()
    managership.save(update_fields=["end_date"])
    permissions.forget_managerships(managership.user)
    return managership
