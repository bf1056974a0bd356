"""What happened to communities (LifecycleEvent) and where every row came from
(Provenance). Both are append-only history: nothing here is ever deleted."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class LifecycleKind(models.TextChoices):
    MERGE = "merge", _("Merge")
    SPLIT = "split", _("Split")
    DISSOLVE = "dissolve", _("Dissolve")
    RENAME = "rename", _("Rename")
    UNDO = "undo", _("Undo")


class LifecycleEvent(models.Model):
    """One operation on communities, as the coordinator confirmed it.

    `counts` holds, per model label, the rows per community before and after:
    {"communities.membership": {"before": {"12": 3, "14": 5}, "after": {...}}}
    (JSON keys are strings). `details` holds what the kind needs to be shown
    and undone (old and new name, the previous statuses of the pages, the pages
    the operation created, the prior to-do positions)."""

    kind = models.CharField(_("kind"), max_length=16, choices=LifecycleKind.choices)
    sources = models.ManyToManyField(
        "communities.CommunityPage",
        related_name="lifecycle_events_as_source",
        verbose_name=_("communities before"),
    )
    results = models.ManyToManyField(
        "communities.CommunityPage",
        related_name="lifecycle_events_as_result",
        verbose_name=_("communities after"),
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("done by"),
    )
    at = models.DateTimeField(_("when"), default=timezone.now)
    on = models.DateField(_("effective date"), default=timezone.localdate)
    reason = models.TextField(_("reason"), max_length=2000)
    counts = models.JSONField(_("rows per model"), default=dict)
    details = models.JSONField(default=dict)
    undo_of = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="undone_by",
        verbose_name=_("undoes"),
    )

    lifecycle_exempt = "history of operations on communities, not ownership"

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("lifecycle event")
        verbose_name_plural = _("lifecycle events")

    def __str__(self):
        return f"{self.get_kind_display()} #{self.pk}"

    @property
    def is_undone(self) -> bool:
        try:
            return self.undone_by is not None
        except LifecycleEvent.DoesNotExist:
            return False


class ProvenanceAction(models.TextChoices):
    MOVED = "moved", _("Moved")
    RETIRED = "retired", _("Folded into a duplicate")
    RECONCILED = "reconciled", _("Absorbed a duplicate")
    COPIED = "copied", _("Copied")
    CREATED = "created", _("Created")
    ENDED = "ended", _("Ended")
    # Written by an undo, under the undo's own event: what it put back and what it removed.
    RETURNED = "returned", _("Moved back by an undo")
    RESTORED = "restored", _("Put back by an undo")
    REMOVED = "removed", _("Removed by an undo")


class Provenance(models.Model):
    """Where one row came from: the one record of every move between communities
    (a lifecycle operation, or a moderator moving a thread: then `event` is
    empty), and of every other change an operation made to a row.

    `previous` holds the row's field values before the operation, for exactly
    the fields it changed, so undo can put them back; `related_id` is the row a
    retired duplicate was folded into, or the row a copy was made from.

    An undo writes rows of its own event: "returned" (moved back to the
    community in `to_community`), "restored" (`previous`: the values it
    overwrote) and "removed" (a copy or a term made at birth that it deleted;
    `previous` holds the whole row, so nothing is lost)."""

    event = models.ForeignKey(
        LifecycleEvent,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="provenance",
    )
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.PositiveBigIntegerField()
    action = models.CharField(max_length=16, choices=ProvenanceAction.choices)
    from_community = models.ForeignKey(
        "communities.CommunityPage", on_delete=models.PROTECT, related_name="+"
    )
    to_community = models.ForeignKey(
        "communities.CommunityPage", on_delete=models.PROTECT, related_name="+"
    )
    related_id = models.PositiveBigIntegerField(null=True, blank=True)
    previous = models.JSONField(default=dict, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)

    lifecycle_exempt = "history of where rows came from, not ownership"

    class Meta:
        ordering = ["pk"]
        verbose_name = _("provenance")
        verbose_name_plural = _("provenance")
        indexes = [
            models.Index(fields=["content_type", "object_id"]),
            models.Index(fields=["event", "content_type", "action"]),
        ]

    def __str__(self):
        return f"{self.content_type_id}:{self.object_id} {self.action}"
