"""Each community's public to-do list: what it works on, curated by its moderators,
with proposals and comments from the whole network.

Items are plain models (high volume), served under the community page. Every
write goes through todo_lists.services, which records a TodoItemChange.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from wagtail.search import index

from communities.ownership import CommunityOwned, OwnershipPolicy
from todo_lists.lifecycle import after_items_moved, renumber_positions

# Moved items are placed after the receiving list's own items, in their sources'
# order: offsets far above any real position, closed up by renumber_positions.
_MOVE_OFFSET = 1_000_000


class Phase(models.TextChoices):
    """The phases of the innovation cycle, in their order."""

    IDEA = "idee-ontwikkeling", pgettext_lazy("innovation phase", "Idea development")
    EXPERIMENT = "experimenteren", pgettext_lazy("innovation phase", "Experimenting")
    AVAILABLE = "beschikbaar-stellen", pgettext_lazy("innovation phase", "Making available")


class Status(models.TextChoices):
    PLANNED = "gepland", pgettext_lazy("to-do status", "Planned")
    IN_PROGRESS = "bezig", pgettext_lazy("to-do status", "In progress")
    DONE = "afgerond", pgettext_lazy("to-do status", "Done")
    DROPPED = "vervallen", pgettext_lazy("to-do status", "Dropped")


OPEN_STATUSES = (Status.PLANNED, Status.IN_PROGRESS)
CLOSED_STATUSES = (Status.DONE, Status.DROPPED)


class TodoItem(index.Indexed, CommunityOwned):
    """One line of a community's list.

    `position` orders the list of one community: 1..n without gaps, kept so by
    the services under a row lock. There is deliberately no unique constraint on
    (community, position): the lifecycle moves items between communities in one
    bulk UPDATE and renumbers the receiving list in one more statement (see
    `ownership`). Readers order by (position, pk).
    """

    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(
        _("description"),
        max_length=5000,
        blank=True,
        help_text=_("Markdown: *emphasis*, **bold**, lists and links."),
    )
    # Rendered by cop_platform.sanitize.markdown_to_html whenever description changes.
    description_html = models.TextField(editable=False, blank=True)
    phase = models.CharField(_("phase"), max_length=32, choices=Phase.choices, default=Phase.IDEA)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PLANNED
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="owned_todo_items",
        verbose_name=_("owner"),
    )
    due_date = models.DateField(_("due date"), null=True, blank=True)
    position = models.PositiveIntegerField(_("position"), default=0)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("proposed by"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("updated by"),
    )
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True, editable=False)

    search_fields = [
        index.SearchField("title", boost=2),
        index.SearchField("description"),
        index.AutocompleteField("title"),
        index.FilterField("status"),
        index.FilterField("phase"),
    ]

    ownership = OwnershipPolicy(
        split_choice="todo_item_ids",
        children=("comments",),
        move_values=lambda index: {"position": models.F("position") + (index + 1) * _MOVE_OFFSET},
        restore_fields=("position",),
        after_move=renumber_positions,
        on_commit=after_items_moved,
    )

    class Meta:
        ordering = ["community", "position", "pk"]
        verbose_name = _("to-do item")
        verbose_name_plural = _("to-do items")
        indexes = [
            models.Index(fields=["community", "position"]),
            models.Index(fields=["status", "completed_at"]),
        ]

    def __str__(self):
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class TodoItemChange(models.Model):
    """Who changed what on an item, and when: {field: [old, new]} in `changes`.

    Values are stored as they were (choice values, ISO dates, the owner's name at
    the time), and shown in the reader's language by `entries`."""

    item = models.ForeignKey(TodoItem, on_delete=models.CASCADE, related_name="changes")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)
    created = models.BooleanField(default=False)
    changes = models.JSONField(default=dict)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("to-do item change")
        verbose_name_plural = _("to-do item changes")

    def __str__(self):
        return f"{self.item_id} @ {self.at:%Y-%m-%d %H:%M}"

    FIELD_LABELS = {
        "title": _("title"),
        "description": _("description"),
        "phase": _("phase"),
        "status": _("status"),
        "owner": _("owner"),
        "due_date": _("due date"),
        "position": _("position"),
    }

    @staticmethod
    def _display(field: str, value) -> str:
        if value in (None, ""):
            return "—"
        if field == "phase":
            return str(Phase(value).label) if value in Phase.values else str(value)
        if field == "status":
            return str(Status(value).label) if value in Status.values else str(value)
        return str(value)

    def entries(self) -> list[tuple[str, str, str]]:
        """(field label, old value, new value) for display, in a fixed field order.
        A changed description shows no text: the item shows the current one."""
        rows = []
        for field, label in self.FIELD_LABELS.items():
            if field not in self.changes:
                continue
            old, new = self.changes[field]
            if field == "description":
                rows.append((str(label), "", ""))
            else:
                rows.append((str(label), self._display(field, old), self._display(field, new)))
        return rows


class CommentKind(models.TextChoices):
    COMMENT = "reactie", _("Comment")
    NEED = "behoefte", _("Need")


class TodoComment(models.Model):
    """A comment on an item, or a need someone makes known. Plain text."""

    item = models.ForeignKey(TodoItem, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="todo_comments",
        verbose_name=_("author"),
    )
    kind = models.CharField(
        _("kind"), max_length=16, choices=CommentKind.choices, default=CommentKind.COMMENT
    )
    body = models.TextField(_("comment"), max_length=2000)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("to-do comment")
        verbose_name_plural = _("to-do comments")

    def __str__(self):
        return f"{self.author_id} on {self.item_id}"

    @property
    def body_html(self) -> str:
        from cop_platform.sanitize import plain_to_html

        return plain_to_html(self.body)


class ProposalState(models.TextChoices):
    PENDING = "pending", _("Waiting for the moderators")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")


class TodoProposal(CommunityOwned):
    """A new item proposed by anyone logged in; the moderators accept it (it
    becomes an item that credits the proposer) or decline it with a reason."""

    proposer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="todo_proposals",
        verbose_name=_("proposed by"),
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("why and what"), max_length=5000, blank=True)
    state = models.CharField(
        _("state"), max_length=16, choices=ProposalState.choices, default=ProposalState.PENDING
    )
    decline_reason = models.TextField(_("reason"), max_length=2000, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    item = models.OneToOneField(
        TodoItem,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="proposal",
        verbose_name=_("resulting item"),
    )
    created_at = models.DateTimeField(_("proposed"), default=timezone.now)

    # A proposal goes where its item goes; pending ones stay with the source.
    ownership = OwnershipPolicy(split_follows="item_id")

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("to-do proposal")
        verbose_name_plural = _("to-do proposals")
        indexes = [models.Index(fields=["community", "state"])]

    def __str__(self):
        return self.title

    @property
    def description_html(self) -> str:
        from cop_platform.sanitize import plain_to_html

        return plain_to_html(self.description)
