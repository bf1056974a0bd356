"""Fixtures for roles, managers, the self-test and personal data, set up through
the real services. Reuses the membership fixtures of tests/communities."""

import datetime

import pytest
from django.utils import timezone

from members.models import Organisation, OrganisationKind, Province
from members.services import profile_update
from members.services.managers import manager_appoint
from members.services.roles import role_assign, role_end, target_set
from members.services.selftest import selftest_share, selftest_submit
from tests.factories import CommunityPageFactory, UserFactory

VERBINDER_FIT = {
    sid: 5 if sid.startswith("v") else 1 for sid in [f"{r}{i}" for r in "bva" for i in range(1, 7)]
}


@pytest.fixture
def make_organisation(db):
    def make(name, *, kind=OrganisationKind.PUBLIC_LIBRARY, province=Province.UTRECHT):
        return Organisation.objects.create(name=name, kind=kind, province=province)

    return make


@pytest.fixture
def organisation(make_organisation):
    return make_organisation("Bibliotheek Eemland")


@pytest.fixture
def other_organisation(make_organisation):
    return make_organisation("Bibliotheek Zeeland", province=Province.ZEELAND)


@pytest.fixture
def person(db):
    """`person(name, organisation)`: an account with a profile at the organisation."""

    def make(name, organisation=None, **kwargs):
        user = UserFactory(**kwargs)
        profile_update(actor=user, display_name=name, organisation=organisation, language="nl")
        return user

    return make


@pytest.fixture
def member_of(join):  # noqa: F811
    """`member_of(user, community, organisation)`: an active member on its behalf."""

    def make(user, place, organisation):
        return join(user, place, organisation=organisation)

    return make


@pytest.fixture
def manager_for(coordinator):  # noqa: F811
    def make(user, organisation):
        return manager_appoint(actor=coordinator, user=user, organisation=organisation)

    return make


@pytest.fixture
def manager(person, organisation, manager_for):
    user = person("Marit Manager", organisation)
    manager_for(user, organisation)
    return user


@pytest.fixture
def assign(manager):
    """`assign(user, community, role, organisation=..., actor=...)` through role_assign."""

    def make(
        user,
        place,
        role,
        *,
        organisation,
        actor=None,
        hours="4",
        contribution="",
        start_date=None,
    ):
        return role_assign(
            actor=actor or manager,
            organisation=organisation,
            community=place,
            user=user,
            role=role,
            hours_per_week=hours,
            contribution=contribution,
            start_date=start_date,
        )

    return make


@pytest.fixture
def young_community(site_tree):
    return CommunityPageFactory(
        parent=site_tree,
        title="Jonge community",
        start_date=timezone.localdate() - datetime.timedelta(days=100),
    )


@pytest.fixture
def crafted(
    person,
    organisation,
    other_organisation,
    member_of,
    assign,
    manager,
    community,  # noqa: F811
    other_community,  # noqa: F811
    young_community,
):
    """c1: four people (overstaffed: two without a role, Bert without a contribution),
    bouwer + verbinder, no aanjager. c2: Anna holds all three roles. In c1 and c2
    the organisation started two years ago (Anna's first roles, recorded with that
    date). Young community: one member who joined today, no role (start phase)."""
    anna, bert, cas, dirk, eva = (
        person(name, organisation) for name in ("Anna", "Bert", "Cas", "Dirk", "Eva")
    )
    for user in (anna, bert, cas, dirk):
        member_of(user, community, organisation)
    member_of(anna, other_community, organisation)
    member_of(eva, young_community, organisation)
    # Someone of another organisation in c1 does not count for this one.
    stranger = person("Sjaak", other_organisation)
    member_of(stranger, community, other_organisation)

    two_years_ago = timezone.localdate() - datetime.timedelta(days=730)
    assign(
        anna,
        community,
        "bouwer",
        organisation=organisation,
        hours="4",
        contribution='=HYPERLINK("x")',
        start_date=two_years_ago,
    )
    assign(bert, community, "verbinder", organisation=organisation, hours="2.5")
    for role in ("bouwer", "verbinder", "aanjager"):
        assign(
            anna,
            other_community,
            role,
            organisation=organisation,
            hours="1",
            start_date=two_years_ago,
        )
    ended = assign(dirk, community, "aanjager", organisation=organisation)
    role_end(actor=manager, assignment=ended)  # ends today: no longer counts

    deadline = timezone.localdate() + datetime.timedelta(days=200)
    target_set(
        actor=manager,
        organisation=organisation,
        community=community,
        target_members=3,
        target_activities=2,
        deadline=deadline,
    )
    target_set(
        actor=manager,
        organisation=organisation,
        community=young_community,
        target_members=5,
        target_activities=5,
        deadline=deadline,
    )
    selftest_share(actor=anna, result=selftest_submit(actor=anna, answers=VERBINDER_FIT))
    return {
        "anna": anna,
        "bert": bert,
        "community": community,
        "young": young_community,
        "other": other_community,
    }
