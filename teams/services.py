"""Writes of the team page and the koffer. Every service asks
communities/permissions.py first and changes nothing when it refuses."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from communities import permissions
from cop_platform.page_cache import invalidate_member_pages
from cop_platform.sanitize import clean_text, one_line
from members.models import Organisation
from teams import koffer
from teams.models import KofferAction, KofferCategory, KofferRound, KofferScore, Team


def team_categories(team: Team | None) -> list[str]:
    """The categories the next round starts with: the team's own, or the proposal."""
    if team is not None and team.koffer_categories:
        return list(team.koffer_categories)
    return list(koffer.DEFAULT_CATEGORIES)


def _team_for_update(organisation: Organisation) -> Team:
    team, _created = Team.objects.select_for_update().get_or_create(organisation=organisation)
    return team


@transaction.atomic
def team_why_update(*, actor, organisation: Organisation, why: str, strategy_url: str) -> Team:
    """The manager's why (plain text, rendered through the sanitize module) and the
    link to the organisation's strategy."""
    permissions.require(permissions.can_edit_team(actor, organisation))
    team = _team_for_update(organisation)
    team.why = clean_text(why)
    team.strategy_url = one_line(strategy_url)
    team.updated_by = actor
    team.full_clean()
    team.save()
    return team


@transaction.atomic
def koffer_categories_set(*, actor, organisation: Organisation, names: list[str]) -> Team:
    """The categories the team's next rounds use. Past rounds keep their own."""
    permissions.require(permissions.can_edit_team(actor, organisation))
    names = [one_line(name) for name in names if one_line(name)]
    koffer.check_category_names(names)
    team = _team_for_update(organisation)
    team.koffer_categories = names
    team.updated_by = actor
    team.full_clean()
    team.save()
    return team


@transaction.atomic
def koffer_round_start(*, actor, organisation: Organisation, held_on: datetime.date) -> KofferRound:
    """A new session with the team's current categories. The earlier round stays as
    it was, to compare with; from now on only the new round can be filled in."""
    permissions.require(permissions.can_edit_team(actor, organisation))
    if KofferRound.objects.filter(organisation=organisation, held_on__gt=held_on).exists():
        raise ValidationError(_("A later session already exists; choose a later date."))
    team = Team.objects.filter(organisation=organisation).first()
    koffer_round = KofferRound(organisation=organisation, held_on=held_on, started_by=actor)
    koffer_round.full_clean()
    koffer_round.save()
    # The round's save() above ends the members' cached pages for these rows too.
    KofferCategory.objects.bulk_create(
        KofferCategory(round=koffer_round, name=name, position=index)
        for index, name in enumerate(team_categories(team))
    )
    return koffer_round


@transaction.atomic
def koffer_fill(*, actor, koffer_round: KofferRound, points: dict[int, int]) -> None:
    """The team member's own points, category id → points, for every category of
    the round. Refused as a whole (nothing saved) above 100 points in total or
    with two equal scores; filling in again replaces the earlier answer."""
    permissions.require(permissions.can_fill_koffer(actor, koffer_round))
    # The round's row lock serialises two submissions of the same member (a double
    # click): the second replaces the first instead of hitting koffer_score_once.
    KofferRound.objects.select_for_update().get(pk=koffer_round.pk)
    categories = {category.pk: category for category in koffer_round.categories.all()}
    if set(points) != set(categories):
        raise ValidationError(_("Give every category a score."))
    koffer.check_distribution({categories[pk].name: value for pk, value in points.items()})
    KofferScore.objects.filter(category__round=koffer_round, user=actor).delete()
    KofferScore.objects.bulk_create(
        KofferScore(category_id=pk, user=actor, points=value) for pk, value in points.items()
    )
    # bulk_create sends no post_save (a first answer deletes nothing either).
    invalidate_member_pages()


@transaction.atomic
def koffer_agree(*, actor, koffer_round: KofferRound, agreed: dict[int, int | None]) -> None:
    """The score the team agreed per category after talking about the spread
    (category id → points, None for not agreed yet). Entered by the manager; the
    same rule as for each member: at most 100, no two the same."""
    permissions.require(permissions.can_edit_team(actor, koffer_round.organisation))
    categories = {category.pk: category for category in koffer_round.categories.all()}
    if not set(agreed) <= set(categories):
        raise ValidationError(_("Give every category a score."))
    koffer.check_distribution(
        {categories[pk].name: value for pk, value in agreed.items() if value is not None}
    )
    for pk, category in categories.items():
        category.agreed_score = agreed.get(pk)
    KofferCategory.objects.bulk_update(categories.values(), ["agreed_score"])
    # bulk_update sends no post_save.
    invalidate_member_pages()


@transaction.atomic
def koffer_action_add(
    *,
    actor,
    koffer_round: KofferRound,
    small_step: str,
    large_step: str,
    category: KofferCategory | None = None,
) -> KofferAction:
    """An action point: one small and one large step, both required."""
    permissions.require(permissions.can_edit_team(actor, koffer_round.organisation))
    small_step, large_step = one_line(small_step), one_line(large_step)
    if not small_step or not large_step:
        raise ValidationError(_("An action point is a pair: write a small and a large step."))
    if category is not None and category.round_id != koffer_round.pk:
        raise ValidationError(_("Choose a category of this session."))
    action = KofferAction(
        round=koffer_round,
        category=category,
        small_step=small_step,
        large_step=large_step,
        created_by=actor,
    )
    action.full_clean()
    action.save()
    return action
