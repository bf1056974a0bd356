"""Vocabulary shared by communities and members: the three roles of the
"Nieuw Delen" pilot and dated terms (moderatorships, role assignments,
managerships), defined once so every app means the same by them."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    """The three roles, in this fixed order everywhere."""

    BOUWER = "bouwer", _("Builder (bouwer)")
    VERBINDER = "verbinder", _("Connector (verbinder)")
    AANJAGER = "aanjager", _("Driver (aanjager)")


class DatedQuerySet(models.QuerySet):
    """Rows with start_date and an optional end_date, the first day no longer valid:
    current when start_date <= today < end_date."""

    def current(self, today=None):
        today = today or timezone.localdate()
        return self.filter(start_date__lte=today).filter(
            models.Q(end_date__isnull=True) | models.Q(end_date__gt=today)
        )
