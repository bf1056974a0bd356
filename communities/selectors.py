"""Reads of community pages. Every function here runs a fixed number of queries."""

from dataclasses import dataclass, field

from django.db.models import prefetch_related_objects
from taggit.models import Tag

from communities.models import CommunityPage, CommunityStatus, Priority


@dataclass
class PriorityGroup:
    priority: str
    label: str
    communities: list = field(default_factory=list)


def active_communities():
    return (
        CommunityPage.objects.live()
        .public()
        .filter(status=CommunityStatus.ACTIVE)
        .order_by("number", "title")
    )


def communities_by_priority() -> list[PriorityGroup]:
    """Active communities grouped by priority, in agenda order; empty groups left out."""
    groups = {value: PriorityGroup(value, label) for value, label in Priority.choices}
    for community in active_communities().only("title", "slug", "url_path", "number",
                                               "priority", "summary", "path", "depth"):
        groups[community.priority].communities.append(community)
    return [group for group in groups.values() if group.communities]


def community_tags() -> list[Tag]:
    """Themes used by at least one live community, for the search facets."""
    return list(
        Tag.objects.filter(
            communities_communitypagetag_items__content_object__live=True
        )
        .distinct()
        .order_by("name")
    )


def search_communities(*, query: str = "", priority: str = "", tag: str = "") -> list:
    """Live communities matching a query, filtered by priority and theme (tag slug).

    With a query the results are ranked by relevance; without one, by number.
    Archived (merged, dissolved) communities are included: they stay readable.
    """
    pages = CommunityPage.objects.live().public()
    if priority:
        pages = pages.filter(priority=priority)
    if tag:
        pages = pages.filter(tags__slug=tag)
    if query:
        # Wagtail's search backends filter only on FilterFields and a tag is a
        # relation, so search everything and keep the pages that pass the filters.
        allowed = set(pages.values_list("pk", flat=True))
        results = [
            page
            for page in CommunityPage.objects.live().public().search(query, operator="and")
            if page.pk in allowed
        ]
    else:
        results = list(pages.order_by("number"))
    prefetch_related_objects(results, "tags")
    return results
