"""The community pages run a fixed number of queries, however many members there are.

Discourse's n_plus_one_control idea: count the queries of a page with 10 active
members, grow the community to 100 (each member with haal and breng topics, an
organisation and a profile; a tenth as many pending applications), count again;
the counts must be equal. The counts are reported in the assertion message and
recorded as test properties.
"""

import copy
import uuid

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from communities.models import Membership, MembershipState, Topic
from communities.services.memberships import (
    membership_accept,
    membership_answer,
    membership_apply,
    membership_ask,
)
from communities.services.moderators import moderator_appoint
from members.models import MemberProfile, Organisation, OrganisationKind, Province
from tests.factories import CommunityPageFactory
from tests.views_support import default_language, main_text, soup, subpage_url

SMALL, LARGE = 10, 100
TOPIC_NAMES = [
    "leesbevordering",
    "subsidies aanvragen",
    "evaluatie",
    "vrijwilligers",
    "makerspace",
    "laaggeletterdheid",
]


@pytest.fixture(autouse=True)
def _default_language():
    with default_language():
        yield


@pytest.fixture(autouse=True)
def private_cache(settings):
    """A cache key prefix of this test's own. With Redis the cache is shared with
    every other process (other test runs clear Wagtail's cached site root paths),
    which would add a query to one measurement and not to the other."""
    caches = copy.deepcopy(settings.CACHES)
    prefix = caches["default"].get("KEY_PREFIX", "")
    caches["default"]["KEY_PREFIX"] = f"{prefix}-queries-{uuid.uuid4().hex}"
    settings.CACHES = caches


@pytest.fixture
def community(site_tree):
    return CommunityPageFactory(parent=site_tree, title="Leesplezier in de wijk")


class Crowd:
    """Grows the community through the real services: apply, then accepted by a
    coordinator. Users and profiles are created directly, for speed."""

    def __init__(self, community, coordinator):
        self.community = community
        self.coordinator = coordinator
        self.topics = [Topic.objects.get_or_create(name=name)[0] for name in TOPIC_NAMES]
        self.organisations = [
            Organisation.objects.create(
                name=f"Bibliotheek {place}",
                kind=OrganisationKind.PUBLIC_LIBRARY,
                province=province,
            )
            for place, province in [
                ("Utrecht", Province.UTRECHT),
                ("Zwolle", Province.OVERIJSSEL),
                ("Venlo", Province.LIMBURG),
            ]
        ]
        self.people = 0
        self.moderator = None

    def _person(self):
        self.people += 1
        n = self.people
        user = get_user_model().objects.create(
            username=f"lid{n}", email=f"lid{n}@example.org", first_name="Lid", last_name=str(n)
        )
        MemberProfile.objects.create(
            user=user,
            display_name=f"Lid {n:03d}",
            organisation=self.organisations[n % len(self.organisations)],
            job_title="Leesconsulent",
        )
        return user

    def _apply(self, user):
        n, topics = self.people, self.topics
        return membership_apply(
            actor=user,
            community=self.community,
            haal=f"Lid {n} wil leren over {topics[n % 6].name}.",
            breng=f"Lid {n} brengt ervaring met {topics[(n + 2) % 6].name}.",
            haal_topics=[topics[n % 6], topics[(n + 1) % 6]],
            breng_topics=[topics[(n + 2) % 6], topics[(n + 3) % 6]],
            organisation=self.organisations[n % len(self.organisations)],
            self_role="verbinder",
        )

    def grow_to(self, members: int) -> None:
        """Active members up to `members` (the moderator among them), and a tenth as
        many pending applications."""
        active = Membership.objects.filter(community=self.community, state=MembershipState.ACTIVE)
        while active.count() < members:
            user = self._person()
            membership_accept(actor=self.coordinator, membership=self._apply(user))
            if self.moderator is None:
                moderator_appoint(actor=self.coordinator, community=self.community, user=user)
                self.moderator = user
        pending = Membership.objects.filter(community=self.community, state=MembershipState.PENDING)
        while pending.count() < members // 10:
            user = self._person()
            application = self._apply(user)
            # A conversation on every application card (question, answer, by whom).
            membership_ask(actor=self.coordinator, membership=application, question="Waarom?")
            membership_answer(actor=user, membership=application, answer="Om te leren.")

    def some_member(self):
        return (
            Membership.objects.filter(community=self.community, state=MembershipState.ACTIVE)
            .exclude(user=self.moderator)
            .earliest("pk")
            .user
        )


def queries_of(client: Client, url: str):
    """The queries of one GET of `url`, after a first GET that fills the caches that
    every request after start-up finds filled (site root paths, content types)."""
    assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return [query["sql"] for query in context.captured_queries], response


VIEWS = {
    "community page, anonymous": (None, None),
    "community page, member": ("member", None),
    "moderation, moderator": ("moderator", "moderation"),
    "member list, coordinator": ("coordinator", "members"),
}


@pytest.mark.parametrize("view", list(VIEWS))
def test_query_count_does_not_grow_with_the_members(
    community, network_coordinator, record_property, view
):
    role, route = VIEWS[view]
    crowd = Crowd(community, network_coordinator)
    url = subpage_url(community, route) if route else community.url

    def measure(size):
        crowd.grow_to(size)
        client = Client()
        user = {
            "member": crowd.some_member(),
            "moderator": crowd.moderator,
            "coordinator": network_coordinator,
        }.get(role)
        if user is not None:
            client.force_login(user)
        return queries_of(client, url)

    small, small_response = measure(SMALL)
    large, large_response = measure(LARGE)

    record_property(f"queries with {SMALL} members", len(small))
    record_property(f"queries with {LARGE} members", len(large))
    extra = [sql for sql in large if sql not in small][:5]
    assert len(large) == len(small), (
        f"{view}: {len(small)} queries with {SMALL} active members, {len(large)} with {LARGE}. "
        f"First queries that only the larger community ran:\n" + "\n".join(extra)
    )
    # The pages really show the grown community.
    if route == "members":
        assert "Lid 001" in main_text(large_response)
        assert 'rel="next"' in large_response.content.decode()  # 100 members: two pages
    elif route == "moderation":
        page = soup(large_response)
        assert len(page.select("article.application")) == LARGE // 10  # the queue
        assert len(page.select(".conversation__entry")) == 2 * LARGE // 10  # conversations
        assert len(page.select("table.data-table tbody tr")) == len(TOPIC_NAMES)  # balance
        assert page.select("ul.matches li")  # introductions
    else:
        assert str(LARGE) in main_text(large_response)
    print(f"{view}: {len(small)} queries with {SMALL} members, {len(large)} with {LARGE}")
