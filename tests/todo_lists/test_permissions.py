"""Who may do what on a to-do list, through the real request stack with CSRF
enforced. Anonymous visitors are sent to the login page for every write; logged-
in people without the right get 403; nothing changes for either."""

import pytest
from django.core import mail

from communities.models import CommunityStatus
from tests.todo_lists.conftest import titles_in_order
from tests.views_support import (
    client_for,
    csrf_token,
    login_redirect_target,
    post_form,
    subpage_url,
)
from todo_lists.models import (
    Phase,
    ProposalState,
    Status,
    TodoComment,
    TodoItem,
    TodoItemChange,
    TodoProposal,
)
from todo_lists.services import todo_proposal_create


def todo_world(community):
    return {
        "items": sorted(
            TodoItem.objects.filter(community=community).values_list(
                "pk", "title", "phase", "status", "position", "owner_id"
            )
        ),
        "changes": TodoItemChange.objects.count(),
        "comments": TodoComment.objects.count(),
        "proposals": sorted(TodoProposal.objects.values_list("pk", "state")),
    }


@pytest.fixture
def proposal(outsider, community, items):
    made = todo_proposal_create(actor=outsider, community=community, title="Een voorstel")
    mail.outbox.clear()
    return made


def actions(community, items, proposal):
    """name → (url, data, who may): each a write someone could attempt."""
    item = items[2]
    return {
        "add": (
            subpage_url(community, "todo_add"),
            {"title": "Nieuw punt", "phase": Phase.IDEA, "status": Status.PLANNED},
            "curator",
        ),
        "edit": (
            subpage_url(community, "todo_edit", item.pk),
            {"title": "Anders", "phase": Phase.AVAILABLE, "status": Status.IN_PROGRESS},
            "curator",
        ),
        "move": (subpage_url(community, "todo_move", item.pk), {"direction": "up"}, "curator"),
        "close": (
            subpage_url(community, "todo_close", item.pk),
            {"status": Status.DONE},
            "curator",
        ),
        "decide": (
            subpage_url(community, "todo_decide", proposal.pk),
            {f"p{proposal.pk}-decision": "accept", f"p{proposal.pk}-phase": Phase.IDEA},
            "curator",
        ),
        "propose": (
            subpage_url(community, "todo_propose"),
            {"title": "Nog een idee"},
            "anyone",
        ),
        "comment": (
            subpage_url(community, "todo_comment", item.pk),
            {"kind": "reactie", "body": "Goed plan!"},
            "anyone",
        ),
    }


ROLES = ["outsider", "member", "moderator", "coordinator", "network_coordinator"]
CURATORS = {"moderator", "coordinator", "network_coordinator"}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", ["add", "edit", "move", "close", "decide", "propose", "comment"])
def test_every_action_for_every_role(request, community, items, proposal, role, action):
    user = request.getfixturevalue(role)
    url, data, who = actions(community, items, proposal)[action]
    allowed = who == "anyone" or role in CURATORS
    before = todo_world(community)
    client = client_for(user)

    response = post_form(client, url, data, fallback_url=community.url)

    if allowed:
        assert response.status_code == 302, (action, role, response.status_code)
        assert todo_world(community) != before
    else:
        assert response.status_code == 403, (action, role, response.status_code)
        assert todo_world(community) == before


@pytest.mark.parametrize("action", ["add", "edit", "move", "close", "decide", "propose", "comment"])
def test_anonymous_visitors_are_asked_to_log_in(community, items, proposal, action):
    url, data, _who = actions(community, items, proposal)[action]
    before = todo_world(community)
    client = client_for()
    response = post_form(client, url, data, fallback_url=community.url)
    assert login_redirect_target(response) == url
    assert todo_world(community) == before


def test_a_post_without_csrf_token_is_refused(community, items, moderator):
    client = client_for(moderator)
    response = client.post(subpage_url(community, "todo_move", items[2].pk), {"direction": "up"})
    assert response.status_code == 403
    assert titles_in_order(community) == ["Punt 1", "Punt 2", "Punt 3"]


def test_an_ended_moderator_no_longer_curates(community, items, make_user, appoint, today):
    import datetime

    former = make_user(name="Vroeger Moderator")
    appoint(
        former,
        community,
        start_date=today - datetime.timedelta(days=30),
        end_date=today - datetime.timedelta(days=1),
    )
    client = client_for(former)
    url = subpage_url(community, "todo_move", items[2].pk)
    response = post_form(client, url, {"direction": "up"}, fallback_url=community.url)
    assert response.status_code == 403
    assert titles_in_order(community) == ["Punt 1", "Punt 2", "Punt 3"]


def test_a_moderator_of_another_community_cannot_curate_here(
    other_community, community, items, make_user, appoint
):
    elsewhere = make_user(name="Elders Moderator")
    appoint(elsewhere, other_community)
    client = client_for(elsewhere)
    url = subpage_url(community, "todo_add")
    assert client.get(url).status_code == 403
    response = post_form(
        client,
        url,
        {"title": "X", "phase": Phase.IDEA, "status": Status.PLANNED},
        fallback_url=community.url,
    )
    assert response.status_code == 403


@pytest.mark.parametrize("status", [CommunityStatus.MERGED, CommunityStatus.DISSOLVED])
def test_an_archived_list_is_readable_and_read_only(community, items, moderator, status):
    community.status = status
    community.save_revision().publish()
    mail.outbox.clear()
    anonymous = client_for()
    response = anonymous.get(subpage_url(community, "todo_list"))
    assert response.status_code == 200
    assert "Punt 1" in response.content.decode()
    assert anonymous.get(subpage_url(community, "todo_item", items[0].pk)).status_code == 200

    client = client_for(moderator)
    page = client.get(subpage_url(community, "todo_list")).content.decode()
    assert "todo-move" not in page  # no reorder controls
    before = todo_world(community)
    for url, data, _who in actions(community, items, items[0]).values():
        if "besluit" in url:
            continue
        response = post_form(client, url, data, fallback_url=community.url)
        assert response.status_code == 403, url
    assert todo_world(community) == before


def test_curator_pages_are_refused_to_others(community, items, member):
    client = client_for(member)
    for name, args in [
        ("todo_add", ()),
        ("todo_edit", (items[0].pk,)),
        ("todo_close", (items[0].pk,)),
        ("todo_proposals", ()),
    ]:
        assert client.get(subpage_url(community, name, *args)).status_code == 403, name


def test_the_history_is_for_logged_in_people(community, items, outsider, moderator):
    from todo_lists.services import todo_item_update

    todo_item_update(actor=moderator, item=items[0], status=Status.IN_PROGRESS)
    url = subpage_url(community, "todo_item", items[0].pk)
    anonymous = client_for().get(url).content.decode()
    assert 'id="history-heading"' not in anonymous
    logged_in = client_for(outsider).get(url).content.decode()
    assert 'id="history-heading"' in logged_in
    assert "Mira Moderator" in logged_in


def test_a_proposal_from_the_network_is_not_decided_twice(community, proposal, moderator):
    client = client_for(moderator)
    url = subpage_url(community, "todo_decide", proposal.pk)
    data = {f"p{proposal.pk}-decision": "accept", f"p{proposal.pk}-phase": Phase.IDEA}
    token = csrf_token(client, subpage_url(community, "todo_proposals"))
    assert client.post(url, {"csrfmiddlewaretoken": token, **data}).status_code == 302
    assert client.post(url, {"csrfmiddlewaretoken": token, **data}).status_code == 404
    assert TodoProposal.objects.get(pk=proposal.pk).state == ProposalState.ACCEPTED
    assert TodoItem.objects.filter(title="Een voorstel").count() == 1
