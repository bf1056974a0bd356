"""The thread list and the thread page run the same number of queries with 10
posts as with 1,000 (Discourse's n_plus_one_control idea). Posts beyond the first
few are created in bulk for speed; the pages read them like any other."""

import copy
import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from communities.forum.models import Post, Thread
from communities.forum.services import post_create, thread_create
from tests.views_support import client_for, default_language, subpage_url

pytestmark = pytest.mark.django_db

SMALL, LARGE = 10, 1000


@pytest.fixture(autouse=True)
def _isolated(settings):
    caches = copy.deepcopy(settings.CACHES)
    prefix = caches["default"].get("KEY_PREFIX", "")
    caches["default"]["KEY_PREFIX"] = f"{prefix}-forum-queries-{uuid.uuid4().hex}"
    settings.CACHES = caches
    with default_language():
        yield


def _grow(thread, authors, total: int) -> None:
    """Bring the thread to `total` posts, from several authors."""
    have = Post.objects.filter(thread=thread).count()
    Post.objects.bulk_create(
        [
            Post(
                thread=thread,
                author=authors[n % len(authors)],
                body_source=f"Bericht {n}",
                body_html=f"<p>Bericht {n}</p>",
            )
            for n in range(have, total)
        ]
    )


def _count(client, url) -> int:
    client.get(url)  # warm caches (site root paths, translations)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_query_counts_do_not_grow_with_the_posts(
    member, other_member, moderator, community, django_capture_on_commit_callbacks
):
    authors = [member, other_member, moderator]
    with django_capture_on_commit_callbacks(execute=True):
        threads = [
            thread_create(actor=author, community=community, title=f"Draad {n}", body="Start")
            for n, author in enumerate(authors * 2)
        ]
        post_create(actor=other_member, thread=threads[0], body="Antwoord")
    _grow(threads[0], authors, SMALL)
    client = client_for(member)
    list_url = subpage_url(community, "forum")
    thread_url = subpage_url(community, "forum_thread", threads[0].pk) + "?pagina=laatste"
    small = (_count(client, list_url), _count(client, thread_url))

    _grow(threads[0], authors, LARGE)
    with django_capture_on_commit_callbacks(execute=True):
        more = [
            thread_create(actor=member, community=community, title=f"Extra {n}", body="x")
            for n in range(30)
        ]
    assert Thread.objects.filter(community=community).count() == 36 and more
    large = (_count(client, list_url), _count(client, thread_url))

    assert Post.objects.filter(thread=threads[0]).count() >= LARGE
    assert small == large, f"thread list, thread page: {small} at {SMALL} posts, {large} at {LARGE}"
