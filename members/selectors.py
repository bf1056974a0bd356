"""Reads about people, with access checks."""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.http import Http404

from communities.models import Membership, MembershipState


def profile_get_for_user(*, user, profile_user_id: int):
    """A member's public-within-the-network profile: name, organisation, job, bio
    and the communities they are active in. Visible to logged-in users only;
    "missing" and "forbidden" look the same."""
    from communities import permissions

    if not permissions.can_view_profiles(user):
        raise Http404
    User = get_user_model()
    try:
        person = User.objects.select_related("profile__organisation").get(
            pk=profile_user_id, is_active=True
        )
    except User.DoesNotExist:
        raise Http404 from None
    communities = [
        membership.community
        for membership in Membership.objects.filter(user=person, state=MembershipState.ACTIVE)
        .select_related("community")
        .order_by("community__title")
    ]
    return person, communities


# --- managers, roles, self-test, agreements ----------------------------------


def organisations_managed_by(user) -> list:
    from communities import permissions
    from members.models import Organisation

    return list(
        Organisation.objects.filter(pk__in=permissions.managed_organisation_ids(user)).order_by(
            "name"
        )
    )


def organisation_get_for_coverage(*, user, organisation_id: int):
    """The organisation whose coverage `user` may see; 404 for missing and forbidden."""
    from communities import permissions
    from members.models import Organisation

    organisation = Organisation.objects.filter(pk=organisation_id).first()
    if organisation is None or not permissions.can_view_coverage(user, organisation):
        raise Http404
    return organisation


def organisation_people(organisation):
    """Active accounts working for the organisation: by profile or by an active
    membership on its behalf."""
    User = get_user_model()
    return (
        User.objects.filter(is_active=True)
        .filter(
            Q(profile__organisation=organisation)
            | Q(
                memberships__organisation=organisation,
                memberships__state=MembershipState.ACTIVE,
            )
        )
        .distinct()
        .select_related("profile")
        .order_by("profile__display_name", "pk")
    )


def organisation_communities(organisation):
    """Active communities the organisation takes part in (through active members)."""
    from communities.models import CommunityPage, CommunityStatus

    return (
        CommunityPage.objects.filter(
            status=CommunityStatus.ACTIVE,
            communities_membership_set__organisation=organisation,
            communities_membership_set__state=MembershipState.ACTIVE,
        )
        .distinct()
        .order_by("number", "title")
    )


@dataclass
class ChartLine:
    role: str
    label: str
    css: str
    points: str  # SVG polyline points
    dots: list[tuple[int, int, int]]  # x, y, score


@dataclass
class HistoryChart:
    width: int
    height: int
    lines: list[ChartLine]
    x_labels: list[tuple[int, str]]
    y_ticks: list[tuple[int, int]]
    label_y: int
    tick_x: int
    grid_x1: int
    grid_x2: int


CHART_W, CHART_H, CHART_PAD = 560, 220, 40


def selftest_history_chart(results) -> HistoryChart | None:
    """A small line chart of the scores over time (oldest left); None for fewer
    than two results. Lines differ in dash pattern and carry a label, so colour
    is not the only cue."""
    from members.models import Role

    results = sorted(results, key=lambda r: (r.taken_at, r.pk))
    if len(results) < 2:
        return None
    inner_w, inner_h = CHART_W - 2 * CHART_PAD, CHART_H - 2 * CHART_PAD
    step = inner_w / (len(results) - 1)

    def xy(i, score):
        return round(CHART_PAD + i * step), round(CHART_PAD + inner_h - score * inner_h / 100)

    lines = []
    for role, label in Role.choices:
        dots = [(*xy(i, r.scores[role]), r.scores[role]) for i, r in enumerate(results)]
        lines.append(
            ChartLine(
                role=role,
                label=str(label),
                css=f"chart-line chart-line--{role}",
                points=" ".join(f"{x},{y}" for x, y, _s in dots),
                dots=dots,
            )
        )
    return HistoryChart(
        width=CHART_W,
        height=CHART_H,
        lines=lines,
        x_labels=[(xy(i, 0)[0], r.taken_at.strftime("%d-%m-%Y")) for i, r in enumerate(results)],
        y_ticks=[(xy(0, v)[1], v) for v in (0, 50, 100)],
        label_y=CHART_H - 12,
        tick_x=CHART_PAD - 6,
        grid_x1=CHART_PAD,
        grid_x2=CHART_W - CHART_PAD,
    )


def selftest_results_of(user):
    from members.models import SelfTestResult

    return SelfTestResult.objects.filter(user=user).select_related("shared_with")


def selftest_result_get_for_user(*, user, result_id: int):
    """A result the user may see (their own, or shared with an organisation they
    manage); 404 for missing and forbidden alike."""
    from communities import permissions
    from members.models import SelfTestResult

    result = (
        SelfTestResult.objects.select_related("user__profile", "shared_with")
        .filter(pk=result_id)
        .first()
    )
    if result is None or not permissions.can_view_selftest_result(user, result):
        raise Http404
    return result


def shared_selftest_results(organisation) -> list:
    """The newest result each of the organisation's people shares with it."""
    from members.models import SelfTestResult

    latest = {}
    for result in (
        SelfTestResult.objects.filter(
            shared_with=organisation,
            shared_with_manager_at__isnull=False,
            user__profile__organisation=organisation,
            user__is_active=True,
        )
        .select_related("user__profile")
        .order_by("user_id", "-taken_at", "-pk")
    ):
        latest.setdefault(result.user_id, result)
    return sorted(latest.values(), key=lambda r: r.user.display_name)


def shared_selftest_result_of(user, organisation):
    """The member's newest self-test result shared with the organisation's
    managers, or None (who may see it is still permissions' question)."""
    from members.models import SelfTestResult

    return (
        SelfTestResult.objects.filter(
            user=user, shared_with=organisation, shared_with_manager_at__isnull=False
        )
        .select_related("user__profile", "shared_with")
        .order_by("-taken_at", "-pk")
        .first()
    )


def roles_of(user, *, today=None) -> list:
    """The person's current and coming roles, each with the target it serves (the
    organisation's target in that community, or None): for their own page only."""
    from django.utils import timezone

    from members.models import RoleAssignment, Target

    today = today or timezone.localdate()
    assignments = list(
        RoleAssignment.objects.filter(user=user, retired_into__isnull=True)
        .filter(Q(end_date__isnull=True) | Q(end_date__gt=today))
        .select_related("community", "organisation", "assigned_by__profile")
        .order_by("community__title", "start_date", "pk")
    )
    pairs = {(a.organisation_id, a.community_id) for a in assignments}
    targets = {}
    if pairs:
        pair_q = Q()
        for organisation_id, community_id in pairs:
            pair_q |= Q(organisation_id=organisation_id, community_id=community_id)
        targets = {
            (t.organisation_id, t.community_id): t
            for t in Target.objects.filter(pair_q, retired_into__isnull=True)
        }
    for assignment in assignments:
        assignment.target = targets.get((assignment.organisation_id, assignment.community_id))
        assignment.is_coming = assignment.start_date > today
    return assignments


def agreements_for_organisation(organisation):
    from members.models import DevelopmentAgreement

    return (
        DevelopmentAgreement.objects.filter(organisation=organisation)
        .select_related("user__profile", "recorded_by__profile")
        .order_by("review_date", "pk")
    )


def agreements_due(organisation, *, today=None, within_days: int = 30) -> list:
    """Agreements whose review date has passed or falls within `within_days`."""
    import datetime

    from django.utils import timezone

    today = today or timezone.localdate()
    return list(
        agreements_for_organisation(organisation).filter(
            review_date__lte=today + datetime.timedelta(days=within_days)
        )
    )


def agreements_of(user):
    from members.models import DevelopmentAgreement

    return (
        DevelopmentAgreement.objects.filter(user=user)
        .select_related("organisation", "recorded_by__profile")
        .order_by("-conversation_date", "-pk")
    )


def agreement_get_for_user(*, user, agreement_id: int):
    from communities import permissions
    from members.models import DevelopmentAgreement

    agreement = (
        DevelopmentAgreement.objects.select_related(
            "user__profile", "organisation", "recorded_by__profile"
        )
        .filter(pk=agreement_id)
        .first()
    )
    if agreement is None or not permissions.can_view_agreement(user, agreement):
        raise Http404
    return agreement


def current_managerships():
    from members.models import Managership

    return (
        Managership.objects.current()
        .select_related("user__profile", "organisation")
        .order_by("organisation__name", "pk")
    )
