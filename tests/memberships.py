"""Fixtures for memberships and moderators, set up through the real services;
a pytest plugin (tests/conftest.py), so every suite builds people the same way.

`community` and `other_community` are founding communities 1 and 2 (from the
shared `communities` fixture, which runs the real `seed --as-founded`).
"""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from communities.models import Membership, Moderatorship, Topic
from communities.permissions import COORDINATORS_GROUP
from communities.services.memberships import membership_accept, membership_apply
from communities.services.moderators import moderator_appoint
from members.services import profile_update
from tests.factories import UserFactory

HAAL = "Ideeën om kinderen die weinig lezen aan het lezen te krijgen."
BRENG = "Ervaring met voorleesprojecten op school."


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def community(communities):
    return communities[0]


@pytest.fixture
def other_community(communities):
    return communities[1]


@pytest.fixture
def coordinator(db):
    """A superuser: the platform treats superusers as network coordinators."""
    return UserFactory(is_superuser=True, is_staff=True)


@pytest.fixture
def network_coordinator(db):
    """A coordinator by group membership only (not a superuser); the group and its
    admin access come from the migrations."""
    user = UserFactory()
    user.groups.add(Group.objects.get(name=COORDINATORS_GROUP))
    return user


@pytest.fixture
def make_user(db):
    """A person with a verified e-mail address and a profile in the given language."""

    def make(*, language: str = "nl", name: str = "", **kwargs):
        user = UserFactory(**kwargs)
        profile_update(
            actor=user,
            display_name=name or user.username,
            organisation=None,
            language=language,
        )
        return user

    return make


@pytest.fixture
def apply(db):
    """`apply(user, community, ...)`: a pending application through the real service."""

    def apply_(
        user,
        community,
        *,
        haal=HAAL,
        breng=BRENG,
        haal_topics=(),
        breng_topics=(),
        organisation=None,
    ):
        return membership_apply(
            actor=user,
            community=community,
            haal=haal,
            breng=breng,
            haal_topics=list(haal_topics),
            breng_topics=list(breng_topics),
            organisation=organisation,
        )

    return apply_


@pytest.fixture
def join(apply, coordinator):
    """`join(user, community, ...)`: apply and be accepted by a coordinator."""

    def join_(user, community, **kwargs):
        membership = apply(user, community, **kwargs)
        return membership_accept(actor=coordinator, membership=membership)

    return join_


@pytest.fixture
def appoint(join, coordinator):
    """`appoint(user, community, start_date=..., end_date=...)`: make the user an active
    member (unless they are already) and appoint them moderator."""

    def appoint_(user, community, *, start_date=None, end_date=None):
        if not Membership.objects.filter(user=user, community=community, state="active").exists():
            join(user, community)
        return moderator_appoint(
            actor=coordinator,
            community=community,
            user=user,
            start_date=start_date,
            end_date=end_date,
        )

    return appoint_


@pytest.fixture
def moderator(make_user, appoint, community):
    """A current, open-ended moderator of `community`."""
    user = make_user(name="Mira Moderator")
    appoint(user, community)
    return user


@pytest.fixture
def applicant(make_user):
    return make_user(name="Anna Aanvrager")


@pytest.fixture
def pending(apply, applicant, community, moderator):
    """A pending application to `community` (which has a moderator)."""
    return apply(applicant, community)


@pytest.fixture
def topics(db):
    """Three topics from the shared vocabulary, by name."""
    return {
        name: Topic.objects.get_or_create(name=name)[0]
        for name in ("leesbevordering", "subsidies aanvragen", "evaluatie")
    }


def days(n: int) -> datetime.timedelta:
    return datetime.timedelta(days=n)


def current_terms(community):
    return Moderatorship.objects.current().filter(community=community)
