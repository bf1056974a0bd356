"""What counts as an "activity" for a target's progress.

Apps register the models whose rows count (to-do items, forum threads, ...)
from their AppConfig.ready(), naming the kind of activity they are:

    register_activity_source(TodoItem, "created_by", kind=ActivityKind.ACTION_ITEMS)

A registered model must be community-owned (`community` field) and name the
foreign key to the person who started it. An activity counts for organisation O
in community C when its author is an active member of C on behalf of O.
Counting costs one query per registered source, whatever the data.

A target says which kind it counts (`Target.activity_kind`): one kind, or all
of them together (`ActivityKind.ALL`).
"""

from collections import Counter
from dataclasses import dataclass

from django.db import models
from django.db.models import Count, Exists, OuterRef
from django.utils.translation import gettext_lazy as _


class ActivityKind(models.TextChoices):
    """What a target's activities count; the labels finish "Activities: ..."."""

    ALL = "all", _("action points and forum threads started by your people")
    ACTION_ITEMS = "action_items", _("action points your people added to the action list")
    THREADS = "threads", _("forum threads your people started")


_SOURCES: dict[str, "ActivitySource"] = {}


@dataclass(frozen=True)
class ActivitySource:
    model: type
    author_field: str
    kind: str


def register_activity_source(model, author_field: str, *, kind: str) -> None:
    """Idempotent: registering the same model again replaces the entry."""
    _SOURCES[model._meta.label_lower] = ActivitySource(model, author_field, kind)


def activity_sources() -> list[ActivitySource]:
    return list(_SOURCES.values())


def activity_counts(*, organisation_id: int, community_ids) -> dict[int, Counter]:
    """Community id → activity kind → number of activities started there by the
    organisation's people. `counted(counts, kind)` reads it for a target."""
    from communities.models import Membership, MembershipState

    counts: dict[int, Counter] = {}
    community_ids = list(community_ids)
    if not community_ids:
        return counts
    for source in _SOURCES.values():
        by_member = Membership.objects.filter(
            user=OuterRef(source.author_field),
            community=OuterRef("community"),
            organisation_id=organisation_id,
            state=MembershipState.ACTIVE,
        )
        rows = (
            source.model.objects.filter(community_id__in=community_ids)
            .filter(Exists(by_member))
            .values("community_id")
            .annotate(n=Count("pk"))
            .order_by()
        )
        for row in rows:
            counts.setdefault(row["community_id"], Counter())[source.kind] += row["n"]
    return counts


def counted(counts: Counter | None, kind: str) -> int:
    """The number of activities of `kind` (ActivityKind.ALL: every kind together)."""
    if not counts:
        return 0
    return sum(counts.values()) if kind == ActivityKind.ALL else counts[kind]
