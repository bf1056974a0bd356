"""Writes to the to-do lists. Every change to an item is recorded in a
TodoItemChange (who, when, {field: [old, new]}).

Order: each community's items carry positions 1..n. Every write that changes
the order (create, move) first locks all of the community's item rows
(SELECT ... FOR UPDATE, in primary-key order so that two writers never lock in
opposite orders and deadlock), then re-reads the order with a fresh query (under
READ COMMITTED a locking SELECT does not see rows committed while it waited),
and writes back a gapless 1..n. So concurrent moves are serialised per community
and any gap or duplicate (left by a lifecycle merge, say) is repaired on the next
write.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from communities import permissions
from communities.lifecycle.guard import lock_active_community
from communities.models import CommunityPage, Membership, MembershipState, Moderatorship
from communities.selectors import coordinator_users
from cop_platform.mail import send_mail_on_commit
from cop_platform.sanitize import clean_text, markdown_to_html
from todo_lists.models import (
    CLOSED_STATUSES,
    CommentKind,
    Phase,
    ProposalState,
    Status,
    TodoComment,
    TodoItem,
    TodoItemChange,
    TodoProposal,
)

EDITABLE_FIELDS = ("title", "description", "phase", "status", "owner", "due_date")
MOVES = ("first", "up", "down", "last")


def _lock_list(community: CommunityPage) -> list[TodoItem]:
    """Lock the community's items and return them in list order (fresh read).

    transaction.atomic is required by the caller since this uses FOR UPDATE. The
    community must still be active (see communities.lifecycle.guard)."""
    lock_active_community(community)
    list(
        TodoItem.objects.select_for_update()
        .filter(community=community)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    return list(
        TodoItem.objects.filter(community=community)
        .order_by("position", "pk")
        .only("pk", "position", "community_id")
    )


def _write_order(items: list[TodoItem]) -> None:
    """Give the items positions 1..n in list order; one UPDATE for those that moved."""
    moved = []
    for number, item in enumerate(items, start=1):
        if item.position != number:
            item.position = number
            moved.append(item)
    if moved:
        TodoItem.objects.bulk_update(moved, ["position"])


def _owner_name(user) -> str | None:
    return user.display_name if user is not None else None


def _check_owner(owner, community: CommunityPage) -> None:
    if owner is None:
        return
    if not Membership.objects.filter(
        user=owner, community=community, state=MembershipState.ACTIVE
    ).exists():
        raise ValidationError(
            {"owner": _("The owner must be a member of this community.")}, code="owner"
        )


def _record(item: TodoItem, actor, changes: dict, *, created: bool = False) -> None:
    TodoItemChange.objects.create(item=item, actor=actor, changes=changes, created=created)


def _moderators_of(community: CommunityPage) -> list:
    """Who hears about proposals: the current moderators, or the coordinators while
    the community has none (so no proposal waits unseen)."""
    moderators = [
        term.user
        for term in Moderatorship.objects.current()
        .filter(community=community)
        .select_related("user__profile")
    ]
    return moderators or list(coordinator_users())


def _serialise(field: str, value):
    if field == "owner":
        return _owner_name(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


@transaction.atomic
def todo_item_create(
    *,
    actor,
    community: CommunityPage,
    title: str,
    description: str = "",
    phase: str = Phase.IDEA,
    status: str = Status.PLANNED,
    owner=None,
    due_date: datetime.date | None = None,
    proposed_by=None,
) -> TodoItem:
    """Add an item at the end of the community's list. Curators only; the
    community must be active. Records a "created" change."""
    permissions.require(permissions.can_curate_todo(actor, community))
    _check_owner(owner, community)
    now = timezone.now()
    items = _lock_list(community)
    _write_order(items)
    item = TodoItem(
        community=community,
        title=clean_text(title),
        description=clean_text(description),
        phase=phase,
        status=status,
        owner=owner,
        due_date=due_date,
        position=len(items) + 1,
        proposed_by=proposed_by,
        created_by=actor,
        created_at=now,
        updated_by=actor,
        updated_at=now,
        completed_at=now if status == Status.DONE else None,
    )
    item.description_html = markdown_to_html(item.description)
    item.full_clean()
    item.save()
    changes = {
        field: [None, _serialise(field, getattr(item, field))]
        for field in ("title", "phase", "status", "owner", "due_date")
        if getattr(item, field) not in (None, "")
    }
    _record(item, actor, changes, created=True)
    return item


@transaction.atomic
def todo_item_update(*, actor, item: TodoItem, **fields) -> TodoItem:
    """Change any of title, description, phase, status, owner, due_date.

    Curators only. Records the fields that really changed (nothing is recorded,
    and nothing saved, when none did). Reaching "done" sets completed_at; leaving
    it clears it again."""
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"Not editable: {', '.join(sorted(unknown))}")
    item = TodoItem.objects.select_for_update().get(pk=item.pk)
    community = CommunityPage.objects.get(pk=item.community_id)
    permissions.require(permissions.can_curate_todo(actor, community))
    if "title" in fields:
        fields["title"] = clean_text(fields["title"])
    if "description" in fields:
        fields["description"] = clean_text(fields["description"])
    if "owner" in fields and fields["owner"] != item.owner:
        _check_owner(fields["owner"], community)

    changes = {}
    for field, value in fields.items():
        old = getattr(item, field)
        if old != value:
            changes[field] = [_serialise(field, old), _serialise(field, value)]
            setattr(item, field, value)
    if not changes:
        return item
    if "description" in changes:
        item.description_html = markdown_to_html(item.description)
    if "status" in changes:
        if item.status == Status.DONE:
            item.completed_at = timezone.now()
        elif changes["status"][0] == Status.DONE:
            item.completed_at = None
    item.updated_by = actor
    item.updated_at = timezone.now()
    item.full_clean()
    item.save()
    _record(item, actor, changes)
    return item


def todo_item_close(*, actor, item: TodoItem, status: str) -> TodoItem:
    """Close an item as done or dropped (an ordinary, recorded status change)."""
    if status not in CLOSED_STATUSES:
        raise ValidationError(_("An item is closed as done or as dropped."))
    return todo_item_update(actor=actor, item=item, status=status)


@transaction.atomic
def todo_item_move(
    *, actor, item: TodoItem, direction: str | None = None, position: int | None = None
) -> TodoItem:
    """Move an item one place up or down, to the top or bottom, or to a position
    (clamped to 1..n). Where "up" leads is decided under the lock, from the order
    as it is then, so two people moving at once both get what they asked for in
    turn. Records a position change when the item really moved."""
    if (direction is None) == (position is None):
        raise TypeError("Give either a direction or a position.")
    if direction is not None and direction not in MOVES:
        raise ValidationError(_("Unknown move."))
    community = CommunityPage.objects.get(pk=item.community_id)
    permissions.require(permissions.can_curate_todo(actor, community))
    items = _lock_list(community)
    index = next((i for i, other in enumerate(items) if other.pk == item.pk), None)
    if index is None:  # moved to another community meanwhile
        raise ValidationError(_("This item is no longer on this list."))
    target = {
        "first": 0,
        "up": index - 1,
        "down": index + 1,
        "last": len(items) - 1,
        None: (position or 1) - 1,
    }[direction]
    target = max(0, min(len(items) - 1, target))
    moving = items.pop(index)
    items.insert(target, moving)
    _write_order(items)
    if target != index:
        TodoItem.objects.filter(pk=item.pk).update(updated_by=actor, updated_at=timezone.now())
        _record(moving, actor, {"position": [index + 1, target + 1]})
    item.position = moving.position
    return item


@transaction.atomic
def todo_comment_add(
    *, actor, item: TodoItem, body: str, kind: str = CommentKind.COMMENT
) -> TodoComment:
    """A comment or a need on an item, by anyone logged in, while the community is active."""
    community = CommunityPage.objects.get(pk=item.community_id)
    permissions.require(permissions.can_comment_todo(actor, community))
    comment = TodoComment(item=item, author=actor, kind=kind, body=clean_text(body))
    comment.full_clean()
    comment.save()
    return comment


@transaction.atomic
def todo_proposal_create(
    *, actor, community: CommunityPage, title: str, description: str = ""
) -> TodoProposal:
    """Propose an item (anyone logged in, member or not). The moderators hear of it."""
    permissions.require(permissions.can_propose_todo(actor, community))
    lock_active_community(community)
    proposal = TodoProposal(
        community=community,
        proposer=actor,
        title=clean_text(title),
        description=clean_text(description),
    )
    proposal.full_clean()
    proposal.save()
    send_mail_on_commit(
        template="todo_lists/email/new_proposal",
        recipients=[user for user in _moderators_of(community) if user.pk != actor.pk],
        context={"proposal": proposal, "community": community, "proposer": actor},
    )
    return proposal


def _locked_pending(proposal: TodoProposal) -> TodoProposal:
    proposal = (
        TodoProposal.objects.select_for_update(of=("self",))
        .select_related("proposer__profile")
        .get(pk=proposal.pk)
    )
    if proposal.state != ProposalState.PENDING:
        raise ValidationError(_("This proposal has already been decided."))
    return proposal


@transaction.atomic
def todo_proposal_accept(*, actor, proposal: TodoProposal, phase: str = Phase.IDEA) -> TodoItem:
    """Turn a pending proposal into an item at the end of the list, crediting the
    proposer, and tell the proposer."""
    community = CommunityPage.objects.get(pk=proposal.community_id)
    permissions.require(permissions.can_curate_todo(actor, community))
    proposal = _locked_pending(proposal)
    item = todo_item_create(
        actor=actor,
        community=community,
        title=proposal.title,
        description=proposal.description,
        phase=phase,
        proposed_by=proposal.proposer,
    )
    proposal.state = ProposalState.ACCEPTED
    proposal.item = item
    proposal.decided_by = actor
    proposal.decided_at = timezone.now()
    proposal.save(update_fields=["state", "item", "decided_by", "decided_at"])
    send_mail_on_commit(
        template="todo_lists/email/proposal_accepted",
        recipients=[proposal.proposer],
        context={"proposal": proposal, "item": item, "community": community},
    )
    return item


@transaction.atomic
def todo_proposal_decline(*, actor, proposal: TodoProposal, reason: str) -> TodoProposal:
    """Decline a pending proposal with a reason, which the proposer sees and gets by e-mail."""
    community = CommunityPage.objects.get(pk=proposal.community_id)
    permissions.require(permissions.can_curate_todo(actor, community))
    reason = clean_text(reason)
    if not reason:
        raise ValidationError(_("Give the proposer a reason."))
    proposal = _locked_pending(proposal)
    proposal.state = ProposalState.DECLINED
    proposal.decline_reason = reason
    proposal.decided_by = actor
    proposal.decided_at = timezone.now()
    proposal.full_clean()
    proposal.save()
    send_mail_on_commit(
        template="todo_lists/email/proposal_declined",
        recipients=[proposal.proposer],
        context={"proposal": proposal, "community": community, "reason": reason},
    )
    return proposal
