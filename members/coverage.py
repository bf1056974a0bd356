"""Role coverage: the manager's matrix (one organisation × its communities × the
three roles) and the coordinator's network view (organisations × communities).

Both are computed in a fixed number of queries, whatever the number of
organisations, communities, people and roles: every query below fetches one
kind of row for the whole view, and the rest is done in Python. Warnings:

- gap: a role nobody of the organisation holds in a community it takes part in;
- overstaffed: more than three people of the organisation in one community
  (the pilot: rarely needed unless their roles are clear);
- without role: an active member on behalf of the organisation without a role;
- start phase: the community started less than a year ago; targets are shown
  but not judged.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.paginator import Paginator
from django.utils import timezone
from django.utils.text import get_text_list
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from communities import permissions
from communities.models import CommunityPage, CommunityStatus, Membership, MembershipState
from members.activity import activity_counts
from members.models import Organisation, Role, RoleAssignment, SelfTestResult, Target

MAX_PEOPLE_PER_ORGANISATION = 3
START_PHASE = datetime.timedelta(days=365)
NETWORK_PAGE_SIZE = 50

GAP = "gap"
OVERSTAFFED = "overstaffed"
WITHOUT_ROLE = "without_role"
START = "start_phase"


def in_start_phase(community, today) -> bool:
    return community.start_date > today - START_PHASE


def role_labels() -> dict[str, str]:
    return {value: str(label) for value, label in Role.choices}


# --- the picture (inline SVG, rendered by templates/members/includes/picture.html)


@dataclass
class PictureCell:
    x: int
    y: int
    width: int
    height: int
    css: str
    text: str
    title: str

    @property
    def text_x(self) -> int:
        return self.x + 6

    @property
    def text_y(self) -> int:
        return self.y + self.height // 2 + 5


@dataclass
class Picture:
    width: int
    height: int
    title: str
    # (x, y, label); columns are written upwards from (x, y) when `slanted`.
    columns: list[tuple[int, int, str]] = field(default_factory=list)
    rows: list[tuple[int, int, str]] = field(default_factory=list)
    cells: list[PictureCell] = field(default_factory=list)
    slanted: bool = False


CELL_W = 120
CELL_H = 34
HEAD_H = 40
# Room for text, in SVG units: an upper bound of one character's width at the
# picture's label size (13px), so no label is ever cut off at the picture's edge.
CHAR_W = 8


def _text_width(text: str) -> int:
    return CHAR_W * len(text) + 16


def _picture(title, column_labels, row_labels, cell_at, cell_width=CELL_W) -> Picture:
    """A grid: rows × columns, each cell (css class, text, title) from cell_at(r, c).
    Labels are never shortened: the label column is as wide as the longest row label,
    cells as wide as their longest text, and column labels too long for their cell
    are written upwards (the picture grows in height, not off the screen)."""
    cells = [[cell_at(r, c) for c in range(len(column_labels))] for r in range(len(row_labels))]
    label_width = max((_text_width(label) for label in row_labels), default=0)
    cell_width = max(
        [cell_width] + [_text_width(text) for row in cells for _css, text, _title in row]
    )
    longest_column = max((_text_width(label) for label in column_labels), default=0)
    slanted = longest_column > cell_width
    head_height = longest_column + 8 if slanted else HEAD_H
    picture = Picture(
        width=label_width + cell_width * len(column_labels) + 4,
        height=head_height + CELL_H * len(row_labels) + 4,
        title=title,
        slanted=slanted,
    )
    for c, label in enumerate(column_labels):
        x = label_width + c * cell_width + cell_width // 2
        if slanted:
            picture.columns.append((x + 5, head_height - 6, label))
        else:
            picture.columns.append((x, head_height - 14, label))
    for r, label in enumerate(row_labels):
        y = head_height + r * CELL_H
        picture.rows.append((label_width - 8, y + CELL_H // 2 + 5, label))
        for c, (css, text, cell_title) in enumerate(cells[r]):
            picture.cells.append(
                PictureCell(
                    label_width + c * cell_width + 2,
                    y + 2,
                    cell_width - 4,
                    CELL_H - 4,
                    css,
                    text,
                    cell_title,
                )
            )
    return picture


# --- one organisation ---------------------------------------------------------


@dataclass
class Holder:
    user_id: int
    name: str
    hours: Decimal
    contribution: str
    assignment_id: int
    fit: str = ""  # "match", "differs" or "" (no shared self-test)
    best_fit_label: str = ""


@dataclass
class RoleCell:
    role: str
    label: str
    holders: list[Holder] = field(default_factory=list)

    @property
    def is_gap(self) -> bool:
        return not self.holders


@dataclass
class CoverageWarning:
    kind: str
    community: CommunityPage
    text: str


@dataclass
class CommunityRow:
    community: CommunityPage
    start_phase: bool
    cells: list[RoleCell]
    people: list[str]
    without_role: list[str]
    hours: Decimal
    target: Target | None = None
    members: int = 0
    activities: int = 0
    members_met: bool | None = None
    activities_met: bool | None = None
    target_judged: bool = False

    @property
    def covered(self) -> int:
        return sum(not cell.is_gap for cell in self.cells)

    @property
    def overstaffed(self) -> bool:
        return len(self.people) > MAX_PEOPLE_PER_ORGANISATION


@dataclass
class OrganisationCoverage:
    organisation: Organisation
    rows: list[CommunityRow]
    warnings: list[CoverageWarning]
    total_hours: Decimal
    picture: Picture
    today: datetime.date
    # False: the viewer may not see self-test results, so nothing derived from
    # them is computed and the views and exports leave the comparison out.
    shows_selftest_fit: bool = False


def organisation_coverage(
    organisation: Organisation, *, viewer, today=None
) -> OrganisationCoverage:
    """The matrix as `viewer` may see it. Queries: memberships, role assignments,
    targets, the shared self-test results (only for a viewer who may see them),
    and one per registered activity source."""
    today = today or timezone.localdate()
    shows_selftest_fit = permissions.can_view_selftest_comparison(viewer, organisation)
    labels = role_labels()
    memberships = list(
        Membership.objects.filter(
            organisation=organisation,
            state=MembershipState.ACTIVE,
            community__status=CommunityStatus.ACTIVE,
        )
        .select_related("community", "user__profile")
        .order_by("community__number", "community__title", "pk")
    )
    assignments = list(
        RoleAssignment.objects.current(today)
        .filter(organisation=organisation, community__status=CommunityStatus.ACTIVE)
        .select_related("community", "user__profile")
        .order_by("community__number", "role", "start_date", "pk")
    )
    communities: dict[int, CommunityPage] = {}
    people: dict[int, dict[int, str]] = defaultdict(dict)
    for membership in memberships:
        communities.setdefault(membership.community_id, membership.community)
        people[membership.community_id][membership.user_id] = membership.user.display_name
    for assignment in assignments:
        communities.setdefault(assignment.community_id, assignment.community)

    targets = {
        target.community_id: target
        # A target folded into another by a merge (retired) no longer counts.
        for target in Target.objects.filter(
            organisation=organisation,
            community_id__in=list(communities),
            retired_into__isnull=True,
        ).order_by("pk")
    }  # the newest wins
    holder_ids = {assignment.user_id for assignment in assignments}
    best_fit: dict[int, str] = {}
    shared = (
        SelfTestResult.objects.filter(
            user_id__in=list(holder_ids),
            shared_with=organisation,
            shared_with_manager_at__isnull=False,
            user__profile__organisation=organisation,
        )
        .select_related("user__profile")
        .order_by("user_id", "-taken_at", "-pk")
    )
    for result in shared if shows_selftest_fit else ():
        if permissions.can_view_selftest_result(viewer, result):
            best_fit.setdefault(result.user_id, result.best_fit)
    activities = activity_counts(organisation_id=organisation.pk, community_ids=list(communities))

    by_cell: dict[tuple[int, str], list[Holder]] = defaultdict(list)
    role_holders: dict[int, set[int]] = defaultdict(set)
    for a in assignments:
        fit = best_fit.get(a.user_id)
        by_cell[a.community_id, a.role].append(
            Holder(
                user_id=a.user_id,
                name=a.user.display_name,
                hours=a.hours_per_week,
                contribution=a.contribution,
                assignment_id=a.pk,
                fit="" if fit is None else ("match" if fit == a.role else "differs"),
                best_fit_label=labels.get(fit, "") if fit else "",
            )
        )
        role_holders[a.community_id].add(a.user_id)

    ordered = sorted(communities.values(), key=lambda c: (c.number, c.title))
    rows, warnings, total = [], [], Decimal("0")
    for community in ordered:
        cells = [RoleCell(role, labels[role], by_cell[community.pk, role]) for role in Role.values]
        members_here = people[community.pk]
        everyone = dict(members_here)
        for cell in cells:
            for holder in cell.holders:
                everyone.setdefault(holder.user_id, holder.name)
        hours = sum((h.hours for cell in cells for h in cell.holders), Decimal("0"))
        total += hours
        row = CommunityRow(
            community=community,
            start_phase=in_start_phase(community, today),
            cells=cells,
            people=sorted(everyone.values()),
            without_role=sorted(
                name for uid, name in members_here.items() if uid not in role_holders[community.pk]
            ),
            hours=hours,
            target=targets.get(community.pk),
            members=len(members_here),
            activities=activities.get(community.pk, 0),
        )
        if row.target is not None:
            row.target_judged = not row.start_phase
            if row.target_judged:
                row.members_met = row.members >= row.target.target_members
                row.activities_met = row.activities >= row.target.target_activities
        rows.append(row)
        warnings.extend(_row_warnings(row))

    picture = _picture(
        _("Role coverage of %(organisation)s") % {"organisation": organisation.name},
        [labels[role].split(" (")[0] for role in Role.values],
        [f"{row.community.number}. {row.community.title}" for row in rows],
        lambda r, c: _matrix_cell(rows[r].cells[c]),
    )
    return OrganisationCoverage(
        organisation, rows, warnings, total, picture, today, shows_selftest_fit
    )


def _matrix_cell(cell: RoleCell) -> tuple[str, str, str]:
    if cell.is_gap:
        return "picture-cell picture-cell--gap", "✗ " + _("gap"), _("Nobody holds this role")
    names = ", ".join(h.name for h in cell.holders)
    return "picture-cell picture-cell--covered", "✓ " + cell.holders[0].name, names


def _row_warnings(row: CommunityRow) -> list[CoverageWarning]:
    community, out = row.community, []
    gaps = [cell.label for cell in row.cells if cell.is_gap]
    if gaps:
        out.append(
            CoverageWarning(
                GAP,
                community,
                ngettext(
                    "Nobody holds the role of %(roles)s.",
                    "Nobody holds the roles of %(roles)s.",
                    len(gaps),
                )
                # Mid-sentence, so lower case: "de rollen van bouwer en aanjager".
                % {"roles": get_text_list([label.lower() for label in gaps], _("and"))},
            )
        )
    if row.overstaffed:
        out.append(
            CoverageWarning(
                OVERSTAFFED,
                community,
                _(
                    "%(count)s people of the organisation take part; more than three is "
                    "rarely needed unless their roles are clear."
                )
                % {"count": len(row.people)},
            )
        )
    if row.without_role:
        out.append(
            CoverageWarning(
                WITHOUT_ROLE,
                community,
                _("Members without a role: %(names)s.") % {"names": ", ".join(row.without_role)},
            )
        )
    if row.start_phase:
        out.append(
            CoverageWarning(
                START,
                community,
                _(
                    "Start phase (started %(date)s): count on at least a year; targets are "
                    "shown but not judged."
                )
                % {"date": community.start_date.strftime("%d-%m-%Y")},
            )
        )
    return out


# --- the whole network ----------------------------------------------------------


@dataclass
class NetworkCell:
    community: CommunityPage
    covered: int | None  # None: the organisation does not take part
    people: int = 0
    without_role: int = 0
    hours: Decimal = Decimal("0")

    @property
    def participates(self) -> bool:
        return self.covered is not None

    @property
    def overstaffed(self) -> bool:
        return self.people > MAX_PEOPLE_PER_ORGANISATION


@dataclass
class NetworkRow:
    organisation: Organisation
    cells: list[NetworkCell]
    gaps: int = 0
    overstaffed: int = 0
    without_role: int = 0
    hours: Decimal = Decimal("0")


@dataclass
class NetworkCoverage:
    communities: list[CommunityPage]
    start_phase: list[CommunityPage]
    rows: list[NetworkRow]
    page_obj: object
    total_gaps: int
    total_overstaffed: int
    total_without_role: int
    total_hours: Decimal
    picture: Picture


def network_coverage(
    *, kind: str = "", province: str = "", page: int | str = 1, today=None, paginate=True
) -> NetworkCoverage:
    """Organisations (filtered, a page at a time) × active communities. Queries:
    the organisation count and page, the communities, role assignments and
    memberships of the page's organisations."""
    today = today or timezone.localdate()
    organisations = Organisation.objects.order_by("name")
    if kind:
        organisations = organisations.filter(kind=kind)
    if province:
        organisations = organisations.filter(province=province)
    if paginate:
        page_obj = Paginator(organisations, NETWORK_PAGE_SIZE).get_page(page)
        organisation_list = list(page_obj.object_list)
    else:
        page_obj, organisation_list = None, list(organisations)
    org_ids = [o.pk for o in organisation_list]
    communities = list(
        CommunityPage.objects.filter(status=CommunityStatus.ACTIVE)
        .only("title", "number", "start_date", "status", "url_path", "slug", "path", "depth")
        .order_by("number", "title")
    )
    roles: dict[tuple[int, int], set[str]] = defaultdict(set)
    holders: dict[tuple[int, int], set[int]] = defaultdict(set)
    hours: dict[tuple[int, int], Decimal] = defaultdict(Decimal)
    for org_id, community_id, role, user_id, h in (
        RoleAssignment.objects.current(today)
        .filter(organisation_id__in=org_ids, community__status=CommunityStatus.ACTIVE)
        .values_list("organisation_id", "community_id", "role", "user_id", "hours_per_week")
    ):
        roles[org_id, community_id].add(role)
        holders[org_id, community_id].add(user_id)
        hours[org_id, community_id] += h
    members: dict[tuple[int, int], set[int]] = defaultdict(set)
    for org_id, community_id, user_id in Membership.objects.filter(
        organisation_id__in=org_ids,
        state=MembershipState.ACTIVE,
        community__status=CommunityStatus.ACTIVE,
    ).values_list("organisation_id", "community_id", "user_id"):
        members[org_id, community_id].add(user_id)

    rows = []
    for organisation in organisation_list:
        row = NetworkRow(organisation, [])
        for community in communities:
            key = (organisation.pk, community.pk)
            if key not in members and key not in roles:
                row.cells.append(NetworkCell(community, None))
                continue
            cell = NetworkCell(
                community,
                covered=len(roles[key]),
                people=len(members[key] | holders[key]),
                without_role=len(members[key] - holders[key]),
                hours=hours[key],
            )
            row.cells.append(cell)
            row.gaps += 3 - cell.covered
            row.overstaffed += cell.overstaffed
            row.without_role += cell.without_role
            row.hours += cell.hours
        rows.append(row)

    def cell_at(r, c):
        cell = rows[r].cells[c]
        if not cell.participates:
            return "picture-cell picture-cell--none", "–", _("Does not take part")
        text = f"{cell.covered}/3" + (" !" if cell.overstaffed else "")
        return (
            f"picture-cell picture-cell--level{cell.covered}",
            text,
            _("%(covered)s of 3 roles covered, %(people)s people")
            % {"covered": cell.covered, "people": cell.people},
        )

    picture = _picture(
        _("Roles covered per organisation and community"),
        [f"{community.number}. {community.title}" for community in communities],
        [row.organisation.name for row in rows],
        cell_at,
        cell_width=44,
    )
    return NetworkCoverage(
        communities=communities,
        start_phase=[c for c in communities if in_start_phase(c, today)],
        rows=rows,
        page_obj=page_obj,
        total_gaps=sum(row.gaps for row in rows),
        total_overstaffed=sum(row.overstaffed for row in rows),
        total_without_role=sum(row.without_role for row in rows),
        total_hours=sum((row.hours for row in rows), Decimal("0")),
        picture=picture,
    )
