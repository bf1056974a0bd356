"""The manager's coverage matrix and the coordinator's network view: warnings on
a crafted data set, target progress, self-test fit, and fixed query counts."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from members.coverage import GAP, OVERSTAFFED, START, WITHOUT_ROLE, organisation_coverage
from tests.views_support import client_for, soup, visible_text

pytestmark = pytest.mark.django_db


def test_matrix_and_warnings(crafted, organisation, manager):
    coverage = organisation_coverage(organisation, viewer=manager)
    rows = {row.community.pk: row for row in coverage.rows}
    c1, c2, young = (rows[crafted[k].pk] for k in ("community", "other", "young"))
    assert [cell.is_gap for cell in c1.cells] == [False, False, True]
    assert [h.name for h in c1.cells[0].holders] == ["Anna"]
    assert c1.people == ["Anna", "Bert", "Cas", "Dirk"] and c1.overstaffed
    assert c1.without_role == ["Cas", "Dirk"]
    assert c2.covered == 3 and not c2.without_role
    assert young.start_phase and young.covered == 0 and young.without_role == ["Eva"]
    assert coverage.total_hours == 4 + 2.5 + 3

    assert c1.unclear == ["Bert", "Cas", "Dirk"]  # Bert: a role without a contribution
    kinds = {(w.community.pk, w.kind) for w in coverage.warnings}
    assert kinds == {
        (c1.community.pk, GAP),
        (c1.community.pk, OVERSTAFFED),
        (c1.community.pk, WITHOUT_ROLE),
        (young.community.pk, GAP),
        (young.community.pk, WITHOUT_ROLE),
    }
    assert {(n.community.pk, n.kind) for n in coverage.notes} == {(young.community.pk, START)}
    # Targets: judged after the start phase, shown but not judged in it. Members:
    # everyone the community reaches (Sjaak of the other organisation too).
    assert c1.target_judged and c1.members == 5 and c1.members_met is True
    assert (
        c1.activities == 0 and c1.activities_met is False
    )  # nobody started a thread or to-do item
    assert young.target is not None and not young.target_judged and young.members_met is None
    # Anna shared a self-test with verbinder as best fit.
    assert c1.cells[0].holders[0].fit == "differs"
    assert rows[crafted["other"].pk].cells[1].holders[0].fit == "match"
    assert c1.cells[1].holders[0].fit == ""  # Bert shared nothing


def test_the_coordinator_gets_the_matrix_without_anything_derived_from_self_tests(
    crafted, organisation, coordinator, network_coordinator
):
    for viewer in (coordinator, network_coordinator):
        coverage = organisation_coverage(organisation, viewer=viewer)
        assert not coverage.shows_selftest_fit
        holders = [h for row in coverage.rows for cell in row.cells for h in cell.holders]
        assert holders and all(h.fit == "" and h.best_fit_label == "" for h in holders)


def test_the_page_shows_gaps_warnings_and_picture_without_colour_alone(
    crafted, organisation, manager
):
    response = client_for(manager).get(reverse("members:coverage", args=[organisation.pk]))
    assert response.status_code == 200
    text = visible_text(response)
    assert "Anna" in text and "Cas" in text
    page = soup(response)
    gap_cells = page.select("td.cell--gap")
    assert len(gap_cells) == 1 + 3  # c1's aanjager, all three in the young community
    assert all("✗" in cell.get_text() for cell in gap_cells)
    assert page.select_one("svg.picture title") is not None
    assert len(page.select("svg.picture rect")) == 3 * 3
    assert not page.select("[style]")  # no inline styles (CSP)
    assert len(page.select(".warning")) == 5
    assert len(page.select(".note")) == 1  # the young community's start phase


def test_who_may_see_the_coverage(
    crafted, organisation, person, other_organisation, manager_for, network_coordinator
):
    url = reverse("members:coverage", args=[organisation.pk])
    outsider = person("Otto", other_organisation)
    manager_for(outsider, other_organisation)
    assert client_for(outsider).get(url).status_code == 404
    assert client_for(crafted["anna"]).get(url).status_code == 404
    assert client_for(network_coordinator).get(url).status_code == 200
    assert client_for().get(url).status_code == 302  # to the login page
    assert client_for(network_coordinator).get(reverse("members:network")).status_code == 200
    assert client_for(crafted["anna"]).get(reverse("members:network")).status_code == 403


def test_network_view_aggregates(crafted, organisation, other_organisation, network_coordinator):
    response = client_for(network_coordinator).get(reverse("members:network"))
    page = soup(response)
    rows = {row.th.a.get_text(): row for row in page.select("table.network-table tbody tr")}
    assert set(rows) >= {organisation.name, other_organisation.name}
    cells = [td.get_text(" ", strip=True) for td in rows[organisation.name].select("td.level")]
    assert "2/3 !" in cells and "3/3" in cells and "0/3" in cells
    filtered = client_for(network_coordinator).get(
        reverse("members:network"), {"province": "zeeland"}
    )
    names = [row.th.a.get_text() for row in soup(filtered).select("table.network-table tbody tr")]
    assert names == [other_organisation.name]


def _build(n, *, person, make_organisation, member_of, manager_for, communities, coordinator):
    from members.services.roles import role_assign

    organisations = []
    for i in range(n):
        organisation = make_organisation(f"Organisatie {n}-{i}")
        boss = person(f"Baas {n}-{i}", organisation)
        manager_for(boss, organisation)
        for j, community in enumerate(communities[: 1 + i % 3]):
            worker = person(f"Lid {n}-{i}-{j}", organisation)
            member_of(worker, community, organisation)
            role_assign(
                actor=boss,
                organisation=organisation,
                community=community,
                user=worker,
                role=["bouwer", "verbinder", "aanjager"][j],
                hours_per_week=2,
            )
        organisations.append((organisation, boss))
    # The last organisation grows with n: more people, communities and roles.
    organisation, boss = organisations[-1]
    for k in range(n):
        community = communities[3 + k % 12]
        worker = person(f"Extra {n}-{k}", organisation)
        member_of(worker, community, organisation)
        if k % 2:
            role_assign(
                actor=boss,
                organisation=organisation,
                community=community,
                user=worker,
                role="bouwer",
                hours_per_week=1,
            )
    return organisations


def _queries(client, url) -> int:
    client.get(url)  # warm the per-process caches (Wagtail's site root paths)
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context.captured_queries)


def test_query_counts_do_not_grow_with_the_data(
    communities, person, make_organisation, member_of, manager_for, coordinator, network_coordinator
):
    network, coverage = {}, {}
    for n in (3, 30):
        built = _build(
            n,
            person=person,
            make_organisation=make_organisation,
            member_of=member_of,
            manager_for=manager_for,
            communities=communities,
            coordinator=coordinator,
        )
        network[n] = _queries(client_for(network_coordinator), reverse("members:network"))
        organisation, boss = built[-1]
        coverage[n] = _queries(
            client_for(boss), reverse("members:coverage", args=[organisation.pk])
        )
        csv_url = reverse("members:network_csv")
        network[f"{n} csv"] = _queries(client_for(network_coordinator), csv_url)
    assert network[3] == network[30]
    assert network["3 csv"] == network["30 csv"]
    assert coverage[3] == coverage[30]


def test_gap_warnings_are_proper_dutch_for_one_role_and_for_several(crafted, organisation, manager):
    from django.utils import translation

    with translation.override("nl"):
        coverage = organisation_coverage(organisation, viewer=manager)
        gaps = {w.community.pk: w.text for w in coverage.warnings if w.kind == GAP}
    assert gaps[crafted["community"].pk] == "Niemand heeft de rol van aanjager."
    assert gaps[crafted["young"].pk] == "Niemand heeft de rollen van bouwer, verbinder en aanjager."
    with translation.override("en"):
        coverage = organisation_coverage(organisation, viewer=manager)
        gaps = {w.community.pk: w.text for w in coverage.warnings if w.kind == GAP}
    assert gaps[crafted["community"].pk] == "Nobody holds the role of driver (aanjager)."
    assert gaps[crafted["young"].pk] == (
        "Nobody holds the roles of builder (bouwer), connector (verbinder) and driver (aanjager)."
    )
