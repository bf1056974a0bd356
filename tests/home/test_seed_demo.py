"""`seed` with DEBUG on: demo organisations, people, applications and moderators,
created through the real services, and a second run changes nothing."""

import io

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management import call_command

from communities.lifecycle.selectors import community_lineage
from communities.models import (
    CommunityPage,
    CommunityStatus,
    Membership,
    MembershipState,
    MembershipTransition,
    Moderatorship,
    Topic,
)
from communities.permissions import COORDINATORS_GROUP, is_coordinator
from communities.selectors import (
    communities_needing_moderators,
    haal_breng_balance,
    haal_breng_matches,
)
from home.management.commands.seed import DEV_COORDINATOR_EMAIL, DEV_PASSWORD
from members.coverage import GAP, OVERSTAFFED, organisation_coverage
from members.demo import NETWORK_COORDINATOR_EMAIL
from members.models import (
    DevelopmentAgreement,
    Managership,
    MemberProfile,
    Organisation,
    OrganisationKind,
    RoleAssignment,
    SelfTestResult,
    Target,
)

pytestmark = pytest.mark.django_db

User = get_user_model()


def counts():
    return {
        "users": User.objects.count(),
        "organisations": Organisation.objects.count(),
        "profiles": MemberProfile.objects.count(),
        "topics": Topic.objects.count(),
        "memberships": Membership.objects.count(),
        "moderatorships": Moderatorship.objects.count(),
        "transitions": MembershipTransition.objects.count(),
        "email addresses": EmailAddress.objects.count(),
        "managerships": Managership.objects.count(),
        "role assignments": RoleAssignment.objects.count(),
        "targets": Target.objects.count(),
        "self-test results": SelfTestResult.objects.count(),
        "agreements": DevelopmentAgreement.objects.count(),
    }


def seed() -> str:
    out = io.StringIO()
    call_command("seed", stdout=out)
    return out.getvalue()


@pytest.fixture
def seeded(site_tree, settings, django_capture_on_commit_callbacks):
    settings.DEBUG = True
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        output = seed()
    return output


def test_a_second_run_changes_nothing(seeded):
    first = counts()
    # The development coordinator's password is reset (new salt) on every run, by design.
    demo_passwords = dict(
        User.objects.exclude(email=DEV_COORDINATOR_EMAIL).values_list("email", "password")
    )

    output = seed()

    assert counts() == first
    assert (
        dict(User.objects.exclude(email=DEV_COORDINATOR_EMAIL).values_list("email", "password"))
        == demo_passwords
    )
    assert "0 people, 0 memberships and 0 moderators" in output


def test_people_and_organisations(seeded):
    assert Organisation.objects.count() >= 12
    assert set(Organisation.objects.values_list("kind", flat=True)) == set(OrganisationKind.values)
    demo_users = User.objects.filter(email__endswith="@example.org")
    assert demo_users.count() >= 60
    # Every demo person can log in: a verified primary address and the printed password.
    for user in demo_users:
        address = EmailAddress.objects.get(user=user, email=user.email)
        assert address.verified and address.primary
    sample = demo_users.get(email="sanne.devries@example.org")
    assert sample.check_password(DEV_PASSWORD)
    assert sample.profile.organisation.name == "Bibliotheek Midden-Brabant"
    assert sample.profile.job_title
    # Most people are in one to three communities.
    per_person = {}
    for user_id in Membership.objects.values_list("user_id", flat=True):
        per_person[user_id] = per_person.get(user_id, 0) + 1
    assert len(per_person) >= 60
    assert all(1 <= n <= 3 for n in per_person.values())
    # A coordinator by group, not a superuser.
    coordinator = User.objects.get(email=NETWORK_COORDINATOR_EMAIL)
    assert not coordinator.is_superuser
    assert coordinator.groups.filter(name=COORDINATORS_GROUP).exists()
    assert is_coordinator(coordinator)


def test_the_agenda_history_is_replayed(seeded):
    """Founded in 2017 as 15; the agenda merged 3 and 4 and renamed 6 and 7."""
    active = CommunityPage.objects.filter(status=CommunityStatus.ACTIVE)
    assert active.count() == 14
    merged = active.get(title="Participatie en zelfredzaamheid")
    lineage = community_lineage(merged)
    assert [p.title for p in lineage.predecessors] == [
        "Basisvaardigheden",
        "Maatschappelijke deelname",
    ]
    for old in lineage.predecessors:
        assert old.status == CommunityStatus.MERGED
        assert [p.pk for p in community_lineage(old).successors] == [merged.pk]
    # The real merge moved the demo members along.
    assert Membership.objects.filter(community=merged, state=MembershipState.ACTIVE).exists()
    renamed = {p.number: p for p in active.filter(number__in=[6, 7])}
    assert renamed[6].title == "Community Librarian Netwerk"
    assert [f.name for f in renamed[6].former_names.all()] == ["Community en connectie"]
    assert renamed[7].title == "Werkplaats"
    assert [f.name for f in renamed[7].former_names.all()] == ["Technologie en makers"]


def test_moderators_and_applications(seeded):
    active = CommunityPage.objects.filter(status=CommunityStatus.ACTIVE)
    assert active.count() == 14
    moderated = set(Moderatorship.objects.current().values_list("community_id", flat=True))
    assert set(active.values_list("pk", flat=True)) <= moderated
    for term in Moderatorship.objects.current().select_related("user", "community"):
        assert Membership.objects.filter(
            user=term.user, community=term.community, state=MembershipState.ACTIVE
        ).exists()
    # Some terms end soon, so the coordinator's overview has something to show.
    alerts = communities_needing_moderators()
    assert alerts
    assert all(alert.moderators for alert in alerts)  # ending soon, not missing

    assert Membership.objects.filter(state=MembershipState.PENDING).count() >= 10
    for state in (
        MembershipState.NEEDS_INFO,
        MembershipState.DECLINED,
        MembershipState.WITHDRAWN,
        MembershipState.LEFT,
    ):
        assert Membership.objects.filter(state=state).exists(), state


def test_balance_and_matches_have_something_to_show(seeded):
    communities = CommunityPage.objects.filter(status=CommunityStatus.ACTIVE)
    both = [
        community
        for community in communities
        if {item.gap > 0 for item in haal_breng_balance(community) if item.gap} == {True, False}
    ]
    assert len(both) >= 12  # most communities both lack and have plenty of something
    assert sum(len(haal_breng_matches(community)) > 0 for community in communities) >= 12


def test_the_demo_password_is_printed_and_no_mail_is_sent(seeded):
    assert f"password: {DEV_PASSWORD}" in seeded
    assert "demo members" in seeded
    assert mail.outbox == []


def test_without_debug_no_people_are_created(site_tree, settings):
    settings.DEBUG = False
    call_command("seed", "--no-accounts", stdout=io.StringIO())
    assert not User.objects.exists()
    assert not Membership.objects.exists()


def test_managers_roles_targets_selftests_and_agreements(seeded):
    managerships = list(Managership.objects.current().select_related("organisation"))
    assert len(managerships) >= 3
    assert RoleAssignment.objects.count() >= 10
    assert Target.objects.exists()
    shared = SelfTestResult.objects.filter(shared_with_manager_at__isnull=False)
    assert shared.exists() and SelfTestResult.objects.exclude(pk__in=shared).exists()
    assert DevelopmentAgreement.objects.exists()
    # Realistic: somewhere a role is not covered.
    warnings = [
        warning.kind
        for managership in managerships
        for warning in organisation_coverage(
            managership.organisation, viewer=managership.user
        ).warnings
    ]
    assert GAP in warnings and OVERSTAFFED in warnings


def test_a_demo_member_holds_a_reischeque_with_the_travel_goal(seeded):
    reischeque = DevelopmentAgreement.objects.exclude(travel_goal="").select_related("organisation")
    [agreement] = reischeque
    assert agreement.travel_goal == agreement.organisation.travel_goal
    assert len(agreement.questions.splitlines()) == 7
    assert agreement.review_date > agreement.conversation_date
