"""A merge on PostgreSQL while people keep writing: members post replies and
moderators add to-do items through the real request stack, each in their own
thread with its own database connection, while a coordinator merges their two
communities. Every write the server confirmed is there, and no row was left
behind in an archive (nothing lost, nothing orphaned)."""

import threading
from urllib.parse import urlsplit

import pytest
from django.db import connection, connections
from django.test import Client

from communities.forum.models import Post, Thread
from communities.forum.services import thread_create
from communities.lifecycle.selectors import community_lineage
from communities.lifecycle.services import community_merge
from communities.models import CommunityPage, CommunityStatus
from communities.services.memberships import membership_accept, membership_apply
from communities.services.moderators import moderator_appoint
from cop_platform.mail import mail_muted
from tests.factories import UserFactory
from tests.views_support import subpage_url
from todo_lists.models import TodoItem, TodoProposal

pytestmark = pytest.mark.django_db(transaction=True)

WRITES = 8


def member_of(community, coordinator, name, *, moderator=False):
    user = UserFactory(username=name)
    membership = membership_apply(actor=user, community=community, haal="Ideeën.", breng="Tijd.")
    membership_accept(actor=coordinator, membership=membership)
    if moderator:
        moderator_appoint(actor=coordinator, community=community, user=user)
    return user


def test_writers_lose_nothing_while_their_communities_merge(communities):
    assert connection.vendor == "postgresql"
    three, four = communities[2], communities[3]
    coordinator = UserFactory(username="coordinator", is_superuser=True)
    with mail_muted():
        moderators = {
            page.pk: member_of(page, coordinator, f"mod{page.number}", moderator=True)
            for page in (three, four)
        }
        posters = {
            page.pk: member_of(page, coordinator, f"lid{page.number}") for page in (three, four)
        }
        threads = {
            page.pk: thread_create(
                actor=posters[page.pk], community=page, title=f"Draad {page.number}", body="Start"
            )
            for page in (three, four)
        }
    confirmed_posts, confirmed_items, errors = [], [], []
    start = threading.Barrier(5)
    # The merge starts once every writer has had a write confirmed, so that writes
    # land before, during and after it (orchestration, not a timing assertion).
    written = {name: threading.Event() for name in ("posts3", "posts4", "items3", "items4")}

    def post_replies(page):
        client = Client()
        client.force_login(posters[page.pk])
        try:
            start.wait()
            for n in range(WRITES):
                # Like a person: reply where the thread is now (it may have moved).
                thread = Thread.objects.select_related("community").get(pk=threads[page.pk].pk)
                place = CommunityPage.objects.get(pk=thread.community_id)
                url = subpage_url(place, "forum_reply", thread.pk)
                response = client.post(url, {"body": f"Antwoord {page.number}-{n}"})
                location = response.headers.get("Location", "")
                if response.status_code == 302 and "#post-" in location:
                    confirmed_posts.append(int(urlsplit(location).fragment.removeprefix("post-")))
                    written[f"posts{page.number}"].set()
        except Exception as exc:  # reported below
            errors.append(repr(exc))
        finally:
            written[f"posts{page.number}"].set()
            connections.close_all()

    def add_items(page):
        client = Client()
        client.force_login(moderators[page.pk])
        try:
            start.wait()
            for n in range(WRITES):
                # Like a moderator: add to the list where it lives now.
                place = CommunityPage.objects.get(pk=page.pk)
                if place.status != CommunityStatus.ACTIVE:
                    place = community_lineage(place).successors[0]
                title = f"Taak {page.number}-{n}"
                response = client.post(
                    subpage_url(place, "todo_add"),
                    {"title": title, "phase": "idee-ontwikkeling", "status": "gepland"},
                )
                if response.status_code == 302:
                    confirmed_items.append(title)
                    written[f"items{page.number}"].set()
        except Exception as exc:
            errors.append(repr(exc))
        finally:
            written[f"items{page.number}"].set()
            connections.close_all()

    def merge():
        try:
            start.wait()
            for event in written.values():
                event.wait(timeout=120)
            with mail_muted():
                community_merge(
                    actor=coordinator,
                    sources=[three, four],
                    title="Participatie en zelfredzaamheid",
                    reason="De agenda voegt ze samen.",
                )
        except Exception as exc:
            errors.append(repr(exc))
        finally:
            connections.close_all()

    workers = [threading.Thread(target=post_replies, args=(page,)) for page in (three, four)]
    workers += [threading.Thread(target=add_items, args=(page,)) for page in (three, four)]
    workers.append(threading.Thread(target=merge))
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=300)

    assert errors == []
    assert confirmed_items and confirmed_posts
    merged = CommunityPage.objects.get(title="Participatie en zelfredzaamheid")
    three.refresh_from_db()
    four.refresh_from_db()
    assert (three.status, four.status) == (CommunityStatus.MERGED, CommunityStatus.MERGED)
    # Nothing lost: every confirmed reply and item is there, once.
    assert Post.objects.filter(pk__in=confirmed_posts).count() == len(confirmed_posts)
    items = list(TodoItem.objects.filter(title__in=confirmed_items).values_list("title", flat=True))
    assert sorted(items) == sorted(confirmed_items)
    # Nothing orphaned: the archives hold no thread, item or proposal any more; the
    # merged list is numbered 1..n.
    for model in (Thread, TodoItem, TodoProposal):
        assert not model.objects.filter(community__in=[three, four]).exists(), model
    assert Post.objects.filter(thread__community=merged).count() == Post.objects.count()
    positions = sorted(TodoItem.objects.filter(community=merged).values_list("position", flat=True))
    assert positions == list(range(1, len(positions) + 1))
    print(
        f"\nconfirmed while merging: {len(confirmed_posts)} replies, "
        f"{len(confirmed_items)} to-do items; all in “{merged.title}”"
    )
