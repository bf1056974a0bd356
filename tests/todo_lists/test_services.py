"""The to-do services: order kept 1..n, every change recorded, done items dated,
bad input refused without changing anything."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from tests.todo_lists.conftest import positions, titles_in_order
from todo_lists.models import Phase, Status, TodoItem, TodoItemChange
from todo_lists.services import (
    todo_item_close,
    todo_item_create,
    todo_item_move,
    todo_item_update,
)


def test_new_items_go_to_the_end_numbered_without_gaps(community, items):
    assert titles_in_order(community) == ["Punt 1", "Punt 2", "Punt 3"]
    assert positions(community) == [1, 2, 3]


@pytest.mark.parametrize(
    "which, move, expected",
    [
        (2, {"direction": "up"}, ["Punt 1", "Punt 3", "Punt 2"]),
        (0, {"direction": "down"}, ["Punt 2", "Punt 1", "Punt 3"]),
        (2, {"direction": "first"}, ["Punt 3", "Punt 1", "Punt 2"]),
        (0, {"direction": "last"}, ["Punt 2", "Punt 3", "Punt 1"]),
        (0, {"position": 2}, ["Punt 2", "Punt 1", "Punt 3"]),
        (0, {"position": 99}, ["Punt 2", "Punt 3", "Punt 1"]),  # clamped to the end
        (0, {"direction": "up"}, ["Punt 1", "Punt 2", "Punt 3"]),  # already first
        (2, {"direction": "down"}, ["Punt 1", "Punt 2", "Punt 3"]),  # already last
    ],
)
def test_moves(community, moderator, items, which, move, expected):
    todo_item_move(actor=moderator, item=items[which], **move)
    assert titles_in_order(community) == expected
    assert positions(community) == [1, 2, 3]


def test_a_move_is_recorded_and_a_no_op_is_not(community, moderator, items):
    todo_item_move(actor=moderator, item=items[2], direction="up")
    change = TodoItemChange.objects.filter(item=items[2]).latest("pk")
    assert change.actor == moderator
    assert change.changes == {"position": [3, 2]}

    before = TodoItemChange.objects.count()
    todo_item_move(actor=moderator, item=items[0], direction="up")
    assert TodoItemChange.objects.count() == before


def test_a_gap_or_duplicate_is_repaired_by_the_next_write(community, moderator, items):
    """As a lifecycle merge leaves it: items from two lists with clashing numbers."""
    TodoItem.objects.filter(pk=items[0].pk).update(position=5)
    TodoItem.objects.filter(pk=items[1].pk).update(position=5)
    todo_item_create(actor=moderator, community=community, title="Nieuw")
    assert titles_in_order(community) == ["Punt 3", "Punt 1", "Punt 2", "Nieuw"]
    assert positions(community) == [1, 2, 3, 4]


def test_an_update_records_what_changed(community, moderator, member, items):
    item = todo_item_update(
        actor=moderator,
        item=items[0],
        title="Punt één",
        status=Status.IN_PROGRESS,
        owner=member,
        due_date=datetime.date(2026, 6, 1),
        phase=items[0].phase,  # unchanged: not recorded
    )
    change = TodoItemChange.objects.filter(item=item).latest("pk")
    assert change.changes == {
        "title": ["Punt 1", "Punt één"],
        "status": ["gepland", "bezig"],
        "owner": [None, "Maarten Lid"],
        "due_date": [None, "2026-06-01"],
    }
    with translation.override("en"):
        assert ("status", "Planned", "In progress") in change.entries()
    assert item.updated_by == moderator


def test_nothing_changed_records_nothing(moderator, items):
    before = TodoItemChange.objects.count()
    todo_item_update(actor=moderator, item=items[0], title="Punt 1")
    assert TodoItemChange.objects.count() == before


def test_done_is_dated_and_reopening_clears_it(moderator, items):
    item = todo_item_close(actor=moderator, item=items[0], status=Status.DONE)
    assert item.completed_at is not None
    item = todo_item_update(actor=moderator, item=item, status=Status.IN_PROGRESS)
    assert item.completed_at is None
    item = todo_item_close(actor=moderator, item=item, status=Status.DROPPED)
    assert item.completed_at is None


def test_closing_only_as_done_or_dropped(moderator, items):
    with pytest.raises(ValidationError):
        todo_item_close(actor=moderator, item=items[0], status=Status.IN_PROGRESS)


def test_the_owner_must_be_a_member(moderator, outsider, items):
    with pytest.raises(ValidationError) as error:
        todo_item_update(actor=moderator, item=items[0], owner=outsider)
    assert "owner" in error.value.message_dict
    items[0].refresh_from_db()
    assert items[0].owner is None


def test_description_is_sanitised_markdown(community, moderator):
    item = todo_item_create(
        actor=moderator,
        community=community,
        title="Veilig",
        description="**vet** <script>alert(1)</script> [link](javascript:alert(1))",
    )
    assert "<strong>vet</strong>" in item.description_html
    assert "<script" not in item.description_html
    assert "javascript:" not in item.description_html


def test_an_empty_title_is_refused(community, moderator):
    with pytest.raises(ValidationError):
        todo_item_create(actor=moderator, community=community, title="   ")
    assert not TodoItem.objects.filter(community=community).exists()


@pytest.mark.parametrize("role", ["member", "outsider"])
def test_only_curators_write(request, community, items, role):
    user = request.getfixturevalue(role)
    with pytest.raises(PermissionDenied):
        todo_item_create(actor=user, community=community, title="Stiekem")
    with pytest.raises(PermissionDenied):
        todo_item_move(actor=user, item=items[2], direction="up")
    with pytest.raises(PermissionDenied):
        todo_item_update(actor=user, item=items[0], phase=Phase.AVAILABLE)
    assert titles_in_order(community) == ["Punt 1", "Punt 2", "Punt 3"]


def test_a_coordinator_curates_any_community(other_community, coordinator, add_items):
    created = add_items(2, target=other_community, actor=coordinator)
    todo_item_move(actor=coordinator, item=created[1], direction="up")
    assert titles_in_order(other_community) == ["Punt 2", "Punt 1"]
