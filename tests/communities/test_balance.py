"""The haal/breng balance and matches a moderator sees, and the query counts of the
moderator's lists."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from communities.models import Topic
from communities.selectors import (
    active_members,
    application_queue,
    haal_breng_balance,
    haal_breng_matches,
)
from communities.services.memberships import membership_ask
from members.models import Organisation, OrganisationKind, Province
from members.services import profile_update
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def known(community, other_community, make_user, apply, join, topics, coordinator):
    """Three active members (plus a pending one, one elsewhere and one who left):

    | who     | haal            | breng              |
    |---------|-----------------|--------------------|
    | anna    | lees, subsidies | evaluatie          |
    | bas     | lees            | subsidies          |
    | carla   | evaluatie       | lees, subsidies    |
    | pending | lees            | lees, evaluatie    |  (ignored: not active)
    | other   | subsidies       | evaluatie          |  (ignored: other community)
    """
    lees, subsidies, evaluatie = (
        topics["leesbevordering"],
        topics["subsidies aanvragen"],
        topics["evaluatie"],
    )
    unused = Topic.objects.create(name="makerspace inrichten")
    people = {name: make_user(name=name) for name in ("anna", "bas", "carla", "pending", "other")}
    join(people["anna"], community, haal_topics=[lees, subsidies], breng_topics=[evaluatie])
    join(people["bas"], community, haal_topics=[lees], breng_topics=[subsidies])
    join(people["carla"], community, haal_topics=[evaluatie], breng_topics=[lees, subsidies])
    waiting = apply(
        people["pending"],
        community,
        haal_topics=[lees, unused],
        breng_topics=[lees, evaluatie, unused],
    )
    membership_ask(actor=coordinator, membership=waiting, question="Welke school?")
    join(people["other"], other_community, haal_topics=[subsidies], breng_topics=[evaluatie])
    return people


def test_balance_counts_active_members_per_topic(known, community):
    balance = haal_breng_balance(community)

    assert [(b.topic.name, b.asked, b.brought, b.gap) for b in balance] == [
        ("evaluatie", 1, 1, 0),
        ("leesbevordering", 2, 1, 1),
        ("subsidies aanvragen", 1, 2, -1),
    ]


def test_matches_pair_askers_with_bringers(known, community):
    matches = haal_breng_matches(community)

    pairs = [
        (m.topic.name, m.asker.user.profile.display_name, m.bringer.user.profile.display_name)
        for m in matches
    ]
    # By topic, then in the order the askers and the bringers joined: stable on every load.
    assert pairs == [
        ("evaluatie", "carla", "anna"),
        ("leesbevordering", "anna", "carla"),
        ("leesbevordering", "bas", "carla"),
        ("subsidies aanvragen", "anna", "bas"),
        ("subsidies aanvragen", "anna", "carla"),
    ]


def test_no_one_is_matched_with_themselves(community, make_user, join, topics):
    lees = topics["leesbevordering"]
    join(make_user(name="solo"), community, haal_topics=[lees], breng_topics=[lees])

    assert haal_breng_matches(community) == []
    [balance] = haal_breng_balance(community)
    assert (balance.asked, balance.brought) == (1, 1)


def test_matches_are_limited(known, community):
    assert len(haal_breng_matches(community, limit=2)) == 2


def test_an_empty_community_has_no_balance_or_matches(community):
    assert haal_breng_balance(community) == []
    assert haal_breng_matches(community) == []


def test_pending_and_questioned_applications_are_in_the_queue_not_the_balance(known, community):
    queue = list(application_queue(community))
    assert [m.user for m in queue] == [known["pending"]]
    assert {m.user for m in active_members(community)} == {
        known["anna"],
        known["bas"],
        known["carla"],
    }


# --- query counts ------------------------------------------------------------------


def _populate(community, count, *, apply, coordinator, topic_list, organisation):
    from communities.services.memberships import membership_accept

    for n in range(count):
        user = UserFactory()
        profile_update(
            actor=user,
            display_name=f"Lid {n}",
            organisation=organisation,
            job_title="Leesconsulent",
        )
        membership = apply(
            user,
            community,
            organisation=organisation,
            haal_topics=[topic_list[n % 3], topic_list[(n + 1) % 3]],
            breng_topics=[topic_list[(n + 2) % 3]],
        )
        if n % 2:
            membership_accept(actor=coordinator, membership=membership)
        elif n % 4 == 0:
            membership_ask(actor=coordinator, membership=membership, question="Waarom?")


def _queries(function) -> int:
    with CaptureQueriesContext(connection) as captured:
        function()
    return len(captured)


def _read_list(memberships):
    """What the moderation pages show for each membership."""
    return [
        (
            m.user.profile.display_name,
            m.user.profile.job_title,
            m.organisation.name if m.organisation else "",
            [t.name for t in m.haal_topics.all()],
            [t.name for t in m.breng_topics.all()],
        )
        for m in memberships
    ]


def _read_queue(memberships):
    """The moderation card also shows the conversation: who wrote what, when."""
    return [
        (*row, [(t.note, t.actor.display_name, t.at) for t in m.conversation])
        for row, m in zip(_read_list(memberships), memberships, strict=True)
    ]


READERS = {
    "haal_breng_balance": lambda c: [
        (b.topic.name, b.asked, b.brought) for b in haal_breng_balance(c)
    ],
    "haal_breng_matches": lambda c: [
        (m.topic.name, m.asker.user.profile.display_name, m.bringer.user.profile.display_name)
        for m in haal_breng_matches(c, limit=10_000)
    ],
    "application_queue": lambda c: _read_queue(list(application_queue(c))),
    "active_members": lambda c: _read_list(active_members(c)),
}


@pytest.mark.parametrize("reader", READERS)
def test_query_count_does_not_grow_with_the_members(
    reader, communities, apply, coordinator, topics
):
    small, large = communities[0], communities[1]
    organisation = Organisation.objects.create(
        name="Bibliotheek Testdorp",
        kind=OrganisationKind.PUBLIC_LIBRARY,
        province=Province.UTRECHT,
    )
    topic_list = list(topics.values())
    _populate(
        small,
        10,
        apply=apply,
        coordinator=coordinator,
        topic_list=topic_list,
        organisation=organisation,
    )
    _populate(
        large,
        100,
        apply=apply,
        coordinator=coordinator,
        topic_list=topic_list,
        organisation=organisation,
    )
    read = READERS[reader]
    assert read(small)
    assert read(large) != read(small)  # the large community really shows more

    assert _queries(lambda: read(large)) == _queries(lambda: read(small))
