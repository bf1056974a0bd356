"""Input from the network: anyone logged in proposes; moderators accept (the item
credits the proposer) or decline with a reason the proposer sees; e-mails go out
after commit, in each recipient's language. (The rate limit on proposals is held
with the others in tests/security/test_abuse_limits.py.)"""

import pytest
from django.core import mail

from tests.views_support import client_for, main_text, post_form, soup, subpage_url
from todo_lists.models import Phase, ProposalState, TodoComment, TodoItem, TodoProposal

TITLE = "Een gezamenlijke kalender van activiteiten"


@pytest.fixture
def proposer(make_user):
    return make_user(name="Petra Proposer", language="en")


def propose(client, community, title=TITLE, description="Zodat we kunnen aansluiten."):
    url = subpage_url(community, "todo_propose")
    return post_form(client, url, {"title": title, "description": description})


def test_a_non_member_proposes_and_the_moderators_hear_of_it(
    community, moderator, proposer, django_capture_on_commit_callbacks
):
    client = client_for(proposer)
    with django_capture_on_commit_callbacks(execute=True):
        response = propose(client, community)
    assert response.status_code == 302
    proposal = TodoProposal.objects.get(community=community)
    assert (proposal.proposer, proposal.state) == (proposer, ProposalState.PENDING)
    assert [message.to for message in mail.outbox] == [[moderator.email]]
    assert TITLE in mail.outbox[0].body
    assert "te-doen/voorstellen/beoordelen/" in mail.outbox[0].body

    page = client.get(response["Location"])
    assert TITLE in main_text(page)
    assert "Waiting for the moderators" in main_text(page) or "Wacht op" in main_text(page)


def test_accept_puts_it_at_the_end_crediting_the_proposer(
    community, moderator, proposer, items, django_capture_on_commit_callbacks
):
    propose(client_for(proposer), community)
    proposal = TodoProposal.objects.get(community=community)
    mail.outbox.clear()
    client = client_for(moderator)
    queue = client.get(subpage_url(community, "todo_proposals"))
    assert TITLE in main_text(queue)

    with django_capture_on_commit_callbacks(execute=True):
        response = post_form(
            client,
            subpage_url(community, "todo_decide", proposal.pk),
            {f"p{proposal.pk}-decision": "accept", f"p{proposal.pk}-phase": Phase.EXPERIMENT},
            form_url=subpage_url(community, "todo_proposals"),
        )
    assert response.status_code == 302
    item = TodoItem.objects.get(title=TITLE)
    assert (item.position, item.phase, item.proposed_by) == (4, Phase.EXPERIMENT, proposer)
    proposal.refresh_from_db()
    assert (proposal.state, proposal.item) == (ProposalState.ACCEPTED, item)

    # The proposer gets an e-mail in English (their language) with the item's link.
    assert [message.to for message in mail.outbox] == [[proposer.email]]
    assert "Your proposal is on the to-do list" in mail.outbox[0].subject
    assert f"te-doen/{item.pk}/" in mail.outbox[0].body

    # The list credits them.
    listing = client_for().get(subpage_url(community, "todo_list"))
    assert "Voorgesteld door Petra Proposer" in main_text(listing) or (
        "Proposed by Petra Proposer" in main_text(listing)
    )


def test_decline_needs_a_reason_which_the_proposer_sees(
    community, moderator, proposer, django_capture_on_commit_callbacks
):
    propose(client_for(proposer), community)
    proposal = TodoProposal.objects.get(community=community)
    mail.outbox.clear()
    client = client_for(moderator)
    url = subpage_url(community, "todo_decide", proposal.pk)
    form_url = subpage_url(community, "todo_proposals")

    # Without a reason: refused, nothing changes, no mail.
    response = post_form(client, url, {f"p{proposal.pk}-decision": "decline"}, form_url=form_url)
    assert response.status_code == 400
    assert soup(response).select_one(".field-error")
    proposal.refresh_from_db()
    assert proposal.state == ProposalState.PENDING
    assert mail.outbox == []

    reason = "Dit pakt de community Digitale bibliotheek al op."
    with django_capture_on_commit_callbacks(execute=True):
        response = post_form(
            client,
            url,
            {f"p{proposal.pk}-decision": "decline", f"p{proposal.pk}-reason": reason},
            form_url=form_url,
        )
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert (proposal.state, proposal.decline_reason) == (ProposalState.DECLINED, reason)
    assert not TodoItem.objects.filter(title=TITLE).exists()
    assert [message.to for message in mail.outbox] == [[proposer.email]]
    assert reason in mail.outbox[0].body

    page = client_for(proposer).get(subpage_url(community, "todo_propose"))
    assert reason in main_text(page)


def test_a_proposal_without_a_title_is_refused(community, proposer):
    response = propose(client_for(proposer), community, title="  ")
    assert response.status_code == 400
    assert not TodoProposal.objects.exists()


def test_anyone_logged_in_adds_a_comment_or_need(community, items, make_user):
    visitor = make_user(name="Nina Netwerk")
    client = client_for(visitor)
    url = subpage_url(community, "todo_comment", items[0].pk)
    item_url = subpage_url(community, "todo_item", items[0].pk)
    response = post_form(
        client,
        url,
        {"kind": "behoefte", "body": "Wij zoeken <b>een trainer</b>."},
        form_url=item_url,
    )
    assert response.status_code == 302
    comment = TodoComment.objects.get()
    assert (comment.author, comment.kind) == (visitor, "behoefte")
    page = client_for().get(item_url)
    text = main_text(page)
    assert "Nina Netwerk" in text and "Wij zoeken <b>een trainer</b>." in text  # shown as text
    assert "<b>een trainer</b>" not in page.content.decode()


def test_an_empty_comment_is_refused(community, items, outsider):
    client = client_for(outsider)
    url = subpage_url(community, "todo_comment", items[0].pk)
    response = post_form(
        client,
        url,
        {"kind": "reactie", "body": ""},
        form_url=subpage_url(community, "todo_item", items[0].pk),
    )
    assert response.status_code == 400
    assert not TodoComment.objects.exists()
