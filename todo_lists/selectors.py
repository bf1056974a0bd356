"""Reads of the to-do lists. Every function runs a fixed number of queries,
whatever the number of items, comments or changes."""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404

from communities.models import CommunityPage, MembershipState
from cop_platform.search import words_or_beginnings
from todo_lists.models import (
    OPEN_STATUSES,
    Phase,
    ProposalState,
    Status,
    TodoItem,
    TodoProposal,
)

PREVIEW_SIZE = 5
CELEBRATION_SIZE = 6
FEED_SIZE = 50
SEARCH_SIZE = 20


def _items():
    return TodoItem.objects.select_related("owner__profile", "proposed_by__profile")


def public_communities():
    """Communities whose lists anyone may read: live and public pages, archived
    ones (merged, dissolved) included."""
    return CommunityPage.objects.live().public()


def community_items(community, *, phase: str = "", status: str = "") -> list[TodoItem]:
    """The community's items in list order, optionally filtered. One query."""
    items = _items().filter(community=community).annotate(comment_count=Count("comments"))
    if phase:
        items = items.filter(phase=phase)
    if status:
        items = items.filter(status=status)
    return list(items.order_by("position", "pk"))


@dataclass
class PhaseCount:
    value: str
    label: str
    open: int
    done: int


def phase_counts(community) -> list[PhaseCount]:
    """Per phase of the innovation cycle: open and done items. One query."""
    rows = {
        row["phase"]: row
        for row in TodoItem.objects.filter(community=community)
        .values("phase")
        .annotate(
            open=Count("pk", filter=Q(status__in=OPEN_STATUSES)),
            done=Count("pk", filter=Q(status=Status.DONE)),
        )
        .order_by()
    }
    return [
        PhaseCount(
            value,
            str(label),
            rows.get(value, {}).get("open", 0),
            rows.get(value, {}).get("done", 0),
        )
        for value, label in Phase.choices
    ]


@dataclass
class TodoPreview:
    items: list
    open_count: int
    total: int


def todo_preview(community, *, size: int = PREVIEW_SIZE) -> TodoPreview:
    """The first open items of the list, for the community page. Two queries."""
    items = list(
        _items()
        .filter(community=community, status__in=OPEN_STATUSES)
        .order_by("position", "pk")[:size]
    )
    counts = TodoItem.objects.filter(community=community).aggregate(
        total=Count("pk"), open=Count("pk", filter=Q(status__in=OPEN_STATUSES))
    )
    return TodoPreview(items, counts["open"], counts["total"])


def todo_item_get(community, item_id: int) -> TodoItem:
    """One item of this community (404 otherwise), with owner and proposer."""
    return get_object_or_404(_items(), pk=item_id, community=community)


def item_comments(item) -> list:
    return list(item.comments.select_related("author__profile").order_by("created_at", "pk"))


def item_history(item) -> list:
    """Newest change first."""
    return list(item.changes.select_related("actor__profile").order_by("-at", "-pk"))


def owner_choices(community):
    """The people who may own an item: the community's active members, by name."""
    return (
        get_user_model()
        .objects.filter(memberships__community=community, memberships__state=MembershipState.ACTIVE)
        .select_related("profile")
        .order_by("profile__display_name", "email")
    )


def pending_proposals(community) -> list[TodoProposal]:
    return list(
        TodoProposal.objects.filter(community=community, state=ProposalState.PENDING)
        .select_related("proposer__profile")
        .order_by("created_at", "pk")
    )


def own_proposals(user, community) -> list[TodoProposal]:
    """The user's proposals to this community, newest first, with the resulting item."""
    if not user.is_authenticated:
        return []
    return list(
        TodoProposal.objects.filter(community=community, proposer=user)
        .select_related("item")
        .order_by("-created_at", "-pk")
    )


def overview_items(
    *, community=None, priority: str = "", phase: str = "", status: str = "", tag=""
):
    """All public lists together, filtered; ordered by community number, then list
    order. A queryset for a paginator (a count and one page: two queries)."""
    items = (
        TodoItem.objects.filter(community__in=public_communities())
        .select_related("community", "owner__profile")
        .order_by("community__number", "community_id", "position", "pk")
    )
    if community is not None:
        items = items.filter(community=community)
    if priority:
        items = items.filter(community__priority=priority)
    if phase:
        items = items.filter(phase=phase)
    if status:
        items = items.filter(status=status)
    if tag:
        items = items.filter(community__tags__slug=tag)
    return items


def overview_communities() -> list:
    """Communities for the overview's filter, by number. One query."""
    return list(public_communities().order_by("number").only("title", "number", "status"))


def recently_completed(*, size: int = CELEBRATION_SIZE) -> list[TodoItem]:
    """The latest items that reached "done", across the public lists. One query."""
    return list(
        TodoItem.objects.filter(
            status=Status.DONE,
            completed_at__isnull=False,
            community__in=public_communities(),
        )
        .select_related("community")
        .order_by("-completed_at", "-pk")[:size]
    )


def feed_items(community=None, *, size: int = FEED_SIZE) -> list[TodoItem]:
    """The most recently changed items of one list (or of all public lists)."""
    items = TodoItem.objects.select_related("community", "owner__profile")
    if community is not None:
        items = items.filter(community=community)
    else:
        items = items.filter(community__in=public_communities())
    return list(items.order_by("-updated_at", "-pk")[:size])


def search_todo_items(query: str, *, communities=None, size: int = SEARCH_SIZE) -> list[TodoItem]:
    """Items whose title or description match (whole words, or the beginning of a
    word of the title), best first, from public lists only, and from `communities`
    (the search facets' queryset) when given.

    Wagtail's search backends filter only on FilterFields, and the community's
    visibility is a relation, so search first and keep the items that pass."""
    if not query:
        return []
    if communities is None:
        communities = public_communities()
    allowed = set(communities.values_list("pk", flat=True))
    found = words_or_beginnings(TodoItem.objects.select_related("community"), query, limit=size * 3)
    return [item for item in found if item.community_id in allowed][:size]
