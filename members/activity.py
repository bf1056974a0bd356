"""What counts as an "activity" for a target's progress.

Apps register the models whose rows count (to-do items, forum threads, ...)
from their AppConfig.ready():

    register_activity_source(TodoItem, "created_by")

A registered model must be community-owned (`community` field) and name the
foreign key to the person who started it. An activity counts for organisation O
in community C when its author is an active member of C on behalf of O.
Counting costs one query per registered source, whatever the data.
"""

from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef

_SOURCES: dict[str, "ActivitySource"] = {}


@dataclass(frozen=True)
class ActivitySource:
    model: type
    author_field: str


def register_activity_source(model, author_field: str) -> None:
    """Idempotent: registering the same model again replaces the entry."""
    _SOURCES[model._meta.label_lower] = ActivitySource(model, author_field)


def activity_sources() -> list[ActivitySource]:
    return list(_SOURCES.values())


def activity_counts(*, organisation_id: int, community_ids) -> dict[int, int]:
    """Community id → number of activities started there by the organisation's people."""
    from communities.models import Membership, MembershipState

    counts: dict[int, int] = {}
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
            counts[row["community_id"]] = counts.get(row["community_id"], 0) + row["n"]
    return counts
