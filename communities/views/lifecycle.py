"""The coordinator's side of the lifecycle: merge, split, dissolve, rename and
undo (choose → preview → confirm, all plain forms), and the history pages.

The operations themselves are communities.lifecycle.services; what they would
do, communities.lifecycle.selectors. These views only carry the choices
between the steps (as hidden fields: nothing is stored before the confirm).
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _

from communities import permissions
from communities.forum.models import Thread
from communities.lifecycle import selectors, services
from communities.lifecycle_forms import (
    DissolveForm,
    MergeForm,
    RenameForm,
    SplitForm,
    SplitSelection,
)
from communities.models import CommunityPage, CommunityStatus, Membership, MembershipState
from communities.selectors import community_people
from cop_platform.view_helpers import add_validation_errors, login_or_forbid
from todo_lists.models import TodoItem

EVENTS_PER_PAGE = 20
# Rows per page of each list on the split form (threads, to-do items, members).
SPLIT_ROWS_PER_PAGE = 25


def _step(request) -> str:
    """ "edit" (fill in), "preview" (look before confirming) or "confirm"."""
    if request.method != "POST":
        return "edit"
    step = request.POST.get("step")
    return step if step in ("preview", "confirm") else "edit"


def _active_community(community_id) -> CommunityPage:
    return get_object_or_404(
        CommunityPage.objects.live(), pk=community_id, status=CommunityStatus.ACTIVE
    )


def _done(request, event, message):
    """To the result (a split's new community), with the message."""
    messages.success(request, message)
    sources = {page.pk for page in event.sources.all()}
    results = sorted(event.results.all(), key=lambda page: page.pk in sources)
    results = results or list(event.sources.all())
    return redirect(results[0].url if results else reverse("lifecycle_history"))


def merge(request):
    if response := login_or_forbid(request, permissions.can_run_lifecycle(request.user)):
        return response
    step = _step(request)
    form = MergeForm(
        request.POST if request.method == "POST" else None,
        # "Merge with other communities" on a community's page preselects it.
        initial={"sources": request.GET.getlist("sources")},
    )
    preview = None
    if step != "edit" and form.is_valid():
        sources, into = list(form.cleaned_data["sources"]), form.cleaned_data["into"]
        extra = form.cleaned_data["extra_moderator"]
        preview = selectors.merge_preview(
            sources=sources, into=into, extra_moderators=[extra] if extra else []
        )
        if step == "confirm" and not preview.problems:
            try:
                event = services.community_merge(
                    actor=request.user,
                    sources=sources,
                    into=into,
                    title=form.cleaned_data["title"] or None,
                    reason=form.cleaned_data["reason"],
                    moderator_user_ids=form.extra_moderator_ids(),
                    moderator_end_date=form.cleaned_data["extra_moderator_until"],
                )
            except ValidationError as error:
                add_validation_errors(form, error)
                preview = None
            else:
                return _done(
                    request,
                    event,
                    _("The communities are merged. You can undo this on the history page."),
                )
    context = {"form": form}
    if preview is not None:
        columns = _merge_columns(form)
        context.update(
            _preview_context(
                preview,
                columns,
                [(_("Moderators of the result"), preview.moderators.get("result", []))],
            )
        )
    return TemplateResponse(request, "communities/lifecycle/merge.html", context)


def _preview_context(preview, columns=(), moderator_lines=()) -> dict:
    """The preview as the template shows it: per model a row with the counts
    per community in `columns` order, and one line per side's moderators."""
    if preview is None:
        return {"preview": None}
    rows = [
        {
            "name": row.name,
            "counts": [row.per_community.get(page.pk, 0) for page in columns],
            "moving": row.moving,
            "staying": row.staying,
            "copied": row.copied,
            "duplicates": row.duplicates,
        }
        for row in preview.models
    ]
    return {
        "preview": preview,
        "columns": list(columns),
        "preview_rows": rows,
        "moderator_lines": list(moderator_lines),
    }


def _merge_columns(form) -> list[CommunityPage]:
    pages = list(form.cleaned_data["sources"])
    into = form.cleaned_data.get("into")
    if into is not None and into not in pages:
        pages.append(into)
    return pages


def _split_form(community, data, *, bound: bool) -> SplitForm:
    """The split form over every id of the source's threads, to-do items and
    active members (ids only: the lists themselves are paginated). Unbound while
    the coordinator is still choosing (moving between pages, or back from the
    preview), so no errors are shown for what is not filled in yet."""
    ids = {
        "thread_ids": Thread.objects.filter(community=community).values_list("pk", flat=True),
        "todo_item_ids": TodoItem.objects.filter(community=community).values_list("pk", flat=True),
        "member_ids": _split_memberships(community).values_list("user_id", flat=True),
    }
    if bound:
        return SplitForm(data, **ids)
    initial = {name: data.get(name, "") for name in ("title", "reason")} if data else {}
    return SplitForm(initial=initial, **ids)


def _split_memberships(community):
    return Membership.objects.filter(
        community=community, state=MembershipState.ACTIVE, retired_into__isnull=True
    )


def _split_lists(community, selection: SplitSelection) -> dict:
    """One page of each list to choose from, what is ticked on it, and what was
    chosen on other pages (carried as hidden fields)."""
    querysets = {
        "threads": Thread.objects.filter(community=community).order_by("-pk").only("pk", "title"),
        "todo_items": TodoItem.objects.filter(community=community)
        .order_by("position", "pk")
        .only("pk", "title"),
        "members": _split_memberships(community)
        .select_related("user__profile")
        .order_by("user__first_name", "user__pk"),
    }
    lists = {}
    for name, queryset in querysets.items():
        page_obj = Paginator(queryset, SPLIT_ROWS_PER_PAGE).get_page(selection.pages[name])
        lists[name] = {"page_obj": page_obj, "name": name}
    shown_members = {membership.user_id for membership in lists["members"]["page_obj"]}
    lists["members"]["rows"] = [
        {
            "user": membership.user,
            "choice": selection.members.get(membership.user_id, SplitForm.STAY),
            "moderator": membership.user_id in selection.ids["moderators"],
        }
        for membership in lists["members"]["page_obj"]
    ]
    hidden = [
        (f"member_{user_id}", choice)
        for user_id, choice in sorted(selection.members.items())
        if user_id not in shown_members
    ]
    hidden += [
        ("moderators", user_id) for user_id in sorted(selection.ids["moderators"] - shown_members)
    ]
    for name in ("threads", "todo_items"):
        shown = {row.pk for row in lists[name]["page_obj"]}
        lists[name]["rows"] = [
            {"pk": row.pk, "title": row.title, "checked": row.pk in selection.ids[name]}
            for row in lists[name]["page_obj"]
        ]
        hidden += [(name, pk) for pk in sorted(selection.ids[name] - shown)]
    hidden += [(f"{name}_page", lists[name]["page_obj"].number) for name in lists]
    return {"lists": lists, "carried": hidden, "member_choices": SplitForm.MEMBER_CHOICES}


def split(request, community_id):
    if response := login_or_forbid(request, permissions.can_run_lifecycle(request.user)):
        return response
    community = _active_community(community_id)
    step = _step(request)
    data = request.POST if request.method == "POST" else None
    form = _split_form(community, data, bound=step != "edit")
    preview = None
    if step != "edit" and form.is_valid():
        choices = form.choices()
        preview = selectors.split_preview(source=community, **choices)
        if step == "confirm" and not preview.problems:
            try:
                event = services.community_split(
                    actor=request.user,
                    source=community,
                    title=form.cleaned_data["title"],
                    reason=form.cleaned_data["reason"],
                    **choices,
                )
            except ValidationError as error:
                add_validation_errors(form, error)
                preview = None
            else:
                return _done(
                    request,
                    event,
                    _("The new community is split off. You can undo this on the history page."),
                )
    context = {"page": community, "form": form, "split": True}
    if preview is not None:
        context["member_hidden"] = [
            (f"member_{user_id}", choice)
            for user_id, choice in sorted(form.cleaned_data["member_choices"].items())
        ]
        context.update(
            _preview_context(
                preview,
                [community],
                [
                    (
                        _("Moderators of %(name)s") % {"name": community.title},
                        preview.moderators.get(community.pk, []),
                    ),
                    (_("Moderators of the new community"), preview.moderators.get("new", [])),
                ],
            )
        )
    else:
        context.update(_split_lists(community, SplitSelection(data, form)))
    return TemplateResponse(request, "communities/lifecycle/split.html", context)


def dissolve(request, community_id):
    if response := login_or_forbid(request, permissions.can_run_lifecycle(request.user)):
        return response
    community = _active_community(community_id)
    form = DissolveForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            event = services.community_dissolve(
                actor=request.user, community=community, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            return _done(
                request,
                event,
                _("The community is dissolved; its pages stay readable as an archive."),
            )
    return TemplateResponse(
        request,
        "communities/lifecycle/dissolve.html",
        {"page": community, "form": form, "people": community_people(community)},
    )


def rename(request, community_id):
    if response := login_or_forbid(request, permissions.can_run_lifecycle(request.user)):
        return response
    community = _active_community(community_id)
    form = RenameForm(
        request.POST if request.method == "POST" else None, initial={"title": community.title}
    )
    if request.method == "POST" and form.is_valid():
        try:
            event = services.community_rename(
                actor=request.user,
                community=community,
                title=form.cleaned_data["title"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            return _done(
                request, event, _("The community is renamed; its former name stays visible.")
            )
    return TemplateResponse(
        request, "communities/lifecycle/rename.html", {"page": community, "form": form}
    )


def undo(request, event_id):
    if response := login_or_forbid(request, permissions.can_run_lifecycle(request.user)):
        return response
    event = get_object_or_404(selectors.lifecycle_history(), pk=event_id)
    error = None
    if request.method == "POST":
        try:
            services.lifecycle_undo(actor=request.user, event=event)
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            messages.success(request, _("Undone: everything is back where it was."))
            return redirect("lifecycle_history")
    return TemplateResponse(
        request,
        "communities/lifecycle/undo.html",
        {"event": event, "refusal": error or services.undo_refusal(event)},
    )


def _history(request, events, context):
    page_obj = Paginator(events, EVENTS_PER_PAGE).get_page(request.GET.get("pagina"))
    return TemplateResponse(
        request,
        "communities/lifecycle/history.html",
        {
            **context,
            "page_obj": page_obj,
            "events": page_obj.object_list,
            "can_run_lifecycle": permissions.can_run_lifecycle(request.user),
        },
    )


def network_history(request):
    """Every merge, split, dissolve and rename in the network, newest first."""
    permissions.require(permissions.can_view_lifecycle_history(request.user))
    return _history(request, selectors.lifecycle_history(), {"page": None})


def community_history(request, community):
    """What happened to one community (a route below its page)."""
    permissions.require(permissions.can_view_lifecycle_history(request.user))
    return _history(
        request,
        selectors.lifecycle_history(community),
        {"page": community, "lineage": selectors.community_lineage(community)},
    )
