"""The visitors' full-page cache (cop_platform/page_cache.py): a visitor's page comes
from the cache without a query, and every change a visitor would see on a page ends
the cached copy at once. The members' pages: test_reader_page_cache.py."""

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from wagtail.models import PageViewRestriction

from communities.forum.services import thread_create
from communities.services.memberships import membership_end
from cop_platform.page_cache import invalidate_public_pages
from todo_lists.services import todo_item_create, todo_item_move

pytestmark = pytest.mark.django_db


def soup_of(response) -> BeautifulSoup:
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def moderator_names(client, community) -> list[str]:
    soup = soup_of(client.get(community.url))
    return [li.get_text(" ", strip=True) for li in soup.select(".people-list li")]


def member_count(client, community) -> int:
    """The number in "N leden, van M organisaties" under the People heading."""
    soup = soup_of(client.get(community.url))
    summary = soup.select_one("#people-heading").find_next("p").get_text(" ", strip=True)
    return int(summary.split()[0])


def preview_titles(client, community) -> list[str]:
    soup = soup_of(client.get(community.url))
    return [a.get_text(strip=True) for a in soup.select(".todo-preview__list li a")]


def test_a_visitor_gets_the_second_request_from_the_cache(
    page_cache, client, community, django_assert_num_queries
):
    first = client.get(community.url)
    with django_assert_num_queries(0):
        second = client.get(community.url)
    assert second.content == first.content
    assert soup_of(second).h1.get_text(strip=True) == community.title


def test_each_language_is_its_own_page(page_cache, client, community):
    dutch = soup_of(client.get(community.url))
    english = soup_of(client.get("/en" + community.url))
    assert dutch.html["lang"] == "nl"
    assert english.html["lang"] == "en"
    assert dutch.select_one("#people-heading").get_text() == "Mensen"
    assert english.select_one("#people-heading").get_text() == "People"


def test_a_member_sees_their_own_place_at_once_and_the_shared_blocks_on_commit(
    page_cache, client, community, moderator, make_user, join, commit
):
    """A page rendered for a member (a hard reload here, so that it is not their own
    stored copy) shows their own place as it is now. The blocks every reader shares
    (people, to-do preview, themes) come from the same cache generation as the
    visitors' pages, ended when a change commits."""
    nina = make_user(name="Nina Nieuw")
    member = Client(HTTP_CACHE_CONTROL="no-cache")
    member.force_login(nina)
    assert member_count(member, community) == 1
    assert "Aanmelden" in soup_of(member.get(community.url)).select_one(".join-panel").text
    # Not committed, so nothing tells the cache: Nina's own place is new at once,
    # the shared member count (hers and the visitor's) is still the cached one.
    join(nina, community)
    panel = soup_of(member.get(community.url)).select_one(".join-panel").text
    assert "Je bent lid van deze community." in panel
    assert member_count(member, community) == 1
    assert member_count(client, community) == 1
    commit(invalidate_public_pages)
    assert member_count(member, community) == 2
    assert member_count(client, community) == 2


def test_a_member_reads_the_shared_blocks_without_their_queries(page_cache, community, moderator):
    """The second member's page comes with the shared blocks from the cache: fewer
    queries than the first, which built them (both rendered: hard reloads)."""
    member = Client(HTTP_CACHE_CONTROL="no-cache")
    member.force_login(moderator)
    with CaptureQueriesContext(connection) as first:
        assert member.get(community.url).status_code == 200
    with CaptureQueriesContext(connection) as second:
        assert moderator_names(member, community) == ["Mira Moderator"]
    assert len(second) <= len(first) - 5, (len(first), len(second))


def test_publishing_a_page_ends_its_cached_copy(page_cache, client, community, commit):
    assert soup_of(client.get(community.url)).h1.get_text(strip=True) == community.title
    community.title = "Leesplezier voor iedereen"
    commit(lambda: community.save_revision().publish())
    assert soup_of(client.get(community.url)).h1.get_text(strip=True) == (
        "Leesplezier voor iedereen"
    )


def test_a_page_made_private_is_no_longer_served_to_visitors(page_cache, client, community, commit):
    assert client.get(community.url).status_code == 200
    commit(
        lambda: PageViewRestriction.objects.create(
            page=community, restriction_type=PageViewRestriction.LOGIN
        )
    )
    response = client.get(community.url)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_a_new_moderator_shows_at_once(
    page_cache, client, community, moderator, commit, make_user, appoint
):
    assert moderator_names(client, community) == ["Mira Moderator"]
    commit(lambda: appoint(make_user(name="Otto Opvolger"), community))
    assert moderator_names(client, community) == ["Mira Moderator", "Otto Opvolger"]


def test_an_ended_membership_shows_at_once(
    page_cache, client, community, moderator, commit, make_user, join, coordinator
):
    membership = commit(lambda: join(make_user(name="Nina Nieuw"), community))
    assert member_count(client, community) == 2
    commit(lambda: membership_end(actor=coordinator, membership=membership, reason="Vertrokken."))
    assert member_count(client, community) == 1


def test_a_new_to_do_item_shows_at_once(page_cache, client, community, moderator, commit):
    assert preview_titles(client, community) == []
    commit(lambda: todo_item_create(actor=moderator, community=community, title="Leesclub starten"))
    assert preview_titles(client, community) == ["Leesclub starten"]


def test_moving_a_to_do_item_shows_at_once(page_cache, client, community, moderator, commit):
    first, second = (
        commit(lambda t=title: todo_item_create(actor=moderator, community=community, title=t))
        for title in ("Leesclub starten", "Voorleeswedstrijd")
    )
    assert preview_titles(client, community) == ["Leesclub starten", "Voorleeswedstrijd"]
    commit(lambda: todo_item_move(actor=moderator, item=second, direction="up"))
    assert preview_titles(client, community) == ["Voorleeswedstrijd", "Leesclub starten"]


def test_invalidate_public_pages_ends_every_cached_page(page_cache, client, community, commit):
    """What other code calls when it changes a public page without the signals
    (community lifecycle operations)."""
    client.get(community.url)
    community.title = "Stil veranderd"
    # A plain save(): no publish signal, so the cached copy stays until invalidated.
    community.save()
    assert soup_of(client.get(community.url)).h1.get_text(strip=True) != "Stil veranderd"
    commit(invalidate_public_pages)
    assert soup_of(client.get(community.url)).h1.get_text(strip=True) == "Stil veranderd"


def test_a_visitor_with_a_session_is_not_served_from_the_cache(
    page_cache, client, community, django_assert_max_num_queries
):
    client.get(community.url)
    client.cookies["sessionid"] = "no-such-session"
    with django_assert_max_num_queries(50) as queries:
        client.get(community.url)
    assert len(queries) > 0


# Every page a visitor can open without logging in.
PUBLIC_ROUTES = [
    "/",
    "/en/",
    "/communities/",
    "{community}",
    "/en{community}",
    "{community}te-doen/",
    "{community}te-doen/feed/",
    "{community}te-doen/{item}/",
    "/te-doen/",
    "/te-doen/feed/",
    "/zoeken/",
    "/zoeken/?q=lezen",
    "/en/zoeken/?q=lezen",
]


@pytest.mark.parametrize("route", PUBLIC_ROUTES)
def test_public_pages_set_no_cookie_and_embed_no_token(
    page_cache, client, community, moderator, commit, route
):
    item = commit(
        lambda: todo_item_create(actor=moderator, community=community, title="Leesclub starten")
    )
    url = route.format(community=community.url, item=item.pk)
    for _ in range(2):  # rendered, then from the cache where cacheable
        response = client.get(url)
        assert response.status_code == 200, url
        assert not response.cookies, (url, response.cookies)
        assert b"csrfmiddlewaretoken" not in response.content, url
    assert not client.cookies


def test_an_unpublished_page_is_gone_although_its_route_was_remembered(
    page_cache, client, community, moderator, commit
):
    member = Client()
    member.force_login(moderator)
    assert member.get(community.url).status_code == 200  # the route is remembered
    url = community.url
    commit(lambda: community.unpublish())
    assert member.get(url).status_code == 404
    assert client.get(url).status_code == 404


def test_a_thread_is_served_through_the_remembered_route(page_cache, community, moderator):
    thread = thread_create(
        actor=moderator, community=community, title="Voorlezen in groep 3", body="Wie doet mee?"
    )
    member = Client()
    member.force_login(moderator)
    url = f"{community.url}forum/{thread.pk}/"
    for _ in range(2):  # the second time the route comes from the cache
        page = soup_of(member.get(url))
        assert page.h1.get_text(strip=True) == "Voorlezen in groep 3"
        assert "Wie doet mee?" in page.select_one(".post__body").get_text()
