"""The koffer's rules, through the services: at most 100 points, no two equal
scores, the spread the team sees, and a revisit compared with the session before."""

import datetime
import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from members.services.personal_data import account_erase, personal_data_export_json
from teams.koffer import DEFAULT_CATEGORIES
from teams.models import KofferAction, KofferScore
from teams.selectors import suitcase
from teams.services import (
    koffer_action_add,
    koffer_agree,
    koffer_categories_set,
    koffer_fill,
    koffer_round_start,
)
from tests.teams.conftest import distinct_points

pytestmark = pytest.mark.django_db


def test_a_new_round_starts_with_the_platforms_proposal(koffer_round):
    names = list(koffer_round.categories.values_list("name", flat=True))
    assert names == list(DEFAULT_CATEGORIES)


def test_two_categories_with_the_same_score_are_refused_and_nothing_is_saved(
    koffer_round, colleagues
):
    anna = colleagues[0]
    points = distinct_points(koffer_round, (30, 20, 15, 10, 8, 6, 4, 4))
    with pytest.raises(ValidationError) as refusal:
        koffer_fill(actor=anna, koffer_round=koffer_round, points=points)
    assert refusal.value.messages == [
        "Geef elke categorie een andere score: ‘Overtuigen’ en ‘Reflecteren’ hebben "
        "allebei 4 punten."
    ]
    assert not KofferScore.objects.exists()


def test_more_than_100_points_are_refused_and_nothing_is_saved(koffer_round, colleagues):
    anna = colleagues[0]
    koffer_fill(actor=anna, koffer_round=koffer_round, points=distinct_points(koffer_round))
    too_many = distinct_points(koffer_round, (40, 20, 15, 10, 8, 6, 4, 2))
    with pytest.raises(ValidationError) as refusal:
        koffer_fill(actor=anna, koffer_round=koffer_round, points=too_many)
    assert refusal.value.messages == ["Je hebt 105 punten verdeeld; je hebt er maximaal 100."]
    # The earlier answer stands.
    assert sorted(KofferScore.objects.values_list("points", flat=True)) == [
        2, 4, 6, 8, 10, 15, 20, 30
    ]  # fmt: skip


def test_fewer_than_100_points_are_fine(koffer_round, colleagues):
    koffer_fill(
        actor=colleagues[0],
        koffer_round=koffer_round,
        points=distinct_points(koffer_round, (7, 6, 5, 4, 3, 2, 1, 0)),
    )
    assert KofferScore.objects.filter(user=colleagues[0]).count() == 8


def test_the_team_sees_the_spread_per_category(koffer_round, colleagues):
    anna, bert, _cas = colleagues
    koffer_fill(actor=anna, koffer_round=koffer_round, points=distinct_points(koffer_round))
    koffer_fill(
        actor=bert,
        koffer_round=koffer_round,
        points=distinct_points(koffer_round, (2, 4, 6, 8, 10, 15, 20, 30)),
    )
    result = suitcase(koffer_round)
    verbinden = result.spreads[0]
    assert (verbinden.name, verbinden.low, verbinden.high, verbinden.average) == (
        "Verbinden",
        2,
        30,
        16.0,
    )
    assert (result.respondents, result.team_size) == (2, 4)  # three colleagues and the manager
    # The widest gaps first: the team talks about those.
    assert [spread.name for spread in result.widest] == ["Reflecteren", "Verbinden", "Communiceren"]


def test_a_revisit_is_compared_with_the_previous_session(
    koffer_round, colleagues, manager, organisation
):
    anna = colleagues[0]
    koffer_fill(actor=anna, koffer_round=koffer_round, points=distinct_points(koffer_round))
    koffer_agree(actor=manager, koffer_round=koffer_round, agreed=distinct_points(koffer_round))
    koffer_categories_set(
        actor=manager,
        organisation=organisation,
        names=[*DEFAULT_CATEGORIES[:-1], "Netwerken buiten de bibliotheek"],
    )
    revisit = koffer_round_start(
        actor=manager, organisation=organisation, held_on=timezone.localdate()
    )
    # Only the latest session can be filled in now.
    with pytest.raises(PermissionDenied):
        koffer_fill(actor=anna, koffer_round=koffer_round, points=distinct_points(koffer_round))
    koffer_agree(
        actor=manager,
        koffer_round=revisit,
        agreed=distinct_points(revisit, (35, 20, 15, 10, 8, 6, 4, 2)),
    )
    result = suitcase(revisit)
    assert result.previous == koffer_round
    verbinden, new = result.spreads[0], result.spreads[-1]
    assert (verbinden.previous_agreed, verbinden.agreed, verbinden.agreed_change) == (30, 35, 5)
    assert (new.name, new.in_previous) == ("Netwerken buiten de bibliotheek", False)
    # The first session kept its own categories.
    assert koffer_round.categories.last().name == "Reflecteren"


def test_a_session_before_an_existing_one_is_refused(koffer_round, manager, organisation):
    with pytest.raises(ValidationError):
        koffer_round_start(
            actor=manager,
            organisation=organisation,
            held_on=koffer_round.held_on - datetime.timedelta(days=1),
        )


def test_an_action_point_needs_a_small_and_a_large_step(koffer_round, manager):
    with pytest.raises(ValidationError) as refusal:
        koffer_action_add(
            actor=manager, koffer_round=koffer_round, small_step="Pitch oefenen", large_step=" "
        )
    assert refusal.value.messages == [
        "Een actiepunt is een paar: schrijf een kleine en een grote stap."
    ]
    koffer_action_add(
        actor=manager,
        koffer_round=koffer_round,
        small_step="Pitch\noefenen",
        large_step="Presenteren op de netwerkdag",
    )
    assert KofferAction.objects.get().small_step == "Pitch oefenen"


def test_categories_must_differ(manager, organisation):
    with pytest.raises(ValidationError) as refusal:
        koffer_categories_set(
            actor=manager, organisation=organisation, names=["Verbinden", "verbinden", "Pitchen"]
        )
    assert refusal.value.messages == ["Elke categorie mag maar één keer voorkomen."]


def test_who_may_do_what(koffer_round, colleagues, person, other_organisation, manager_for):
    outsider = person("Otto Ander", other_organisation)
    other_manager = person("Zef Manager", other_organisation)
    manager_for(other_manager, other_organisation)
    points = distinct_points(koffer_round)
    # Someone of another organisation, even its manager, cannot fill in this team's koffer.
    for stranger in (outsider, other_manager):
        with pytest.raises(PermissionDenied):
            koffer_fill(actor=stranger, koffer_round=koffer_round, points=points)
    # A team member cannot enter the team's scores, nor start a session.
    with pytest.raises(PermissionDenied):
        koffer_agree(actor=colleagues[0], koffer_round=koffer_round, agreed=points)
    with pytest.raises(PermissionDenied):
        koffer_round_start(
            actor=colleagues[0],
            organisation=koffer_round.organisation,
            held_on=timezone.localdate(),
        )
    assert not KofferScore.objects.exists()


def test_a_members_points_are_in_their_data_and_go_with_erasure(koffer_round, colleagues):
    anna, bert, _cas = colleagues
    koffer_fill(actor=anna, koffer_round=koffer_round, points=distinct_points(koffer_round))
    koffer_fill(actor=bert, koffer_round=koffer_round, points=distinct_points(koffer_round))
    exported = json.loads(personal_data_export_json(actor=anna))["teams"]["koffer_points"]
    assert exported[0] == {
        "organisation": "Bibliotheek Eemland",
        "session": koffer_round.held_on.isoformat(),
        "category": "Verbinden",
        "points": 30,
    }
    account_erase(actor=anna)
    assert not KofferScore.objects.filter(user=anna).exists()
    assert suitcase(koffer_round).respondents == 1  # Bert's points stay
