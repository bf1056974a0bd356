"""Role coverage: the manager's matrix (one organisation × its communities × the
three roles) and the coordinator's network view (organisations × communities).

Both are computed in a fixed number of queries, whatever the number of
organisations, communities, people and roles: every query below fetches one
kind of row for the whole view, and the rest is done in Python. Warnings:

- gap: a role nobody of the organisation holds in a community it takes part in;
- overstaffed: more than three people of the organisation in one community and
  at least one of them without a clear role (no role, or no contribution
  written down). The pilot's lesson 6: "Het is niet noodzakelijk om met meer
  dan 3 medewerkers ... deel te nemen ... Het kan wel, mits het voor de
  medewerkers duidelijk is welke rol zij vervullen." With every role clear,
  more than three is information (a note), not a warning;
- without role: an active member on behalf of the organisation without a role.

Notes (information, not warnings):

- more than three people, each with a clear role (see above);
- start phase (lesson 9, "Trek minimaal een jaar uit voor de beginfase"): the
  organisation started in the community less than a year ago, counted from its
  people's earliest join or role there (not from the community's own start);
  targets are shown but not judged.

Targets (lesson 4) count what they say: the members the community reaches
(all its active members) and the activities of the target's kind that the
organisation's people started there (members.activity).
"""

import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.paginator import Paginator
from django.db.models import Count, Min
from django.utils import timezone
from django.utils.text import get_text_list
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from communities import permissions
from communities.models import CommunityPage, CommunityStatus, Membership, MembershipState
from members.activity import ActivityKind, activity_counts, counted
from members.models import Organisation, Role, RoleAssignment, SelfTestResult, Target

MAX_PEOPLE_PER_ORGANISATION = 3
START_PHASE = datetime.timedelta(days=365)
NETWORK_PAGE_SIZE = 50

GAP = "gap"
OVERSTAFFED = "overstaffed"
WITHOUT_ROLE = "without_role"
START = "start_phase"
MANY_CLEAR_ROLES = "many_clear_roles"


def in_start_phase(started: datetime.date, today: datetime.date) -> bool:
    """`started`: when the organisation started in the community (organisation_starts)."""
    return started > today - START_PHASE


def needs_clearer_roles(people: int, unclear: int) -> bool:
    """Lesson 6: more than three people of one organisation in a community is a
    warning only while someone among them has no clear role."""
    return people > MAX_PEOPLE_PER_ORGANISATION and unclear > 0


def organisation_starts(organisation_ids, community_ids) -> dict[tuple[int, int], datetime.date]:
    """(organisation id, community id) → the day the organisation started there:
    its people's earliest join (in any later state: someone who left still
    started it) or earliest role, whichever came first. Two queries."""
    starts: dict[tuple[int, int], datetime.date] = {}

    def keep(key, day):
        if day is not None and (key not in starts or day < starts[key]):
            starts[key] = day

    for org_id, community_id, first in (
        Membership.objects.filter(
            organisation_id__in=list(organisation_ids),
            community_id__in=list(community_ids),
            joined_at__isnull=False,
        )
        .values("organisation_id", "community_id")
        .annotate(first=Min("joined_at"))
        .values_list("organisation_id", "community_id", "first")
        .order_by()
    ):
        keep((org_id, community_id), timezone.localdate(first))
    for org_id, community_id, first in (
        RoleAssignment.objects.filter(
            organisation_id__in=list(organisation_ids), community_id__in=list(community_ids)
        )
        .values("organisation_id", "community_id")
        .annotate(first=Min("start_date"))
        .values_list("organisation_id", "community_id", "first")
        .order_by()
    ):
        keep((org_id, community_id), first)
    return starts


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
    started: datetime.date  # when the organisation started here (organisation_starts)
    start_phase: bool
    cells: list[RoleCell]
    people: list[str]
    without_role: list[str]
    # People without a clear role: no role here, or no contribution written down.
    unclear: list[str]
    hours: Decimal
    target: Target | None = None
    # The target's progress: the community's active members (all organisations)
    # and the activities of the target's kind by the organisation's people.
    members: int = 0
    activities: int = 0
    members_met: bool | None = None
    activities_met: bool | None = None
    target_judged: bool = False

    @property
    def covered(self) -> int:
        return sum(not cell.is_gap for cell in self.cells)

    @property
    def many_people(self) -> bool:
        return len(self.people) > MAX_PEOPLE_PER_ORGANISATION

    @property
    def overstaffed(self) -> bool:
        return needs_clearer_roles(len(self.people), len(self.unclear))


@dataclass
class OrganisationCoverage:
    organisation: Organisation
    rows: list[CommunityRow]
    warnings: list[CoverageWarning]
    # Information that is no warning (lessons 6 and 9): same shape as warnings.
    notes: list[CoverageWarning]
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
    targets, the communities' member counts, the organisation's start per
    community (two), the shared self-test results (only for a viewer who may see
    them), and one per registered activity source."""
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
    community_members = dict(
        Membership.objects.filter(community_id__in=list(communities), state=MembershipState.ACTIVE)
        .values("community_id")
        .annotate(n=Count("pk"))
        .values_list("community_id", "n")
        .order_by()
    )
    starts = organisation_starts([organisation.pk], list(communities))
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
    contributed: dict[int, set[int]] = defaultdict(set)  # a role with a contribution
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
        if a.contribution:
            contributed[a.community_id].add(a.user_id)

    ordered = sorted(communities.values(), key=lambda c: (c.number, c.title))
    rows, warnings, notes, total = [], [], [], Decimal("0")
    for community in ordered:
        cells = [RoleCell(role, labels[role], by_cell[community.pk, role]) for role in Role.values]
        members_here = people[community.pk]
        everyone = dict(members_here)
        for cell in cells:
            for holder in cell.holders:
                everyone.setdefault(holder.user_id, holder.name)
        hours = sum((h.hours for cell in cells for h in cell.holders), Decimal("0"))
        total += hours
        started = starts.get((organisation.pk, community.pk), community.start_date)
        target = targets.get(community.pk)
        row = CommunityRow(
            community=community,
            started=started,
            start_phase=in_start_phase(started, today),
            cells=cells,
            people=sorted(everyone.values()),
            without_role=sorted(
                name for uid, name in members_here.items() if uid not in role_holders[community.pk]
            ),
            unclear=sorted(
                name for uid, name in everyone.items() if uid not in contributed[community.pk]
            ),
            hours=hours,
            target=target,
            members=community_members.get(community.pk, 0),
            activities=counted(
                activities.get(community.pk, Counter()),
                target.activity_kind if target else ActivityKind.ALL,
            ),
        )
        if row.target is not None:
            row.target_judged = not row.start_phase
            if row.target_judged:
                row.members_met = row.members >= row.target.target_members
                row.activities_met = row.activities >= row.target.target_activities
        rows.append(row)
        warnings.extend(_row_warnings(row))
        notes.extend(_row_notes(row))

    picture = _picture(
        _("Role coverage of %(organisation)s") % {"organisation": organisation.name},
        [labels[role].split(" (")[0] for role in Role.values],
        [f"{row.community.number}. {row.community.title}" for row in rows],
        lambda r, c: _matrix_cell(rows[r].cells[c]),
    )
    return OrganisationCoverage(
        organisation, rows, warnings, notes, total, picture, today, shows_selftest_fit
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
                    "%(count)s people of the organisation take part, and not every one of "
                    "them has a clear role (no role or no contribution written down: "
                    "%(names)s). The pilot: more than three is possible only when it is "
                    "clear to each of them which role they fulfil."
                )
                % {"count": len(row.people), "names": ", ".join(row.unclear)},
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
    return out


def _row_notes(row: CommunityRow) -> list[CoverageWarning]:
    community, out = row.community, []
    if row.many_people and not row.overstaffed:
        out.append(
            CoverageWarning(
                MANY_CLEAR_ROLES,
                community,
                _(
                    "%(count)s people of the organisation take part, each with a role and "
                    "a contribution written down. The pilot: “It is not necessary to take "
                    "part with more than 3 employees. It can be done, provided it is clear "
                    "to the employees which role they fulfil.”"
                )
                % {"count": len(row.people)},
            )
        )
    if row.start_phase:
        out.append(
            CoverageWarning(
                START,
                community,
                _(
                    "Start phase: your organisation started here on %(date)s. The pilot: "
                    "“Allow at least a year for the start phase.” Targets are shown but "
                    "not judged until %(end)s."
                )
                % {
                    "date": row.started.strftime("%d-%m-%Y"),
                    "end": (row.started + START_PHASE).strftime("%d-%m-%Y"),
                },
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
    unclear: int = 0  # without a role, or without a contribution written down
    hours: Decimal = Decimal("0")
    start_phase: bool = False

    @property
    def participates(self) -> bool:
        return self.covered is not None

    @property
    def overstaffed(self) -> bool:
        return needs_clearer_roles(self.people, self.unclear)


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
    start_phase: int  # organisation × community pairs in their start phase
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
    memberships of the page's organisations, and their start per community (two)."""
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
    contributed: dict[tuple[int, int], set[int]] = defaultdict(set)
    hours: dict[tuple[int, int], Decimal] = defaultdict(Decimal)
    for org_id, community_id, role, user_id, h, contribution in (
        RoleAssignment.objects.current(today)
        .filter(organisation_id__in=org_ids, community__status=CommunityStatus.ACTIVE)
        .values_list(
            "organisation_id", "community_id", "role", "user_id", "hours_per_week", "contribution"
        )
    ):
        roles[org_id, community_id].add(role)
        holders[org_id, community_id].add(user_id)
        if contribution:
            contributed[org_id, community_id].add(user_id)
        hours[org_id, community_id] += h
    members: dict[tuple[int, int], set[int]] = defaultdict(set)
    for org_id, community_id, user_id in Membership.objects.filter(
        organisation_id__in=org_ids,
        state=MembershipState.ACTIVE,
        community__status=CommunityStatus.ACTIVE,
    ).values_list("organisation_id", "community_id", "user_id"):
        members[org_id, community_id].add(user_id)
    starts = organisation_starts(org_ids, [community.pk for community in communities])

    rows = []
    for organisation in organisation_list:
        row = NetworkRow(organisation, [])
        for community in communities:
            key = (organisation.pk, community.pk)
            if key not in members and key not in roles:
                row.cells.append(NetworkCell(community, None))
                continue
            everyone = members[key] | holders[key]
            cell = NetworkCell(
                community,
                covered=len(roles[key]),
                people=len(everyone),
                without_role=len(members[key] - holders[key]),
                unclear=len(everyone - contributed[key]),
                hours=hours[key],
                start_phase=in_start_phase(starts.get(key, community.start_date), today),
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
        start_phase=sum(cell.start_phase for row in rows for cell in row.cells),
        rows=rows,
        page_obj=page_obj,
        total_gaps=sum(row.gaps for row in rows),
        total_overstaffed=sum(row.overstaffed for row in rows),
        total_without_role=sum(row.without_role for row in rows),
        total_hours=sum((row.hours for row in rows), Decimal("0")),
        picture=picture,
    )
