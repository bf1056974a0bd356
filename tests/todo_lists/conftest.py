"""Fixtures for the to-do lists, set up through the real services.

The membership fixtures (community, moderator, coordinator, join, ...) come from
tests/memberships.py.
"""

import pytest
from django.core import mail

from tests.views_support import default_language
from todo_lists.models import Phase, Status
from todo_lists.services import todo_item_create


@pytest.fixture(autouse=True)
def _default_language():
    with default_language():
        yield


@pytest.fixture
def member(make_user, join, community):
    """An active member of `community` (not a moderator)."""
    user = make_user(name="Maarten Lid")
    join(user, community)
    return user


@pytest.fixture
def outsider(make_user):
    """Logged in, but no member of any community: the network looking in."""
    return make_user(name="Olga Buitenstaander")


@pytest.fixture
def add_items(moderator, community):
    """`add_items(n)`: n items on `community`'s list, created by its moderator."""

    def add(n, *, target=None, actor=None, prefix="Punt"):
        target = target or community
        actor = actor or moderator
        phases = list(Phase.values)
        return [
            todo_item_create(
                actor=actor,
                community=target,
                title=f"{prefix} {i + 1}",
                description=f"Uitleg bij **{prefix.lower()} {i + 1}**.",
                phase=phases[i % len(phases)],
                status=Status.PLANNED,
            )
            for i in range(n)
        ]

    return add


@pytest.fixture
def items(add_items):
    """Three items: Punt 1, Punt 2, Punt 3, in that order."""
    result = add_items(3)
    mail.outbox.clear()
    return result


def titles_in_order(community) -> list[str]:
    from todo_lists.models import TodoItem

    return list(
        TodoItem.objects.filter(community=community)
        .order_by("position", "pk")
        .values_list("title", flat=True)
    )


def positions(community) -> list[int]:
    from todo_lists.models import TodoItem

    return list(
        TodoItem.objects.filter(community=community)
        .order_by("position", "pk")
        .values_list("position", flat=True)
    )
