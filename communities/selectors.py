"""Reads of community pages. Every function here runs a fixed number of queries."""

import datetime
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db.models import Count, Prefetch, Q, prefetch_related_objects
from django.utils import timezone
from django.utils.translation import gettext as _
from taggit.models import Tag

from communities.models import (
    CommunityPage,
    CommunityStatus,
    Membership,
    MembershipState,
    MembershipTransition,
    Moderatorship,
    Priority,
    Topic,
)
from cop_platform.search import words_or_beginnings


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
    """Active communities grouped by priority, in agenda order; empty groups left out.
    Each carries its `number_label` (see number_labels)."""
    groups = {value: PriorityGroup(value, label) for value, label in Priority.choices}
    communities = list(
        active_communities().only(
            "title", "slug", "url_path", "number", "priority", "summary", "path", "depth"
        )
    )
    labels = number_labels(communities)
    for community in communities:
        community.number_label = labels[community.pk]
        groups[community.priority].communities.append(community)
    return [group for group in groups.values() if group.communities]


def number_labels(communities) -> dict[int, str]:
    """Community id → the agenda number it is known by: its own, or for the result
    of a merge the numbers of all it was merged from ("3 en 4", as the agenda
    writes it). One query, whatever the number of communities."""
    from communities.lifecycle.models import LifecycleEvent, LifecycleKind

    numbers = {community.pk: {community.number} for community in communities}
    merged = LifecycleEvent.sources.through.objects.filter(
        lifecycleevent__kind=LifecycleKind.MERGE,
        lifecycleevent__undone_by__isnull=True,
        lifecycleevent__results__in=list(numbers),
    ).values_list("lifecycleevent__results", "communitypage__number")
    for result_id, number in merged:
        if result_id in numbers:
            numbers[result_id].add(number)
    return {pk: _join_numbers(sorted(found)) for pk, found in numbers.items()}


def _join_numbers(numbers: list[int]) -> str:
    if len(numbers) == 1:
        return str(numbers[0])
    return _("%(numbers)s and %(last)s") % {
        "numbers": ", ".join(map(str, numbers[:-1])),
        "last": numbers[-1],
    }


def community_tags(*, archives: bool = False) -> list[Tag]:
    """Themes used by at least one live active community (or archive, when asked),
    for the search facets."""
    # One filter() call: the same tagged page must be live and (unless archives) active.
    page = "communities_communitypagetag_items__content_object"
    conditions = {f"{page}__live": True}
    if not archives:
        conditions[f"{page}__status"] = CommunityStatus.ACTIVE
    return list(Tag.objects.filter(**conditions).distinct().order_by("name"))


def faceted_communities(*, priority: str = "", tag: str = "", archives: bool = False):
    """Live, public communities with the search facets applied: a priority and a
    theme (tag slug). Active communities only, unless `archives`: archived (merged,
    dissolved) communities stay readable and are found on request. The same facets
    narrow the community, to-do and forum results of the site search."""
    pages = CommunityPage.objects.live().public()
    if not archives:
        pages = pages.filter(status=CommunityStatus.ACTIVE)
    if priority:
        pages = pages.filter(priority=priority)
    if tag:
        pages = pages.filter(tags__slug=tag)
    return pages


def search_communities(
    *, query: str = "", priority: str = "", tag: str = "", archives: bool = False
) -> list:
    """Live communities matching a query (whole words or their beginnings), filtered
    by the facets of `faceted_communities`.

    With a query the results are ranked by relevance; without one, by number.
    """
    pages = faceted_communities(priority=priority, tag=tag, archives=archives)
    if query:
        # Wagtail's search backends filter only on FilterFields and a tag is a
        # relation, so search every public page and keep those that pass the facets.
        allowed = set(pages.values_list("pk", flat=True))
        results = [
            page
            for page in words_or_beginnings(CommunityPage.objects.live().public(), query)
            if page.pk in allowed
        ]
    else:
        results = list(pages.order_by("number"))
    prefetch_related_objects(results, "tags")
    return results


# --- memberships and moderators ------------------------------------------------


@dataclass
class CommunityPeople:
    """What the public community page shows about its people."""

    moderators: list
    member_count: int
    organisation_count: int


def community_people(community) -> CommunityPeople:
    """Current moderators with their organisation, and the counts of active
    members and of the organisations they come from. Three queries."""
    moderators = list(
        Moderatorship.objects.current()
        .filter(community=community)
        .select_related("user__profile__organisation")
        .order_by("start_date", "pk")
    )
    active = Membership.objects.filter(community=community, state=MembershipState.ACTIVE)
    counts = active.aggregate(
        members=Count("pk"), organisations=Count("organisation", distinct=True)
    )
    return CommunityPeople(moderators, counts["members"], counts["organisations"])


def _with_answers(memberships):
    return memberships.select_related("user__profile", "organisation").prefetch_related(
        Prefetch("haal_topics", queryset=Topic.objects.order_by("name")),
        Prefetch("breng_topics", queryset=Topic.objects.order_by("name")),
    )


def _with_conversation(memberships):
    """Each membership's `conversation`: the transitions that carry a message (the
    moderators' questions, the applicant's answers, the welcome or the reason of a
    decision), oldest first, with who wrote them."""
    return memberships.prefetch_related(
        Prefetch(
            "transitions",
            queryset=MembershipTransition.objects.exclude(note="")
            .select_related("actor__profile")
            .order_by("at", "pk"),
            to_attr="conversation",
        )
    )


def application_queue(community):
    """Pending and questioned applications, oldest first, with their answers and the
    conversation so far."""
    return _with_conversation(
        _with_answers(
            Membership.objects.filter(
                community=community,
                state__in=[MembershipState.PENDING, MembershipState.NEEDS_INFO],
            )
        )
    ).order_by("applied_at", "pk")


def application_for_decision(community, membership_id: int):
    """One membership of the community, as the decision page shows it (answers and
    conversation), or None."""
    return (
        _with_conversation(_with_answers(Membership.objects.filter(community=community)))
        .filter(pk=membership_id)
        .first()
    )


def active_members(community):
    """Active memberships with person, organisation and haal/breng topics, by name."""
    return _with_answers(
        Membership.objects.filter(community=community, state=MembershipState.ACTIVE)
    ).order_by("user__profile__display_name", "user__email")


@dataclass
class TopicBalance:
    topic: Topic
    asked: int
    brought: int

    @property
    def gap(self) -> int:
        """Positive: more people ask than bring."""
        return self.asked - self.brought


@dataclass
class Match:
    topic: Topic
    asker: Membership
    bringer: Membership


def haal_breng_balance(community) -> list[TopicBalance]:
    """Per topic: how many active members ask for it (haal) and bring it (breng).
    One query, computed in the database."""
    topics = (
        Topic.objects.annotate(
            asked=Count(
                "haal_memberships",
                filter=Q(
                    haal_memberships__community=community,
                    haal_memberships__state=MembershipState.ACTIVE,
                ),
                distinct=True,
            ),
            brought=Count(
                "breng_memberships",
                filter=Q(
                    breng_memberships__community=community,
                    breng_memberships__state=MembershipState.ACTIVE,
                ),
                distinct=True,
            ),
        )
        .filter(Q(asked__gt=0) | Q(brought__gt=0))
        .order_by("name")
    )
    return [TopicBalance(topic, topic.asked, topic.brought) for topic in topics]


def haal_breng_matches(community, *, limit: int = 100) -> list[Match]:
    """Concrete introductions: "A asks for X, B brings X" among active members.
    Two queries (the topic links of both kinds) plus the memberships, whatever the size."""
    members = {membership.pk: membership for membership in active_members(community)}
    if not members:
        return []
    haal_links = Membership.haal_topics.through.objects.filter(membership_id__in=members)
    # Ordered, so the matches (and which ones the limit keeps) are the same on every load.
    breng_links = Membership.breng_topics.through.objects.filter(
        membership_id__in=members
    ).order_by("membership_id")
    bringers_by_topic: dict[int, list[int]] = {}
    for link in breng_links:
        bringers_by_topic.setdefault(link.topic_id, []).append(link.membership_id)
    topics = {topic.pk: topic for m in members.values() for topic in m.haal_topics.all()}
    matches = []
    for link in haal_links.order_by("topic__name", "membership_id"):
        for bringer_id in bringers_by_topic.get(link.topic_id, []):
            if bringer_id != link.membership_id:
                matches.append(
                    Match(topics[link.topic_id], members[link.membership_id], members[bringer_id])
                )
                if len(matches) >= limit:
                    return matches
    return matches


def own_membership(user, community):
    """The user's latest membership of the community (open or not), or None."""
    if not user.is_authenticated:
        return None
    return (
        Membership.objects.filter(user=user, community=community)
        .order_by("-applied_at", "-pk")
        .first()
    )


def previous_answers(user, community) -> dict:
    """The answers of the user's latest application to the community, as the
    starting values of the intake form when they apply again (after withdrawing,
    a decline, leaving), or {} when there is none. Three queries."""
    membership = (
        Membership.objects.filter(user=user, community=community)
        .prefetch_related("haal_topics", "breng_topics")
        .order_by("-applied_at", "-pk")
        .first()
    )
    if membership is None:
        return {}
    answers = {
        "haal": membership.haal,
        "breng": membership.breng,
        "haal_topics": [topic.pk for topic in membership.haal_topics.all()],
        "breng_topics": [topic.pk for topic in membership.breng_topics.all()],
        "self_role": membership.self_role,
    }
    if membership.organisation_id:
        answers["organisation"] = membership.organisation_id
    return answers


def own_application(user, community):
    """The user's latest membership of the community with the conversation with the
    moderators (the applicant's own page), or None."""
    if not user.is_authenticated:
        return None
    return (
        _with_conversation(Membership.objects.filter(user=user, community=community))
        .order_by("-applied_at", "-pk")
        .first()
    )


@dataclass
class ModeratorAlert:
    community: CommunityPage
    moderators: list
    last_day: datetime.date | None


def communities_needing_moderators(*, within_days: int = 30) -> list[ModeratorAlert]:
    """Active communities without a current moderator, or whose current moderators'
    terms all end within `within_days`. Two queries."""
    today = timezone.localdate()
    horizon = today + datetime.timedelta(days=within_days)
    terms: dict[int, list] = {}
    for term in (
        Moderatorship.objects.current(today).select_related("user__profile").order_by("end_date")
    ):
        terms.setdefault(term.community_id, []).append(term)
    alerts = []
    for community in active_communities().only("title", "number", "url_path", "path", "depth"):
        current = terms.get(community.pk, [])
        if any(term.end_date is None or term.end_date > horizon for term in current):
            continue
        last_day = max((term.end_date for term in current), default=None)
        alerts.append(ModeratorAlert(community, current, last_day))
    return alerts


def coordinator_users():
    """Everyone who is a network coordinator (superusers and the coordinators' group)."""
    from communities.permissions import coordinators_q

    return (
        get_user_model()
        .objects.filter(is_active=True)
        .filter(coordinators_q())
        .select_related("profile")
        .distinct()
    )


def moderators_or_coordinators(community) -> list:
    """Who hears about what waits for a community's moderators (applications,
    proposals): its current moderators, or the coordinators while it has none, so
    nothing waits unseen."""
    moderators = [
        term.user
        for term in Moderatorship.objects.current()
        .filter(community=community)
        .select_related("user__profile")
    ]
    return moderators or list(coordinator_users())
