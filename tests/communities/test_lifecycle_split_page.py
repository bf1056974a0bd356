"""The coordinator's split form on a community with more threads and action
items than fit on one page: each list is paginated, moving between pages is a
POST that keeps every choice (no JavaScript needed), and the preview and the
split take the choices of every page."""

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from communities.forum import services as forum
from communities.forum.models import Thread
from communities.lifecycle.models import LifecycleEvent
from communities.models import CommunityPage, Moderatorship
from communities.views import lifecycle as lifecycle_views
from tests.views_support import client_for, csrf_token
from todo_lists import services as todo
from todo_lists.models import TodoItem

pytestmark = pytest.mark.django_db

REASON = "Digitale inclusie verdient een eigen community."
ROWS = 4  # rows per page in these tests (fewer rows to make)


@pytest.fixture(autouse=True)
def _short_pages(monkeypatch):
    monkeypatch.setattr(lifecycle_views, "SPLIT_ROWS_PER_PAGE", ROWS)


def _soup(response):
    return BeautifulSoup(response.content, "html.parser")


def _add_threads(author, community, count, start=0):
    for number in range(start, start + count):
        forum.thread_create(
            actor=author, community=community, title=f"Draad {number:02d}", body="Hallo"
        )


@pytest.fixture
def crowded(communities, make_user, appoint, join):
    """Community 3 with a moderator, a member and more threads and action items
    than one page of the split form holds."""
    three = communities[2]
    moderator = make_user(name="Mo Drie")
    mover = make_user(name="Mia Verhuist")
    appoint(moderator, three)
    join(mover, three)
    _add_threads(moderator, three, ROWS + 3)
    for number in range(ROWS + 2):
        todo.todo_item_create(actor=moderator, community=three, title=f"Punt {number:02d}")
    return three, moderator, mover


def _post(client, url, data):
    return client.post(url, {**data, "csrfmiddlewaretoken": csrf_token(client, url)})


def _shown(soup, name) -> dict[int, bool]:
    """The checkboxes of one list on the page shown: id -> ticked."""
    return {
        int(box["value"]): box.has_attr("checked")
        for box in soup.select(f"input[type=checkbox][name={name}]")
    }


def _carried(soup, name) -> set[int]:
    return {int(field["value"]) for field in soup.select(f"input[type=hidden][name={name}]")}


def test_choices_survive_moving_between_pages_and_all_of_them_split_off(
    crowded, network_coordinator
):
    three, moderator, mover = crowded
    client = client_for(network_coordinator)
    url = reverse("lifecycle_split", args=[three.pk])

    first = _soup(client.get(url))
    threads_on_first = _shown(first, "threads")
    assert len(threads_on_first) == ROWS
    assert "Pagina 1 van 2" in first.select_one("nav[aria-label='Pagina\\'s met forumdraden']").text
    newest = max(threads_on_first)
    item = min(_shown(first, "todo_items"))

    # Tick one thread and one action item, then go to the threads' second page.
    second = _soup(
        _post(
            client,
            url,
            {
                "title": "Digitale inclusie",
                "reason": REASON,
                "threads": [newest],
                "todo_items": [item],
                f"member_{mover.pk}": "move",
                "moderators": [mover.pk],
                "step": "edit",
                "goto": "threads:2",
            },
        )
    )
    assert not second.select(".error-summary, .errorlist")  # still choosing: no errors
    assert second.select_one("input[name=title]")["value"] == "Digitale inclusie"
    threads_on_second = _shown(second, "threads")
    assert len(threads_on_second) == 3 and newest not in threads_on_second
    assert _carried(second, "threads") == {newest}  # chosen on page 1, carried along
    assert _shown(second, "todo_items")[item] is True  # that list stays on its page 1
    radio = second.select_one(f"input[name=member_{mover.pk}][value=move]")
    assert radio.has_attr("checked")
    oldest = min(threads_on_second)

    preview = _soup(
        _post(
            client,
            url,
            {
                "title": "Digitale inclusie",
                "reason": REASON,
                "threads": [newest, oldest],
                "todo_items": [item],
                f"member_{mover.pk}": "move",
                "moderators": [mover.pk],
                "threads_page": 2,
                "step": "preview",
            },
        )
    )
    rows = {
        tr.th.get_text(strip=True): [td.get_text(strip=True) for td in tr.select("td")]
        for tr in preview.select(".lifecycle-preview tbody tr")
    }
    assert rows["Draden"][:2] == [str(ROWS + 3), "2"]
    confirm = {
        field["name"]: field["value"]
        for field in preview.select("form input[type=hidden]")
        if field["name"] not in ("threads", "csrfmiddlewaretoken")
    }
    assert confirm[f"member_{mover.pk}"] == "move"

    response = _post(client, url, {**confirm, "threads": [newest, oldest], "step": "confirm"})

    new = CommunityPage.objects.get(title="Digitale inclusie")
    assert response.status_code == 302 and response["Location"] == new.url
    assert set(Thread.objects.filter(community=new).values_list("pk", flat=True)) == {
        newest,
        oldest,
    }
    assert list(TodoItem.objects.filter(community=new).values_list("pk", flat=True)) == [item]
    assert Moderatorship.objects.current().filter(community=new, user=mover).exists()
    assert LifecycleEvent.objects.get(kind="split").results.count() == 2


def test_an_unknown_member_choice_is_refused_and_nothing_changes(crowded, network_coordinator):
    three, moderator, mover = crowded
    client = client_for(network_coordinator)
    url = reverse("lifecycle_split", args=[three.pk])

    response = _post(
        client,
        url,
        {"title": "X", "reason": REASON, f"member_{mover.pk}": "weg", "step": "preview"},
    )

    assert "Kies per lid: blijft, verhuist of in beide." in _soup(response).get_text()
    assert not LifecycleEvent.objects.exists()


def test_the_split_form_costs_the_same_queries_with_twice_the_threads(crowded, network_coordinator):
    three, moderator, _mover = crowded
    client = client_for(network_coordinator)
    url = reverse("lifecycle_split", args=[three.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as fewer:
        assert client.get(url).status_code == 200
    _add_threads(moderator, three, 2 * ROWS, start=100)
    with CaptureQueriesContext(connection) as more:
        assert client.get(url).status_code == 200
    assert len(more) == len(fewer)
