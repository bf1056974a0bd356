"""The page tree, the seed command, the home page and community pages."""

import io
import re
from collections import defaultdict

import pytest
from allauth.account.models import EmailAddress
from bs4 import BeautifulSoup
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation
from taggit.models import Tag
from wagtail.models import Locale, Page, Revision, Site
from wagtail.test.utils import WagtailPageTestCase

from communities.founding import FOUNDING_COMMUNITIES
from communities.lifecycle.models import LifecycleEvent
from communities.models import (
    CommunityIndexPage,
    CommunityPage,
    CommunityStatus,
    Priority,
)
from home.management.commands.seed import DEV_COORDINATOR_EMAIL, DEV_PASSWORD
from home.models import HomePage
from members.models import User
from tests.factories import CommunityPageFactory

# The home page's queries for an anonymous visitor: site, page route, aliases,
# view restrictions (twice), communities, the merges behind their numbers ("3 en
# 4"), and for the "recently completed" to-do items the view restrictions again
# and the items. Pinned: it must not grow with the data.
HOME_PAGE_QUERIES = 9


def soup_of(response) -> BeautifulSoup:
    return BeautifulSoup(response.content, "html.parser")


def headings(soup) -> list[str]:
    return [section.h2.get_text(strip=True) for section in soup.select("section.priority")]


def cards_per_heading(soup) -> dict[str, list[str]]:
    """Heading → ["<number> <name>", ...] as the visitor reads them."""
    return {
        section.h2.get_text(strip=True): [
            link.get_text(" ", strip=True) for link in section.select(".community-card__title a")
        ]
        for section in soup.select("section.priority")
    }


def priority_labels(language: str) -> list[str]:
    with translation.override(language):
        return [str(label) for _value, label in Priority.choices]


def archive(page: CommunityPage, status: str) -> None:
    """Archive a community the way an editor's publish would. The lifecycle
    (merge, dissolve) that will own this does not exist yet; switch to it then."""
    page.status = status
    page.save_revision().publish()


class TestPageTypes(WagtailPageTestCase):
    """Where each page type may go: the tree is root → home → index → communities."""

    def test_home_page_only_under_the_root(self):
        self.assertAllowedParentPageTypes(HomePage, {Page})
        self.assertCanNotCreateAt(HomePage, HomePage)
        self.assertCanNotCreateAt(CommunityIndexPage, HomePage)
        self.assertCanNotCreateAt(CommunityPage, HomePage)

    def test_community_index_only_under_the_home_page(self):
        self.assertCanCreateAt(HomePage, CommunityIndexPage)
        self.assertAllowedParentPageTypes(CommunityIndexPage, {HomePage})
        self.assertCanNotCreateAt(Page, CommunityIndexPage)

    def test_community_only_under_the_index_and_without_children(self):
        self.assertCanCreateAt(CommunityIndexPage, CommunityPage)
        self.assertAllowedParentPageTypes(CommunityPage, {CommunityIndexPage})
        self.assertAllowedSubpageTypes(CommunityPage, set())
        self.assertAllowedSubpageTypes(CommunityIndexPage, {CommunityPage})


# -- seed ---------------------------------------------------------------------------


def _counts() -> dict[str, int]:
    return {
        "pages": Page.objects.count(),
        "communities": CommunityPage.objects.count(),
        "revisions": Revision.objects.count(),
        "tags": Tag.objects.count(),
        "sites": Site.objects.count(),
        "users": User.objects.count(),
        "email addresses": EmailAddress.objects.count(),
    }


def test_seed_twice_changes_nothing(db, settings, client):
    settings.DEBUG = True  # the development login is created only then
    call_command("seed", stdout=io.StringIO())
    first = _counts()
    call_command("seed", stdout=io.StringIO())

    assert _counts() == first
    # The 15 founded in 2017 and the result of the agenda's merge of 3 and 4.
    assert first["communities"] == 16
    assert first["sites"] == 1
    assert first["users"] >= 1
    assert first["email addresses"] == first["users"]  # every seeded account can log in
    # The printed development login works (its address is verified).
    response = client.post(
        "/accounts/login/", {"login": DEV_COORDINATOR_EMAIL, "password": DEV_PASSWORD}
    )
    assert response.status_code == 302
    assert client.get("/").context["user"].email == DEV_COORDINATOR_EMAIL


def test_seed_refuses_the_development_login_with_debug_off(db, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("seed", stdout=io.StringIO())
    assert not User.objects.exists()


def test_seed_without_accounts_works_with_debug_off(db, settings, client):
    settings.DEBUG = False
    call_command("seed", "--no-accounts", stdout=io.StringIO())

    # The 15 of 2017 and the result of the agenda's merge: all at their URLs.
    assert CommunityPage.objects.live().count() == 16
    assert not User.objects.exists()
    assert client.get("/").status_code == 200


def test_every_seed_replays_the_agenda_history_without_accounts(db, settings, client):
    """The history is the platform's structure, not demo content: a production seed
    (no accounts) shows the agenda's names and lineage, done by the system."""
    settings.DEBUG = False
    out = io.StringIO()
    call_command("seed", "--no-accounts", stdout=out)
    assert "merged 3 and 4 into Participatie en zelfredzaamheid" in out.getvalue()

    active = CommunityPage.objects.filter(status=CommunityStatus.ACTIVE)
    assert active.count() == 14
    merged = active.get(title="Participatie en zelfredzaamheid")
    assert sorted(
        CommunityPage.objects.filter(status=CommunityStatus.MERGED).values_list("title", flat=True)
    ) == ["Basisvaardigheden", "Maatschappelijke deelname"]
    renamed = {page.number: page for page in active.filter(number__in=[6, 7])}
    assert renamed[6].title == "Community Librarian Netwerk"
    assert [f.name for f in renamed[7].former_names.all()] == ["Technologie en makers"]
    events = LifecycleEvent.objects.order_by("pk")
    assert [event.kind for event in events] == ["merge", "rename", "rename"]
    assert {event.actor for event in events} == {None}  # the system, not a person

    # Visitors see it: the home page lists 14 with "3 en 4", the lineage shows on the result.
    home = soup_of(client.get("/"))
    assert len(home.select(".community-card")) == 14
    assert "3 en 4" in home.get_text()
    page = soup_of(client.get(merged.url))
    assert "Basisvaardigheden" in page.select_one(".lineage").get_text()

    # Idempotent: a second run replays nothing.
    again = io.StringIO()
    call_command("seed", "--no-accounts", stdout=again)
    assert "Agenda history: already replayed." in again.getvalue()
    assert LifecycleEvent.objects.count() == 3


def test_seed_as_founded_stops_in_2017(db):
    call_command("seed", "--as-founded", stdout=io.StringIO())

    assert CommunityPage.objects.filter(status=CommunityStatus.ACTIVE).count() == 15
    assert not LifecycleEvent.objects.exists()


@pytest.fixture
def fresh_install(transactional_db):
    """The database as Wagtail's migrations leave it: the default Locale, a root, a
    plain "Welcome" page at the slug `home`, and the default Site pointing at it."""
    Page.objects.all().delete()
    Site.objects.all().delete()
    Locale.objects.get_or_create(language_code="nl")
    root = Page.add_root(title="Root", slug="root")
    welcome = root.add_child(instance=Page(title="Welcome to your new Wagtail site!", slug="home"))
    Site.objects.create(hostname="localhost", port=80, root_page=welcome, is_default_site=True)


def test_seed_on_a_fresh_install_replaces_the_welcome_page(fresh_install, client):
    call_command("seed", "--no-accounts", stdout=io.StringIO())

    response = client.get("/")
    assert response.status_code == 200
    # 14 active after the agenda's merge of 3 and 4 (16 pages: 2 are archives).
    assert len(soup_of(response).select(".community-card")) == 14
    assert "Welcome to your new Wagtail site!" not in response.content.decode()
    assert Site.objects.get().root_page.specific_class is HomePage
    assert CommunityPage.objects.count() == 16


@pytest.mark.django_db(transaction=True)
def test_seed_builds_the_site_on_an_empty_database(client):
    """A flushed database (transactional tests) has no root page, Site or Locale."""
    Page.objects.all().delete()
    Site.objects.all().delete()
    Locale.objects.all().delete()
    call_command("seed", "--no-accounts", stdout=io.StringIO())

    response = client.get("/")
    assert response.status_code == 200
    assert len(soup_of(response).select(".community-card")) == 14


# -- home page ----------------------------------------------------------------------


def _founding_cards_per_priority() -> dict[str, list[str]]:
    expected = defaultdict(list)
    for number, name, priority, _summary, _tags in FOUNDING_COMMUNITIES:
        expected[priority].append(f"{number} {name}")
    return expected


def test_home_page_lists_the_15_communities_per_priority(client, communities):
    response = client.get("/")

    assert response.status_code == 200
    soup = soup_of(response)
    assert soup.html["lang"] == "nl"
    assert headings(soup) == priority_labels("nl")
    expected = _founding_cards_per_priority()
    assert cards_per_heading(soup) == {
        label: expected[value]
        for (value, _label), label in zip(Priority.choices, priority_labels("nl"), strict=True)
    }
    assert len(soup.select(".community-card")) == 15
    assert "Technologie en makers" in soup.get_text()  # content is Dutch in both languages


def test_home_page_in_english(client, communities):
    response = client.get("/en/")

    assert response.status_code == 200
    soup = soup_of(response)
    assert soup.html["lang"] == "en"
    assert headings(soup) == priority_labels("en")
    assert headings(soup)[0] == "Youth & education"
    assert headings(soup)[-1] == "Supporting policy"
    assert len(soup.select(".community-card")) == 15


def test_home_page_headings_in_dutch(client, communities):
    """The interface text comes from the Dutch catalogue (locale/nl); without its
    compiled .mo file the headings silently fall back to English."""
    soup = soup_of(client.get("/"))

    assert headings(soup)[0] == "Jeugd & Onderwijs"
    assert headings(soup)[-1] == "Flankerend beleid"


def test_home_page_query_count_does_not_grow_with_the_communities(
    client, communities, site_tree, django_assert_num_queries
):
    client.get("/")  # fill the caches a visitor's first request fills

    with django_assert_num_queries(HOME_PAGE_QUERIES):
        assert len(soup_of(client.get("/")).select(".community-card")) == 15

    priorities = [value for value, _label in Priority.choices]
    for i in range(45):
        CommunityPageFactory(parent=site_tree, priority=priorities[i % len(priorities)])

    with django_assert_num_queries(HOME_PAGE_QUERIES):
        response = client.get("/")
    assert len(soup_of(response).select(".community-card")) == 60


# -- community pages ---------------------------------------------------------------


def test_community_page_shows_number_summary_and_theme_links(client, communities):
    makers = next(page for page in communities if page.number == 7)

    response = client.get(makers.url)

    assert response.status_code == 200
    soup = soup_of(response)
    assert soup.h1.get_text(strip=True) == "Technologie en makers"
    assert re.search(r"\b7\b", soup.select_one(".community__meta").get_text())
    assert soup.select_one(".community__summary").get_text(strip=True) == makers.summary
    assert not soup.select(".notice--archive")
    tag_links = {link.get_text(strip=True): link["href"] for link in soup.select("a.tag")}
    assert tag_links == {
        "makers": "/zoeken/?tag=makers",
        "makerspace": "/zoeken/?tag=makerspace",
        "technologie": "/zoeken/?tag=technologie",
    }
    # Following a theme link lists the community.
    results = soup_of(client.get(tag_links["makerspace"])).select(".search-result h3 a")
    assert [link["href"] for link in results] == [makers.url]


@pytest.mark.parametrize("status", [CommunityStatus.MERGED, CommunityStatus.DISSOLVED])
def test_archived_community_shows_notice_and_leaves_the_home_page(client, communities, status):
    basisvaardigheden = next(page for page in communities if page.number == 3)
    archive(basisvaardigheden, status)

    page_soup = soup_of(client.get(basisvaardigheden.url))
    notice = page_soup.select_one(".notice--archive")
    assert notice is not None
    with translation.override("nl"):
        assert str(CommunityStatus(status).label) in notice.get_text()
    assert page_soup.h1.get_text(strip=True) == "Basisvaardigheden"  # still readable

    home = soup_of(client.get("/"))
    titles = [link.get_text(" ", strip=True) for link in home.select(".community-card__title a")]
    assert len(titles) == 14
    assert "3 Basisvaardigheden" not in titles
    assert "4 Maatschappelijke deelname" in titles


def _switch_language(client, path: str) -> str:
    """Follow the language link on `path` the way the browser would; return where
    the visitor lands."""
    link = soup_of(client.get(path)).select_one("a.language-switch")
    return link["href"]


@pytest.mark.parametrize(
    ("start", "lands_on"),
    [
        ("/", "/en/"),
        ("/en/", "/"),
        ("/zoeken/?q=lezen&tag=jeugd", "/en/zoeken/?q=lezen&tag=jeugd"),
        ("/en/zoeken/?q=lezen", "/zoeken/?q=lezen"),
        ("/en/communities/mediawijsheid/", "/communities/mediawijsheid/"),
    ],
)
def test_language_switch_keeps_the_visitor_on_the_same_page(client, communities, start, lands_on):
    assert _switch_language(client, start) == lands_on
    response = client.get(lands_on)
    assert soup_of(response).html["lang"] == ("en" if lands_on.startswith("/en/") else "nl")
