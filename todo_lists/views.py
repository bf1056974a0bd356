"""The to-do list pages. Per-community views are called from CommunityPage's
routes (communities.models); the cross-community overview and its feed have
ordinary URLs (cop_platform.urls)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from communities import permissions
from communities.selectors import community_tags
from cop_platform.errors import moderators_and_coordinators
from cop_platform.ratelimits import limit_exceeded
from cop_platform.view_helpers import add_validation_errors, login_or_forbid
from todo_lists import selectors
from todo_lists import services as todo_services
from todo_lists.feeds import TodoFeed
from todo_lists.forms import (
    CloseForm,
    CommentForm,
    ListFilterForm,
    MoveForm,
    OverviewFilterForm,
    ProposalDecisionForm,
    ProposalForm,
    TodoItemForm,
)
from todo_lists.models import Phase, ProposalState, Status, TodoProposal

OVERVIEW_PER_PAGE = 25


# --- public reading ---------------------------------------------------------------


def todo_list(request, community):
    """The community's whole list in its order, filterable by phase and status."""
    form = ListFilterForm(request.GET or None)
    phase = status = ""
    if form.is_bound and form.is_valid():
        phase, status = form.cleaned_data["phase"], form.cleaned_data["status"]
    user = request.user
    can_curate = permissions.can_curate_todo(user, community)
    return TemplateResponse(
        request,
        "todo_lists/todo_list.html",
        {
            "page": community,
            "filter_form": form,
            "filtered": bool(phase or status),
            "items": selectors.community_items(community, phase=phase, status=status),
            "phase_counts": selectors.phase_counts(community),
            "can_curate": can_curate,
            "can_propose": permissions.can_propose_todo(user, community),
            "pending_count": len(selectors.pending_proposals(community)) if can_curate else 0,
        },
        status=400 if form.errors else 200,
    )


def todo_item(request, community, item_id):
    """One item: description, owner, comments and needs, and (logged in) its history."""
    item = selectors.todo_item_get(community, item_id)
    user = request.user
    return TemplateResponse(
        request,
        "todo_lists/todo_item.html",
        {
            "page": community,
            "item": item,
            "comments": selectors.item_comments(item),
            "history": selectors.item_history(item)
            if permissions.can_view_todo_history(user, community)
            else None,
            "can_curate": permissions.can_curate_todo(user, community),
            "can_comment": permissions.can_comment_todo(user, community),
            "comment_form": CommentForm(),
        },
    )


def todo_feed(request, community):
    return TodoFeed()(request, community=community)


def overview(request):
    """All public lists, filterable by community, priority, theme, phase and status;
    paginated."""
    communities = selectors.overview_communities()
    form = OverviewFilterForm(request.GET or None, communities=communities, tags=community_tags())
    filters = {}
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        filters = {
            "community": next((c for c in communities if c.pk == data["community"]), None),
            "priority": data["priority"],
            "phase": data["phase"],
            "status": data["status"],
            "tag": data["tag"],
        }
    items = selectors.overview_items(**filters)
    page_obj = Paginator(items, OVERVIEW_PER_PAGE).get_page(request.GET.get("pagina"))
    return TemplateResponse(
        request,
        "todo_lists/overview.html",
        {"filter_form": form, "page_obj": page_obj, "filtered": any(filters.values())},
        status=400 if form.errors else 200,
    )


def overview_feed(request):
    return TodoFeed()(request)


# --- curation (moderators and coordinators) ------------------------------------


def todo_add(request, community):
    if response := login_or_forbid(
        request,
        permissions.can_curate_todo(request.user, community),
        who_may=moderators_and_coordinators(community),
    ):
        return response
    owners = selectors.owner_choices(community)
    form = TodoItemForm(request.POST or None, owners=owners, initial={"status": Status.PLANNED})
    if request.method == "POST" and form.is_valid():
        try:
            item = todo_services.todo_item_create(
                actor=request.user, community=community, **form.cleaned_data
            )
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            messages.success(request, _("“%(title)s” is on the list.") % {"title": item.title})
            return redirect(community.subpage_url("todo_list") + f"#item-{item.pk}")
    return TemplateResponse(
        request,
        "todo_lists/todo_form.html",
        {"page": community, "form": form, "item": None},
        status=400 if form.errors else 200,
    )


def todo_edit(request, community, item_id):
    if response := login_or_forbid(
        request,
        permissions.can_curate_todo(request.user, community),
        who_may=moderators_and_coordinators(community),
    ):
        return response
    item = selectors.todo_item_get(community, item_id)
    initial = {
        "title": item.title,
        "description": item.description,
        "phase": item.phase,
        "status": item.status,
        "owner": item.owner_id,
        "due_date": item.due_date,
    }
    form = TodoItemForm(
        request.POST or None, owners=selectors.owner_choices(community), initial=initial
    )
    if request.method == "POST" and form.is_valid():
        try:
            todo_services.todo_item_update(actor=request.user, item=item, **form.cleaned_data)
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            messages.success(request, _("Your changes are saved."))
            return redirect(community.subpage_url("todo_item", item.pk))
    return TemplateResponse(
        request,
        "todo_lists/todo_form.html",
        {"page": community, "form": form, "item": item},
        status=400 if form.errors else 200,
    )


def todo_move(request, community, item_id):
    """POST only: up, down, first, last, or to a numbered position."""
    if response := login_or_forbid(
        request,
        permissions.can_curate_todo(request.user, community),
        who_may=moderators_and_coordinators(community),
    ):
        return response
    list_url = community.subpage_url("todo_list")
    item = selectors.todo_item_get(community, item_id)
    if request.method != "POST":
        return redirect(list_url)
    form = MoveForm(request.POST)
    if not form.is_valid():
        for text in form.non_field_errors() or [_("Choose where to move the item.")]:
            messages.error(request, text)
        return redirect(list_url + f"#item-{item.pk}")
    try:
        todo_services.todo_item_move(
            actor=request.user,
            item=item,
            direction=form.cleaned_data["direction"] or None,
            position=None if form.cleaned_data["direction"] else form.cleaned_data["position"],
        )
    except ValidationError as error:
        for text in error.messages:
            messages.error(request, text)
    else:
        messages.success(
            request,
            _("“%(title)s” is now number %(position)s.")
            % {"title": item.title, "position": item.position},
        )
    return redirect(list_url + f"#item-{item.pk}")


def todo_close(request, community, item_id):
    """Confirm, then close an item as done or dropped."""
    if response := login_or_forbid(
        request,
        permissions.can_curate_todo(request.user, community),
        who_may=moderators_and_coordinators(community),
    ):
        return response
    item = selectors.todo_item_get(community, item_id)
    form = CloseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            todo_services.todo_item_close(
                actor=request.user, item=item, status=form.cleaned_data["status"]
            )
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            messages.success(request, _("“%(title)s” is closed.") % {"title": item.title})
            return redirect(community.subpage_url("todo_item", item.pk))
    return TemplateResponse(
        request,
        "todo_lists/todo_close.html",
        {"page": community, "item": item, "form": form},
        status=400 if form.errors else 200,
    )


# --- input from the network ---------------------------------------------------------


def todo_comment(request, community, item_id):
    """POST a comment or need on an item (anyone logged in)."""
    if response := login_or_forbid(request, permissions.can_comment_todo(request.user, community)):
        return response
    item = selectors.todo_item_get(community, item_id)
    item_url = community.subpage_url("todo_item", item.pk)
    if request.method != "POST":
        return redirect(item_url)
    form = CommentForm(request.POST)
    status = 400
    if limit_exceeded(request, "todo_comment"):
        form.add_error(None, _("You have written a lot in a short time. Please try again later."))
        status = 429
    elif form.is_valid():
        try:
            todo_services.todo_comment_add(actor=request.user, item=item, **form.cleaned_data)
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            messages.success(request, _("Thank you: your contribution is added."))
            return redirect(item_url + "#comments")
    return TemplateResponse(
        request,
        "todo_lists/todo_item.html",
        {
            "page": community,
            "item": item,
            "comments": selectors.item_comments(item),
            "history": selectors.item_history(item)
            if permissions.can_view_todo_history(request.user, community)
            else [],
            "can_curate": permissions.can_curate_todo(request.user, community),
            "can_comment": permissions.can_comment_todo(request.user, community),
            "comment_form": form,
        },
        status=status,
    )


def todo_propose(request, community):
    """Propose an item; see your earlier proposals and what the moderators decided."""
    if response := login_or_forbid(request):
        return response
    can_propose = permissions.can_propose_todo(request.user, community)
    form = ProposalForm(request.POST or None)
    status = 200
    if request.method == "POST":
        permissions.require(can_propose)
        if limit_exceeded(request, "todo_proposal"):
            form.add_error(
                None, _("You have sent many proposals in a short time. Please try again later.")
            )
            status = 429
        elif form.is_valid():
            try:
                todo_services.todo_proposal_create(
                    actor=request.user, community=community, **form.cleaned_data
                )
            except ValidationError as error:
                add_validation_errors(form, error)
            else:
                messages.success(
                    request,
                    _("Thank you! The moderators will look at your proposal; you get an e-mail."),
                )
                return redirect(community.subpage_url("todo_propose"))
        if form.errors and status == 200:
            status = 400
    return TemplateResponse(
        request,
        "todo_lists/todo_propose.html",
        {
            "page": community,
            "form": form,
            "can_propose": can_propose,
            "proposals": selectors.own_proposals(request.user, community),
        },
        status=status,
    )


def todo_proposals(request, community):
    """The curators' queue of pending proposals."""
    if response := login_or_forbid(
        request,
        permissions.can_curate_todo(request.user, community),
        who_may=moderators_and_coordinators(community),
    ):
        return response
    return TemplateResponse(
        request,
        "todo_lists/todo_proposals.html",
        {
            "page": community,
            "queue": [
                (proposal, ProposalDecisionForm(prefix=f"p{proposal.pk}"))
                for proposal in selectors.pending_proposals(community)
            ],
        },
    )


def todo_decide(request, community, proposal_id):
    """POST only: accept (choosing the phase) or decline (with a reason)."""
    if response := login_or_forbid(
        request,
        permissions.can_curate_todo(request.user, community),
        who_may=moderators_and_coordinators(community),
    ):
        return response
    queue_url = community.subpage_url("todo_proposals")
    if request.method != "POST":
        return redirect(queue_url)
    proposal = get_object_or_404(
        TodoProposal.objects.select_related("proposer__profile"),
        pk=proposal_id,
        community=community,
        state=ProposalState.PENDING,
    )
    form = ProposalDecisionForm(request.POST, prefix=f"p{proposal.pk}")
    if not form.is_valid():
        return TemplateResponse(
            request,
            "todo_lists/todo_proposals.html",
            {"page": community, "queue": [(proposal, form)]},
            status=400,
        )
    try:
        if form.cleaned_data["decision"] == ProposalDecisionForm.ACCEPT:
            item = todo_services.todo_proposal_accept(
                actor=request.user,
                proposal=proposal,
                phase=form.cleaned_data["phase"] or Phase.IDEA,
            )
            messages.success(
                request,
                _("“%(title)s” is on the list, credited to %(name)s.")
                % {"title": item.title, "name": proposal.proposer.display_name},
            )
        else:
            todo_services.todo_proposal_decline(
                actor=request.user, proposal=proposal, reason=form.cleaned_data["reason"]
            )
            messages.success(
                request,
                _("The proposal of %(name)s was declined; they get your reason.")
                % {"name": proposal.proposer.display_name},
            )
    except ValidationError as error:
        for text in error.messages:
            messages.error(request, text)
    return redirect(queue_url)
