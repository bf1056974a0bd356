"""Concurrent reordering on PostgreSQL: moderators moving items at the same time,
each in their own thread with its own database connection, leave every list
numbered exactly 1..n, with no duplicates and no item lost."""

import random
import threading

import pytest
from django.db import connection, connections

from communities.services.memberships import membership_accept, membership_apply
from communities.services.moderators import moderator_appoint
from tests.factories import UserFactory
from todo_lists.models import TodoItem, TodoItemChange
from todo_lists.services import todo_item_create, todo_item_move

ITEMS = 12
THREADS = 6
MOVES_PER_THREAD = 15

pytestmark = pytest.mark.django_db(transaction=True)


def moderator_of(community, coordinator, name):
    user = UserFactory(username=name)
    membership = membership_apply(actor=user, community=community, haal="Ideeën.", breng="Tijd.")
    membership_accept(actor=coordinator, membership=membership)
    moderator_appoint(actor=coordinator, community=community, user=user)
    return user


def test_concurrent_moves_keep_a_gapless_order(communities):
    assert connection.vendor == "postgresql"
    community = communities[0]
    coordinator = UserFactory(username="coordinator", is_superuser=True)
    moderators = [moderator_of(community, coordinator, f"mod{i}") for i in range(THREADS)]
    items = [
        todo_item_create(actor=moderators[0], community=community, title=f"Punt {i}")
        for i in range(ITEMS)
    ]
    pks = {item.pk for item in items}
    errors = []
    start = threading.Barrier(THREADS)

    def work(index):
        rng = random.Random(index)
        try:
            start.wait()
            for _ in range(MOVES_PER_THREAD):
                item = rng.choice(items)
                if rng.random() < 0.7:
                    todo_item_move(
                        actor=moderators[index],
                        item=item,
                        direction=rng.choice(["up", "down", "first", "last"]),
                    )
                else:
                    todo_item_move(
                        actor=moderators[index], item=item, position=rng.randint(1, ITEMS)
                    )
        except Exception as exc:  # reported below with the thread's number
            errors.append((index, repr(exc)))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work, args=(i,)) for i in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert errors == []
    rows = list(TodoItem.objects.filter(community=community).values_list("pk", "position"))
    assert {pk for pk, _position in rows} == pks
    assert sorted(position for _pk, position in rows) == list(range(1, ITEMS + 1))
    # Every real move was recorded, by the moderator who made it.
    actors = set(
        TodoItemChange.objects.filter(item__community=community, created=False).values_list(
            "actor__username", flat=True
        )
    )
    assert actors <= {m.username for m in moderators}
    assert len(actors) > 1


def test_concurrent_creates_and_moves_number_every_item(communities):
    """New items arriving while others move still get a place of their own."""
    community = communities[1]
    coordinator = UserFactory(username="coordinator2", is_superuser=True)
    moderator = moderator_of(community, coordinator, "modx")
    first = [
        todo_item_create(actor=moderator, community=community, title=f"Punt {i}") for i in range(4)
    ]
    errors = []
    start = threading.Barrier(4)

    def create(index):
        try:
            start.wait()
            for n in range(5):
                todo_item_create(actor=moderator, community=community, title=f"Nieuw {index}-{n}")
        except Exception as exc:
            errors.append(repr(exc))
        finally:
            connections.close_all()

    def move(index):
        rng = random.Random(index)
        try:
            start.wait()
            for _ in range(10):
                todo_item_move(actor=moderator, item=rng.choice(first), direction="first")
        except Exception as exc:
            errors.append(repr(exc))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=create, args=(i,)) for i in range(2)] + [
        threading.Thread(target=move, args=(i,)) for i in range(2)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert errors == []
    positions = sorted(
        TodoItem.objects.filter(community=community).values_list("position", flat=True)
    )
    assert positions == list(range(1, 4 + 2 * 5 + 1))
