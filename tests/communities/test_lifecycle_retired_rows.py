"""Rows a merge retired (duplicates folded into a survivor) count nowhere: not in
a manager's coverage, not in the network's, not in the export, and a manager's
target edit changes the survivor. Set up through the real services."""

import datetime
from decimal import Decimal

import pytest

from communities.lifecycle.services import community_merge
from members.coverage import network_coverage, organisation_coverage
from members.exports import coverage_table
from members.models import Organisation, Target
from members.services.managers import manager_appoint
from members.services.roles import role_assign, target_set

pytestmark = pytest.mark.django_db

REASON = "Zelfde mensen, zelfde partners."


@pytest.fixture
def folded(communities, coordinator, make_user, join):
    """Community 3 merged into 4; one person of the organisation was a member of
    both with the same role, and the organisation had a target in both: the
    newest (3's, changed last) survives, 4's own is retired in 4 itself."""
    three, four = communities[2], communities[3]
    organisation = Organisation.objects.create(
        name="Bibliotheek Rivierenland", kind="openbare-bibliotheek", province="gelderland"
    )
    manager = make_user(name="Mara Manager")
    manager_appoint(actor=coordinator, user=manager, organisation=organisation)
    both = make_user(name="Bo Beide")
    for community in (three, four):
        join(both, community, organisation=organisation)
        role_assign(
            actor=manager,
            organisation=organisation,
            community=community,
            user=both,
            role="verbinder",
            hours_per_week=Decimal("2"),
        )
    deadline = datetime.date(2030, 1, 1)
    target_set(
        actor=manager, organisation=organisation, community=three,
        target_members=1, target_activities=1, deadline=deadline,
    )  # fmt: skip
    target_set(
        actor=manager, organisation=organisation, community=four,
        target_members=9, target_activities=9, deadline=deadline,
    )  # fmt: skip
    target_set(  # three's changed last: the newest, so it survives the merge
        actor=manager, organisation=organisation, community=three,
        target_members=3, target_activities=2, deadline=deadline,
    )  # fmt: skip
    community_merge(actor=coordinator, sources=[three, four], into=four, reason=REASON)
    return organisation, manager, four


def test_a_managers_coverage_counts_no_retired_row(folded):
    organisation, manager, four = folded
    assert Target.objects.filter(community=four).count() == 2  # one retired, kept for undo

    coverage = organisation_coverage(organisation, viewer=manager)

    [row] = coverage.rows
    assert row.community == four
    assert (row.target.target_members, row.target.target_activities) == (3, 2)
    assert row.members == 1
    assert [holder.name for cell in row.cells for holder in cell.holders] == ["Bo Beide"]
    assert row.hours == Decimal("2")
    assert coverage.total_hours == Decimal("2")
    header, rows = coverage_table(coverage)
    assert {line[0] for line in rows} == {four.title}  # one row per role, one community
    assert [line[1:3] for line in rows if "Bo Beide" in line] == [["Verbinder", "Bo Beide"]]


def test_the_network_coverage_counts_no_retired_row(folded):
    organisation, _manager, four = folded

    network = network_coverage()

    [row] = [row for row in network.rows if row.organisation == organisation]
    [cell] = [cell for cell in row.cells if cell.community == four]
    assert (cell.covered, cell.people, cell.without_role, cell.hours) == (1, 1, 0, Decimal("2"))
    assert row.hours == Decimal("2")
    assert four in network.communities
    assert not [cell for cell in row.cells if cell.participates and cell.community != four]


def test_a_target_edit_after_the_merge_changes_the_survivor(folded):
    organisation, manager, four = folded
    survivor = Target.objects.get(community=four, retired_into__isnull=True)

    edited = target_set(
        actor=manager, organisation=organisation, community=four,
        target_members=5, target_activities=4, deadline=datetime.date(2031, 1, 1),
    )  # fmt: skip

    assert edited.pk == survivor.pk
    retired = Target.objects.get(community=four, retired_into__isnull=False)
    assert (retired.target_members, retired.retired_into_id) == (9, survivor.pk)
