"""The to-do pages run a fixed number of queries, whatever the number of items.

Count the queries of each page with 10 items (each with an owner, a comment and
a few recorded changes), grow the lists to 100, count again: equal. The
overview is paginated; the community's own list shows every item.
"""

import copy
import uuid

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.views_support import main_text, soup, subpage_url
from todo_lists.models import Phase, Status, TodoItem
from todo_lists.services import todo_comment_add, todo_item_create, todo_item_update

SMALL, LARGE = 10, 100


@pytest.fixture(autouse=True)
def private_cache(settings):
    """A cache key prefix of this test's own (Redis is shared with other runs)."""
    caches = copy.deepcopy(settings.CACHES)
    prefix = caches["default"].get("KEY_PREFIX", "")
    caches["default"]["KEY_PREFIX"] = f"{prefix}-todo-queries-{uuid.uuid4().hex}"
    settings.CACHES = caches


class Lists:
    """Grows two communities' lists through the real services."""

    def __init__(self, communities, moderator, member, coordinator):
        self.community, self.other = communities
        self.moderator, self.member, self.coordinator = moderator, member, coordinator

    def grow_to(self, n):
        for community, actor in ((self.community, self.moderator), (self.other, self.coordinator)):
            count = TodoItem.objects.filter(community=community).count()
            for i in range(count, n):
                item = todo_item_create(
                    actor=actor,
                    community=community,
                    title=f"Punt {i + 1:03d}",
                    description=f"Uitleg **{i + 1}**",
                    phase=list(Phase.values)[i % 3],
                    owner=self.member if community == self.community else None,
                )
                todo_item_update(
                    actor=actor, item=item, status=[Status.IN_PROGRESS, Status.DONE][i % 2]
                )
                todo_comment_add(actor=self.member, item=item, body=f"Reactie {i}")


def queries_of(client, url):
    assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return [query["sql"] for query in context.captured_queries], response


PAGES = {
    "list, anonymous": (None, lambda c, i: subpage_url(c, "todo_list")),
    "list, moderator": ("moderator", lambda c, i: subpage_url(c, "todo_list")),
    "item, member": ("member", lambda c, i: subpage_url(c, "todo_item", i.pk)),
    "community page, anonymous": (None, lambda c, i: c.url),
    "overview, anonymous": (None, lambda c, i: reverse("todo_overview")),
    "overview filtered, member": (
        "member",
        lambda c, i: reverse("todo_overview") + f"?status=afgerond&community={c.pk}",
    ),
    "feed, anonymous": (None, lambda c, i: subpage_url(c, "todo_feed")),
    "home page, anonymous": (None, lambda c, i: "/"),
    "search, anonymous": (None, lambda c, i: reverse("search") + "?q=punt"),
}


@pytest.mark.parametrize("view", list(PAGES))
def test_query_count_does_not_grow_with_the_items(
    community, other_community, moderator, member, coordinator, record_property, view
):
    role, url_of = PAGES[view]
    lists = Lists((community, other_community), moderator, member, coordinator)

    def measure(size):
        lists.grow_to(size)
        first = TodoItem.objects.filter(community=community).order_by("position").first()
        client = Client()
        user = {"moderator": moderator, "member": member}.get(role)
        if user is not None:
            client.force_login(user)
        return queries_of(client, url_of(community, first))

    small, _ = measure(SMALL)
    large, large_response = measure(LARGE)
    record_property(f"queries with {SMALL} items", len(small))
    record_property(f"queries with {LARGE} items", len(large))
    extra = [sql for sql in large if sql not in small][:5]
    assert len(large) == len(small), (
        f"{view}: {len(small)} queries with {SMALL} items, {len(large)} with {LARGE}:\n"
        + "\n".join(extra)
    )
    # The pages really show the grown lists.
    if view.startswith("list"):
        assert len(soup(large_response).select(".todo-item")) == LARGE
    elif view == "overview, anonymous":
        assert len(soup(large_response).select(".todo-overview__row")) == 25
        assert str(2 * LARGE) in main_text(large_response)
    print(f"{view}: {len(small)} queries with {SMALL} items, {len(large)} with {LARGE}")
