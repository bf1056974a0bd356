"""The team page, the workshop and the koffer through the real request stack:
who sees what, bad input changes nothing, and the queries do not grow with the
team or the network."""

import pytest
from django.urls import reverse
from django.utils import timezone

from teams.models import KofferScore, Team
from teams.services import koffer_fill, koffer_round_start
from tests.teams.conftest import distinct_points
from tests.views_support import client_for, post_form, soup, visible_text
from todo_lists.models import Phase, Status
from todo_lists.services import todo_item_create

pytestmark = pytest.mark.django_db


def _result(actor, community, title, *, phase=Phase.AVAILABLE, status=Status.DONE):
    return todo_item_create(
        actor=actor, community=community, title=title, phase=phase, status=status
    )


def test_the_manager_writes_the_why_and_the_team_reads_it(manager, organisation, colleagues):
    client = client_for(manager)
    url = reverse("teams:why_edit", args=[organisation.pk])
    bad = post_form(client, url, {"why": "Omdat het moet.", "strategy_url": "geen adres"})
    assert bad.status_code == 400
    assert "Voer een geldige URL in." in visible_text(bad)
    assert not Team.objects.exists()

    response = post_form(
        client,
        url,
        {
            "why": "Samen leren we sneller.\n\n<script>alert(1)</script>Zie https://example.org",
            "strategy_url": "https://example.org/beleidsplan",
        },
    )
    assert response.status_code == 302

    page = client_for(colleagues[0]).get(reverse("teams:team", args=[organisation.pk]))
    text = visible_text(page)
    assert "Samen leren we sneller." in text
    why = soup(page).select_one(".why")
    assert why.select_one("script") is None
    assert why.select_one("a")["href"] == "https://example.org"
    assert soup(page).find("a", string="Lees onze strategie")["href"] == (
        "https://example.org/beleidsplan"
    )
    # The team reads it; only the manager may change it.
    assert "Het waarom bewerken" not in text
    assert client_for(colleagues[0]).get(url).status_code == 404


def test_the_networks_results_in_making_available_with_whom_to_ask(
    manager, organisation, appoint, person, community, other_community, coordinator
):
    moderator = person("Mo Moderator")
    appoint(moderator, community)
    _result(coordinator, community, "Lesbrief mediawijsheid")
    _result(coordinator, community, "Nog in de maak", status=Status.IN_PROGRESS)
    _result(coordinator, community, "Een idee dat af is", phase=Phase.IDEA)
    _result(coordinator, other_community, "Verborgen resultaat")
    other_community.unpublish()

    text = visible_text(client_for(manager).get(reverse("teams:team", args=[organisation.pk])))
    assert "Lesbrief mediawijsheid" in text
    assert "Vraag het aan: Mo Moderator (moderator)" in text
    for hidden in ("Nog in de maak", "Een idee dat af is", "Verborgen resultaat"):
        assert hidden not in text


def test_the_workshop_agenda_lists_the_pilots_parts(manager, organisation):
    page = client_for(manager).get(reverse("teams:workshop", args=[organisation.pk]))
    headings = [h.get_text(" ", strip=True) for h in soup(page).select(".agenda h2")]
    assert headings == [
        "1. Waarom werken in netwerken · 20 min",
        "2. Inspirerende voorbeelden · 20 min",
        "3. Brainstorm: onze netwerkpartners · 30 min",
        "4. Vragen en zorgen · 20 min",
        "5. Het netwerkgesprek · 30 min",
        "6. Pitch · 20 min",
    ]
    # Printable: the page brings its print style sheet.
    assert soup(page).select_one('link[href$="css/teams.css"]') is not None


def test_equal_scores_are_refused_on_the_form_and_nothing_is_saved(
    koffer_round, colleagues, organisation
):
    client = client_for(colleagues[0])
    url = reverse("teams:koffer_fill", args=[organisation.pk, koffer_round.pk])
    data = {f"c{pk}": value for pk, value in distinct_points(koffer_round).items()}
    data[next(iter(data))] = data[list(data)[1]]  # Verbinden gets Communiceren's 20
    response = post_form(client, url, data)
    assert response.status_code == 400
    assert (
        "Geef elke categorie een andere score: ‘Verbinden’ en ‘Communiceren’ hebben allebei "
        "20 punten." in visible_text(response)
    )
    assert not KofferScore.objects.exists()


def test_the_team_sees_the_spread_and_only_the_manager_sees_who_gave_what(
    koffer_round, colleagues, manager, organisation, coordinator, person, other_organisation
):
    anna, bert, _cas = colleagues
    koffer_fill(actor=anna, koffer_round=koffer_round, points=distinct_points(koffer_round))
    koffer_fill(
        actor=bert,
        koffer_round=koffer_round,
        points=distinct_points(koffer_round, (2, 4, 6, 8, 10, 15, 20, 30)),
    )
    url = reverse("teams:koffer_round", args=[organisation.pk, koffer_round.pk])
    as_member = visible_text(client_for(anna).get(url))
    assert "Ingevuld 2 van 4 teamleden" in as_member
    assert "Verbinden 2 30 28 16,0" in as_member
    assert "Scores per teamlid" not in as_member and "Bert Bos" not in as_member
    as_manager = visible_text(client_for(manager).get(url))
    assert "Scores per teamlid" in as_manager
    assert "Bert Bos 2 4 6 8 10 15 20 30" in as_manager
    # The koffer is the team's own: not the coordinators', not another organisation's.
    for stranger in (coordinator, person("Otto Ander", other_organisation)):
        assert client_for(stranger).get(url).status_code == 404


def _grow(coordinator, community, organisation, person, koffer_round, how_many):
    for number in range(how_many):
        _result(coordinator, community, f"Resultaat {number}")
        colleague = person(f"Collega {number}", organisation)
        values = (30, 20, 15, 10, 8, 6, 4, 2)
        koffer_fill(
            actor=colleague,
            koffer_round=koffer_round,
            points=distinct_points(koffer_round, values[number % 8 :] + values[: number % 8]),
        )


@pytest.mark.parametrize(
    ("route", "queries"),
    [("teams:team", 10), ("teams:workshop", 10), ("teams:koffer", 7), ("teams:koffer_round", 14)],
)
def test_the_team_pages_run_a_fixed_number_of_queries(
    route,
    queries,
    manager,
    organisation,
    koffer_round,
    coordinator,
    community,
    person,
    django_assert_num_queries,
):
    args = [organisation.pk] + ([koffer_round.pk] if route == "teams:koffer_round" else [])
    url = reverse(route, args=args)
    client = client_for(manager)
    _grow(coordinator, community, organisation, person, koffer_round, 1)
    client.get(url)  # warm the caches a first request fills
    with django_assert_num_queries(queries):
        assert client.get(url).status_code == 200
    _grow(coordinator, community, organisation, person, koffer_round, 5)
    with django_assert_num_queries(queries):
        assert client.get(url).status_code == 200


def test_the_sessions_newest_first_the_latest_is_current(
    koffer_round, colleagues, manager, organisation
):
    points = distinct_points(koffer_round)
    koffer_fill(actor=colleagues[0], koffer_round=koffer_round, points=points)
    koffer_round_start(actor=manager, organisation=organisation, held_on=timezone.localdate())
    page = client_for(colleagues[1]).get(reverse("teams:koffer", args=[organisation.pk]))
    sessions = [li.get_text(" ", strip=True) for li in soup(page).select("main ul")[0].select("li")]
    assert sessions[0].endswith("0 teamleden hebben ingevuld · huidige")
    assert sessions[1].endswith("1 teamlid heeft ingevuld")
