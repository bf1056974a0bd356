"""Reads of the team page and the koffer, with access checked. Every function
runs a fixed number of queries, whatever the size of the team or the network."""

from dataclasses import dataclass, field

from django.db.models import Avg, Count, Max, Min
from django.http import Http404
from django.shortcuts import get_object_or_404

from communities import permissions
from communities.models import Moderatorship
from members.models import Organisation
from teams import koffer
from teams.models import KofferAction, KofferRound, KofferScore, Team
from todo_lists.models import Phase, Status, TodoItem
from todo_lists.selectors import public_communities

EXAMPLES_SIZE = 8


def organisation_get_for_team(*, user, organisation_id: int, allowed=permissions.can_view_team):
    """The organisation whose team page `user` may see (or whatever `allowed` asks);
    404 for missing and forbidden alike."""
    organisation = Organisation.objects.filter(pk=organisation_id).first()
    if organisation is None or not allowed(user, organisation):
        raise Http404
    return organisation


def team_of(organisation) -> Team | None:
    return (
        Team.objects.filter(organisation=organisation).select_related("updated_by__profile").first()
    )


@dataclass
class Example:
    """A result of the network: a completed item of the phase "making available",
    with whom to ask about it."""

    item: TodoItem
    moderators: list = field(default_factory=list)


def network_examples(*, size: int = EXAMPLES_SIZE) -> list[Example]:
    """The latest items completed in the phase "making available" on the public
    lists (archived communities included, drafts and private pages never), each
    with its owner and the community's current moderators. Two queries."""
    items = list(
        TodoItem.objects.filter(
            phase=Phase.AVAILABLE,
            status=Status.DONE,
            completed_at__isnull=False,
            community__in=public_communities(),
        )
        .select_related("community", "owner__profile")
        .order_by("-completed_at", "-pk")[:size]
    )
    moderators: dict[int, list] = {}
    terms = (
        Moderatorship.objects.current()
        .filter(community_id__in={item.community_id for item in items})
        .select_related("user__profile")
        .order_by("start_date", "pk")
    )
    for term in terms if items else ():
        if term.user.erased_at is None:
            moderators.setdefault(term.community_id, []).append(term.user)
    return [Example(item, moderators.get(item.community_id, [])) for item in items]


def koffer_rounds(organisation) -> list[KofferRound]:
    """Newest first, with the number of team members who filled each in. One query."""
    # Explicit order: Django leaves Meta.ordering out of aggregating queries.
    return list(
        KofferRound.objects.filter(organisation=organisation)
        .annotate(respondents=Count("categories__scores__user", distinct=True))
        .order_by("-held_on", "-pk")
    )


def koffer_round_get(*, organisation, round_id: int) -> KofferRound:
    return get_object_or_404(
        KofferRound.objects.select_related("organisation"), pk=round_id, organisation=organisation
    )


def previous_round(koffer_round: KofferRound) -> KofferRound | None:
    """The session before this one (the ordering is newest first)."""
    rounds = list(
        KofferRound.objects.filter(organisation_id=koffer_round.organisation_id).values_list(
            "pk", flat=True
        )
    )
    index = rounds.index(koffer_round.pk)
    if index + 1 >= len(rounds):
        return None
    return KofferRound.objects.get(pk=rounds[index + 1])


def spreads(koffer_round: KofferRound) -> list[koffer.Spread]:
    """Per category: lowest, highest and average score and how many gave one. One query."""
    rows = koffer_round.categories.annotate(
        low=Min("scores__points"),
        high=Max("scores__points"),
        average=Avg("scores__points"),
        count=Count("scores"),
    ).order_by("position", "pk")
    return [
        koffer.Spread(
            name=row.name,
            low=row.low,
            high=row.high,
            average=round(row.average, 1) if row.average is not None else None,
            count=row.count,
            agreed=row.agreed_score,
            category_id=row.pk,
        )
        for row in rows
    ]


@dataclass
class Suitcase:
    koffer_round: KofferRound
    spreads: list
    widest: list
    previous: KofferRound | None
    respondents: int
    team_size: int
    actions: list
    previous_actions: list


def suitcase(koffer_round: KofferRound) -> Suitcase:
    """The team's combined suitcase of one round, compared with the round before."""
    current = spreads(koffer_round)
    previous = previous_round(koffer_round)
    if previous is not None:
        koffer.compare(current, spreads(previous))
    return Suitcase(
        koffer_round=koffer_round,
        spreads=current,
        widest=koffer.widest(current),
        previous=previous,
        respondents=KofferScore.objects.filter(category__round=koffer_round)
        .values("user")
        .distinct()
        .count(),
        team_size=koffer_round.organisation.profiles.filter(user__is_active=True).count(),
        actions=_actions(koffer_round),
        previous_actions=_actions(previous) if previous is not None else [],
    )


def _actions(koffer_round: KofferRound) -> list[KofferAction]:
    return list(koffer_round.actions.select_related("category"))


def own_points(koffer_round: KofferRound, user) -> dict[int, int]:
    """Category id → the user's points in this round (empty if not filled in)."""
    return dict(
        KofferScore.objects.filter(category__round=koffer_round, user=user).values_list(
            "category_id", "points"
        )
    )


@dataclass
class PersonScores:
    name: str
    points: list


def scores_per_person(koffer_round: KofferRound, category_ids: list[int]) -> list[PersonScores]:
    """Every team member's points in the order of `category_ids` (for the
    managers, see permissions.can_view_koffer_scores). One query."""
    people: dict[int, dict] = {}
    names: dict[int, str] = {}
    for score in KofferScore.objects.filter(category__round=koffer_round).select_related(
        "user__profile"
    ):
        people.setdefault(score.user_id, {})[score.category_id] = score.points
        names[score.user_id] = score.user.display_name
    return sorted(
        (
            PersonScores(names[user_id], [points.get(pk) for pk in category_ids])
            for user_id, points in people.items()
        ),
        key=lambda person: person.name.casefold(),
    )
