"""The to-do lists' part of a member's personal data (see members.personal_data).

Items, comments and accepted or declined proposals are contributions others
rely on: erasure keeps them, attributed to the anonymised account. A proposal
still waiting for a decision is only the person's own request: it is removed.
"""

from todo_lists.models import ProposalState, TodoComment, TodoItem, TodoProposal


def export_todo(user) -> dict:
    return {
        "items_created": [
            {
                "community": item.community.title,
                "title": item.title,
                "created_at": item.created_at.isoformat(),
            }
            for item in TodoItem.objects.filter(created_by=user).select_related("community")
        ],
        "proposals": [
            {
                "community": proposal.community.title,
                "title": proposal.title,
                "description": proposal.description,
                "state": proposal.state,
                "created_at": proposal.created_at.isoformat(),
            }
            for proposal in TodoProposal.objects.filter(proposer=user).select_related("community")
        ],
        "comments": [
            {
                "community": comment.item.community.title,
                "item": comment.item.title,
                "kind": comment.kind,
                "body": comment.body,
                "created_at": comment.created_at.isoformat(),
            }
            for comment in TodoComment.objects.filter(author=user).select_related("item__community")
        ],
    }


def erase_todo(user) -> None:
    TodoProposal.objects.filter(proposer=user, state=ProposalState.PENDING).delete()
