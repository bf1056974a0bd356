"""An organisation's team in the communities.

The team is the organisation's people (MemberProfile.organisation); its managers
(members.Managership) write the why and run the koffer. Who sees what is decided
in communities/permissions.py (`can_view_team`, `can_view_koffer`, ...).
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from members.models import Organisation

# The most points a team member divides over the koffer's categories.
KOFFER_POINTS = 100


class Team(models.Model):
    """One per organisation, created when a manager first saves it: why the
    organisation works in communities (lesson 2), linked to its strategy, and the
    koffer's categories for the next round."""

    organisation = models.OneToOneField(
        Organisation, on_delete=models.CASCADE, related_name="team", verbose_name=_("organisation")
    )
    why = models.TextField(
        _("why we work in communities"),
        max_length=3000,
        blank=True,
        help_text=_("Plain text; web addresses become links."),
    )
    strategy_url = models.URLField(_("link to our strategy"), blank=True)
    # The categories the next koffer round starts with (names, in order). Empty:
    # the platform's proposal (teams.koffer.DEFAULT_CATEGORIES).
    koffer_categories = models.JSONField(_("koffer categories"), default=list, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("updated by"),
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("team")
        verbose_name_plural = _("teams")

    def __str__(self):
        return str(self.organisation)


class KofferRound(models.Model):
    """One session with the koffer: the team fills it in, talks about the spread,
    agrees a score per category and action points. A later round revisits it."""

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="koffer_rounds",
        verbose_name=_("organisation"),
    )
    held_on = models.DateField(_("date of the session"), default=timezone.localdate)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("started by"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-held_on", "-pk"]
        verbose_name = _("koffer round")
        verbose_name_plural = _("koffer rounds")

    def __str__(self):
        return f"{self.organisation} – {self.held_on:%Y-%m-%d}"


class KofferCategory(models.Model):
    """A category of a round. The round keeps its own copy of the names, so that
    editing the team's categories later never changes a past suitcase; rounds are
    compared by name."""

    round = models.ForeignKey(
        KofferRound, on_delete=models.CASCADE, related_name="categories", verbose_name=_("round")
    )
    name = models.CharField(_("category"), max_length=80)
    position = models.PositiveSmallIntegerField(default=0)
    agreed_score = models.PositiveSmallIntegerField(
        _("the team's agreed score"), null=True, blank=True
    )

    class Meta:
        ordering = ["round", "position", "pk"]
        verbose_name = _("koffer category")
        verbose_name_plural = _("koffer categories")
        constraints = [
            models.UniqueConstraint(fields=["round", "name"], name="koffer_category_unique_name"),
            models.CheckConstraint(
                condition=models.Q(agreed_score__lte=KOFFER_POINTS),
                name="koffer_agreed_score_in_range",
            ),
        ]

    def __str__(self):
        return self.name


class KofferScore(models.Model):
    """The points one team member gave one category. Private to the member and the
    organisation's managers; the team sees only the spread."""

    category = models.ForeignKey(
        KofferCategory, on_delete=models.CASCADE, related_name="scores", verbose_name=_("category")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="koffer_scores",
        verbose_name=_("team member"),
    )
    points = models.PositiveSmallIntegerField(_("points"))
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["category", "pk"]
        verbose_name = _("koffer score")
        verbose_name_plural = _("koffer scores")
        constraints = [
            models.UniqueConstraint(fields=["category", "user"], name="koffer_score_once"),
            models.CheckConstraint(
                condition=models.Q(points__lte=KOFFER_POINTS), name="koffer_points_in_range"
            ),
        ]

    def __str__(self):
        return f"{self.category} – {self.points}"


class KofferAction(models.Model):
    """An action point of a round: always a pair of one small and one large step."""

    round = models.ForeignKey(
        KofferRound, on_delete=models.CASCADE, related_name="actions", verbose_name=_("round")
    )
    category = models.ForeignKey(
        KofferCategory,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="actions",
        verbose_name=_("category"),
    )
    small_step = models.CharField(_("small step"), max_length=300)
    large_step = models.CharField(_("large step"), max_length=300)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("added by"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["round", "pk"]
        verbose_name = _("action point")
        verbose_name_plural = _("action points")

    def __str__(self):
        return f"{self.small_step} / {self.large_step}"
