"""The seed command (DEBUG on) gives every demo community a realistic list, through
the real services, and a second run adds nothing."""

import io

import pytest
from django.core import mail
from django.core.management import call_command

from communities.models import CommunityPage, CommunityStatus
from todo_lists.models import (
    Phase,
    ProposalState,
    Status,
    TodoComment,
    TodoItem,
    TodoItemChange,
    TodoProposal,
)
from todo_lists.selectors import recently_completed


def counts():
    return {
        "items": TodoItem.objects.count(),
        "changes": TodoItemChange.objects.count(),
        "comments": TodoComment.objects.count(),
        "proposals": TodoProposal.objects.count(),
    }


@pytest.fixture
def seeded(site_tree, settings, django_capture_on_commit_callbacks):
    settings.DEBUG = True
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed", stdout=io.StringIO())


def test_every_community_has_a_list_in_every_phase(seeded):
    for community in CommunityPage.objects.filter(status=CommunityStatus.ACTIVE):
        items = list(TodoItem.objects.filter(community=community).order_by("position"))
        assert [item.position for item in items] == list(range(1, len(items) + 1))
        assert {item.phase for item in items} == set(Phase.values), community.title
        assert any(item.status == Status.DONE and item.completed_at for item in items)
        assert any(item.owner for item in items)
    assert TodoComment.objects.filter(kind="behoefte").exists()
    assert TodoProposal.objects.filter(state=ProposalState.PENDING).exists()
    assert TodoProposal.objects.filter(state=ProposalState.DECLINED).exclude(decline_reason="")
    assert len(recently_completed()) == 6
    assert mail.outbox == []


def test_a_second_run_adds_nothing(seeded):
    first = counts()
    out = io.StringIO()
    call_command("seed", stdout=out)
    assert counts() == first
    assert "Demo to-do lists: 0 items added." in out.getvalue()
