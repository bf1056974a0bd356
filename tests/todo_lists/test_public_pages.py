"""What anonymous visitors see: the list on its own page and as a preview on the
community page, the cross-community overview with its filters, the feed, the
home page's celebration of done items, and items in the site search."""

import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse

from tests.views_support import client_for, main_text, soup, subpage_url
from todo_lists.models import Phase, Status
from todo_lists.services import todo_item_close, todo_item_create, todo_item_update

ATOM = "{http://www.w3.org/2005/Atom}"


def test_the_list_is_public_in_its_order(community, items, moderator):
    todo_item_update(actor=moderator, item=items[1], status=Status.IN_PROGRESS)
    response = client_for().get(subpage_url(community, "todo_list"))
    assert response.status_code == 200
    page = soup(response)
    assert [h.get_text(strip=True) for h in page.select(".todo-item__title")] == [
        "Punt 1",
        "Punt 2",
        "Punt 3",
    ]
    # Phase and status are words, not only colours.
    assert "Bezig" in page.select(".todo-item")[1].get_text()
    assert not page.select("form.todo-move__steps")  # no controls for visitors
    assert "Log in to propose an item" in main_text(response) or "Log in om" in main_text(response)


def test_the_list_filters_by_phase_and_status(community, items, moderator):
    todo_item_close(actor=moderator, item=items[0], status=Status.DONE)
    client = client_for()
    url = subpage_url(community, "todo_list")
    by_status = soup(client.get(url, {"status": Status.DONE}))
    assert [h.get_text(strip=True) for h in by_status.select(".todo-item__title")] == ["Punt 1"]
    by_phase = soup(client.get(url, {"phase": Phase.EXPERIMENT}))
    assert [h.get_text(strip=True) for h in by_phase.select(".todo-item__title")] == ["Punt 2"]
    nothing = client.get(url, {"phase": Phase.EXPERIMENT, "status": Status.DONE})
    assert soup(nothing).select_one(".empty")
    bad = client.get(url, {"status": "<script>"})
    assert bad.status_code == 400
    assert soup(bad).select_one(".field-error")


def test_an_empty_list_says_so(community):
    response = client_for().get(subpage_url(community, "todo_list"))
    assert "has not published a to-do list yet" in main_text(response) or (
        "nog geen" in main_text(response)
    )


def test_the_item_page_shows_the_sanitised_description(community, items):
    response = client_for().get(subpage_url(community, "todo_item", items[0].pk))
    assert response.status_code == 200
    assert "<strong>punt 1</strong>" in response.content.decode()


def test_an_open_item_says_its_place_and_a_closed_one_does_not(community, items, moderator):
    todo_item_close(actor=moderator, item=items[0], status=Status.DONE)
    client = client_for()

    open_page = main_text(client.get(subpage_url(community, "todo_item", items[1].pk)))
    closed_page = main_text(client.get(subpage_url(community, "todo_item", items[0].pk)))

    assert "Nummer 2 op de lijst" in open_page
    assert "op de lijst" not in closed_page
    assert "Afgerond" in closed_page


def test_an_item_of_another_community_is_not_found_here(community, other_community, items):
    assert (
        client_for().get(subpage_url(other_community, "todo_item", items[0].pk)).status_code == 404
    )


def test_the_community_page_previews_the_open_items(community, items, moderator):
    todo_item_close(actor=moderator, item=items[0], status=Status.DONE)
    response = client_for().get(community.url)
    preview = soup(response).select_one(".todo-preview")
    assert [a.get_text(strip=True) for a in preview.select("ol a")] == ["Punt 2", "Punt 3"]
    assert preview.select_one(f'a[href="{subpage_url(community, "todo_list")}"]')


def test_the_overview_is_public_and_filterable(
    communities, community, other_community, add_items, coordinator
):
    add_items(2)
    add_items(2, target=other_community, actor=coordinator, prefix="Elders")
    client = client_for()
    url = reverse("todo_overview")
    everything = soup(client.get(url))
    titles = [a.get_text(strip=True) for a in everything.select(".todo-overview__row th a")]
    assert titles == ["Punt 1", "Punt 2", "Elders 1", "Elders 2"]

    def rows(**params):
        page = soup(client.get(url, params))
        return [a.get_text(strip=True) for a in page.select(".todo-overview__row th a")]

    assert rows(community=other_community.pk) == ["Elders 1", "Elders 2"]
    assert rows(priority=other_community.priority, phase=Phase.EXPERIMENT) == ["Punt 2", "Elders 2"]
    assert rows(tag="mediawijsheid") == ["Elders 1", "Elders 2"]
    assert rows(status=Status.DONE) == []
    assert client.get(url, {"community": "999999"}).status_code == 400


def test_the_overview_paginates_and_keeps_its_filters(community, add_items):
    add_items(30)
    client = client_for()
    first = client.get(reverse("todo_overview"), {"status": Status.PLANNED})
    page = soup(first)
    assert len(page.select(".todo-overview__row")) == 25
    next_link = page.select_one('a[rel="next"]')["href"]
    assert "status=gepland" in next_link and "pagina=2" in next_link
    second = soup(client.get(reverse("todo_overview") + next_link))
    assert len(second.select(".todo-overview__row")) == 5


def test_the_feed_is_valid_atom_with_absolute_links(community, items):
    response = client_for().get(subpage_url(community, "todo_feed"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)
    assert root.tag == f"{ATOM}feed"
    for required in ("id", "title", "updated"):
        assert root.find(f"{ATOM}{required}") is not None, required
    assert community.title in root.find(f"{ATOM}title").text
    entries = root.findall(f"{ATOM}entry")
    assert {entry.find(f"{ATOM}title").text for entry in entries} == {"Punt 1", "Punt 2", "Punt 3"}
    for entry in entries:
        for required in ("id", "title", "updated"):
            assert entry.find(f"{ATOM}{required}") is not None, required
        link = entry.find(f"{ATOM}link").get("href")
        assert link.startswith("http://testserver/") and "/te-doen/" in link
    # The overall feed too.
    overall = ET.fromstring(client_for().get(reverse("todo_overview_feed")).content)
    assert len(overall.findall(f"{ATOM}entry")) == 3


def test_the_home_page_celebrates_recently_done_items(community, items, moderator, site_tree):
    todo_item_close(actor=moderator, item=items[2], status=Status.DONE)
    todo_item_close(actor=moderator, item=items[0], status=Status.DONE)
    response = client_for().get("/")
    block = soup(response).select_one(".todo-celebration")
    assert [a.get_text(strip=True) for a in block.select("li a")] == ["Punt 1", "Punt 3"]
    assert community.title in block.get_text()


def test_no_celebration_without_done_items(communities):
    assert not soup(client_for().get("/")).select_one(".todo-celebration")


@pytest.mark.parametrize("word", ["voorleesmiddag", "peuters"])
def test_items_are_in_the_site_search(community, moderator, word):
    todo_item_create(
        actor=moderator,
        community=community,
        title="Voorleesmiddag met peuters",
        description="Samen met de kinderopvang.",
    )
    response = client_for().get(reverse("search"), {"q": word})
    results = soup(response).select(".todo-search-result")
    assert [r.h3.get_text(strip=True) for r in results] == ["Voorleesmiddag met peuters"]
    assert community.title in results[0].get_text()
