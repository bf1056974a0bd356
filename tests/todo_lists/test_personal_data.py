"""The to-do lists' part of a member's data export and erasure, and their items
counting as activities towards targets."""

import pytest

from members.activity import activity_sources
from members.services.personal_data import account_erase, personal_data_export
from todo_lists.models import ProposalState, TodoItem, TodoProposal
from todo_lists.services import todo_comment_add, todo_proposal_create

pytestmark = pytest.mark.django_db


def test_export_contains_proposals_and_comments(member, community, items):
    todo_proposal_create(actor=member, community=community, title="Leesclub voor ouders")
    todo_comment_add(actor=member, item=items[0], body="Wij willen meedoen in Tilburg.")

    data = personal_data_export(actor=member)["todo_lists"]

    assert [p["title"] for p in data["proposals"]] == ["Leesclub voor ouders"]
    assert data["comments"][0]["body"] == "Wij willen meedoen in Tilburg."


def test_erasure_removes_pending_proposals_and_keeps_comments(member, community, items):
    todo_proposal_create(actor=member, community=community, title="Nog te beoordelen")
    todo_comment_add(actor=member, item=items[0], body="Een bijdrage die anderen lezen.")

    account_erase(actor=member)

    assert not TodoProposal.objects.filter(state=ProposalState.PENDING, proposer=member).exists()
    assert items[0].comments.get().body == "Een bijdrage die anderen lezen."


def test_todo_items_count_as_activities():
    assert TodoItem in [source.model for source in activity_sources()]
