"""Demo data for the team page and the koffer (DEBUG only, from the seed command):
the managed organisation with the most people writes its why and has a koffer
filled in half a year ago and revisited last week, with the team's scores and
action points. Idempotent: an organisation that has a round is left alone."""

import datetime
import random

from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from cop_platform.mail import mail_muted
from members.models import Managership, Organisation
from teams.koffer import DEFAULT_CATEGORIES
from teams.models import KofferRound
from teams.services import (
    koffer_action_add,
    koffer_agree,
    koffer_categories_set,
    koffer_fill,
    koffer_round_start,
    team_why_update,
)

WHY = (
    "Wij zijn een bibliotheek voor de hele regio, maar we kunnen niet alles zelf "
    "bedenken. In de communities leren we van collega's die hetzelfde proberen, en "
    "brengen we onze eigen ervaring in.\n\n"
    "Werken in netwerken staat in ons beleidsplan: elke medewerker die meedoet, krijgt "
    "daar tijd voor. We verwachten niet dat je alles weet; we verwachten dat je "
    "nieuwsgierig bent en deelt wat je leert."
)
STRATEGY_URL = "https://www.example.org/beleidsplan-2025-2028"
# Distinct and summing to 100: every team member's points are a shuffle of these.
POINTS = (25, 20, 15, 12, 10, 8, 6, 4)
AGREED_FIRST = (20, 18, 16, 13, 11, 9, 7, 6)
AGREED_SECOND = (22, 19, 15, 12, 10, 9, 8, 5)
ACTIONS = (
    (
        "Samenwerken",
        "Iedereen vertelt in het teamoverleg wat hij in zijn community deed.",
        "Elk kwartaal een gezamenlijke activiteit met een andere bibliotheek.",
    ),
    (
        "Overtuigen",
        "Oefen je pitch van één minuut bij een collega.",
        "Presenteer onze aanpak op de netwerkdag van de provincie.",
    ),
)
SECOND_ACTIONS = (
    (
        "Netwerken buiten de bibliotheek",
        "Noem elk een partner buiten de bibliotheek die je wilt leren kennen.",
        "Een vaste afspraak met het sociaal wijkteam.",
    ),
)
# Before the revisit the manager swaps one category: the comparison shows it as new.
SECOND_CATEGORIES = [*DEFAULT_CATEGORIES[:-1], "Netwerken buiten de bibliotheek"]


def seed_demo_team() -> str:
    with transaction.atomic(), mail_muted():
        return _seed()


def _seed() -> str:
    managership = (
        Managership.objects.current()
        .annotate(people=Count("organisation__profiles"))
        .select_related("user", "organisation")
        .order_by("-people", "organisation__name")
        .first()
    )
    if managership is None:
        return "no managed organisation"
    organisation, boss = managership.organisation, managership.user
    if KofferRound.objects.filter(organisation=organisation).exists():
        return f"{organisation.name} already has its koffer"
    today = timezone.localdate()
    team_why_update(actor=boss, organisation=organisation, why=WHY, strategy_url=STRATEGY_URL)
    people = list(_people(organisation))
    first = _round(
        boss, organisation, people, today - datetime.timedelta(days=182), AGREED_FIRST, ACTIONS
    )
    koffer_categories_set(actor=boss, organisation=organisation, names=SECOND_CATEGORIES)
    # One colleague has not filled in the revisit yet.
    _round(
        boss,
        organisation,
        people[:-1],
        today - datetime.timedelta(days=7),
        AGREED_SECOND,
        SECOND_ACTIONS,
    )
    return f"{organisation.name}: sessions of {first.held_on} and a revisit, {len(people)} people"


def _people(organisation: Organisation):
    return (
        organisation.profiles.filter(user__is_active=True)
        .order_by("pk")
        .values_list("user", flat=True)
    )


def _round(boss, organisation, user_ids, held_on, agreed, actions) -> KofferRound:
    from django.contrib.auth import get_user_model

    koffer_round = koffer_round_start(actor=boss, organisation=organisation, held_on=held_on)
    categories = list(koffer_round.categories.all())
    rng = random.Random(held_on.toordinal())  # nosec B311  # reproducible demo data, no secret
    for user in get_user_model().objects.filter(pk__in=user_ids).select_related("profile"):
        points = list(POINTS)
        rng.shuffle(points)
        koffer_fill(
            actor=user,
            koffer_round=koffer_round,
            points={category.pk: value for category, value in zip(categories, points, strict=True)},
        )
    koffer_agree(
        actor=boss,
        koffer_round=koffer_round,
        agreed={category.pk: value for category, value in zip(categories, agreed, strict=True)},
    )
    by_name = {category.name: category for category in categories}
    for name, small, large in actions:
        koffer_action_add(
            actor=boss,
            koffer_round=koffer_round,
            small_step=small,
            large_step=large,
            category=by_name.get(name),
        )
    return koffer_round
