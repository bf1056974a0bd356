"""The moderators' and coordinators' side: deciding applications, the member
list with the haal/breng balance, and dated moderatorships."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from communities import permissions
from communities.forms import AppointForm, DecisionForm, HandOverForm, ReasonForm
from communities.models import Membership, MembershipState, Moderatorship
from communities.selectors import (
    active_members,
    application_for_decision,
    application_queue,
    communities_needing_moderators,
    haal_breng_balance,
    haal_breng_matches,
)
from communities.services import memberships as membership_services
from communities.services import moderators as moderator_services
from cop_platform.errors import COORDINATORS_ONLY, moderators_and_coordinators
from cop_platform.view_helpers import login_or_forbid

MEMBERS_PER_PAGE = 50


def moderation(request, community):
    """The moderator's page: application queue, decisions, balance and matches."""
    if response := login_or_forbid(
        request,
        permissions.can_decide_applications(request.user, community),
        who_may=moderators_and_coordinators(community),
    ):
        return response
    queue = list(application_queue(community))
    return TemplateResponse(
        request,
        "communities/moderation.html",
        {
            "page": community,
            "queue": [
                (membership, DecisionForm(prefix=f"m{membership.pk}")) for membership in queue
            ],
            "balance": haal_breng_balance(community),
            "matches": haal_breng_matches(community),
        },
    )


def decide(request, community, membership_id):
    """POST only: accept, decline (with reason) or ask (with question)."""
    if response := login_or_forbid(
        request,
        permissions.can_decide_applications(request.user, community),
        who_may=moderators_and_coordinators(community),
    ):
        return response
    if request.method != "POST":
        return redirect(community.subpage_url("moderation"))
    membership = application_for_decision(community, membership_id)
    permissions.require(membership is not None, hide=True)
    form = DecisionForm(request.POST, prefix=f"m{membership.pk}")
    if not form.is_valid():
        return TemplateResponse(
            request,
            "communities/decide.html",
            {"page": community, "membership": membership, "form": form},
            status=400,
        )
    decision, message = form.cleaned_data["decision"], form.cleaned_data["message"]
    name = membership.user.display_name
    try:
        if decision == DecisionForm.ACCEPT:
            membership_services.membership_accept(
                actor=request.user, membership=membership, message=message
            )
            messages.success(request, _("%(name)s is now a member.") % {"name": name})
        elif decision == DecisionForm.DECLINE:
            membership_services.membership_decline(
                actor=request.user, membership=membership, reason=message
            )
            messages.success(
                request, _("The application of %(name)s was declined.") % {"name": name}
            )
        else:
            membership_services.membership_ask(
                actor=request.user, membership=membership, question=message
            )
            messages.success(request, _("Your question was sent to %(name)s.") % {"name": name})
    except ValidationError as error:
        for text in error.messages:
            messages.error(request, text)
    return redirect(community.subpage_url("moderation"))


def end_membership(request, community, membership_id):
    """Confirm, with a reason, then end someone's membership."""
    if response := login_or_forbid(
        request,
        permissions.can_decide_applications(request.user, community),
        who_may=moderators_and_coordinators(community),
    ):
        return response
    membership = get_object_or_404(
        Membership.objects.select_related("user__profile"),
        pk=membership_id,
        community=community,
        state=MembershipState.ACTIVE,
    )
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            membership_services.membership_end(
                actor=request.user, membership=membership, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            for text in error.messages:
                form.add_error(None, text)
        else:
            messages.success(
                request,
                _("The membership of %(name)s has ended.") % {"name": membership.user.display_name},
            )
            return redirect(community.subpage_url("members"))
    return TemplateResponse(
        request,
        "communities/end_membership.html",
        {"page": community, "membership": membership, "form": form},
        status=400 if form.errors else 200,
    )


def members(request, community):
    """Active members with organisation; their haal/breng answers for moderators."""
    if response := login_or_forbid(
        request, permissions.can_view_member_list(request.user, community)
    ):
        return response
    page_obj = Paginator(active_members(community), MEMBERS_PER_PAGE).get_page(
        request.GET.get("pagina")
    )
    return TemplateResponse(
        request,
        "communities/members.html",
        {
            "page": community,
            "page_obj": page_obj,
            "show_answers": permissions.can_decide_applications(request.user, community),
        },
    )


def moderators(request, community):
    """Terms of moderatorship: coordinators appoint and end; a moderator hands over."""
    may_manage = permissions.can_manage_moderators(request.user, community)
    may_hand_over = permissions.can_hand_over(request.user, community)
    if response := login_or_forbid(
        request, may_manage or may_hand_over, who_may=moderators_and_coordinators(community)
    ):
        return response
    appoint_form = AppointForm(community=community) if may_manage else None
    hand_over_form = (
        HandOverForm(community=community, actor=request.user) if may_hand_over else None
    )
    if request.method == "POST":
        action = request.POST.get("action")
        # Each action of the page only for whom its form was shown.
        permissions.require(
            (action == "appoint" and may_manage) or (action == "hand_over" and may_hand_over)
        )
        try:
            if action == "appoint":
                appoint_form = AppointForm(request.POST, community=community)
                if appoint_form.is_valid():
                    moderator_services.moderator_appoint(
                        actor=request.user, community=community, **appoint_form.cleaned_data
                    )
                    messages.success(request, _("The moderator has been appointed."))
                    return redirect(request.path)
            else:
                hand_over_form = HandOverForm(request.POST, community=community, actor=request.user)
                if hand_over_form.is_valid():
                    moderator_services.moderator_hand_over(
                        actor=request.user,
                        community=community,
                        successor=hand_over_form.cleaned_data["successor"],
                    )
                    messages.success(request, _("You have handed over the moderator role."))
                    return redirect(community.url)
        except ValidationError as error:
            for text in error.messages:
                messages.error(request, text)
    terms = (
        Moderatorship.objects.filter(community=community)
        .select_related("user__profile__organisation", "appointed_by__profile")
        .order_by("-start_date", "-pk")
    )
    return TemplateResponse(
        request,
        "communities/moderators.html",
        {
            "page": community,
            "terms": terms,
            "appoint_form": appoint_form,
            "hand_over_form": hand_over_form,
            "may_manage": may_manage,
        },
    )


def end_moderatorship(request, community, term_id):
    """Confirm, then end a term today (coordinators)."""
    if response := login_or_forbid(
        request,
        permissions.can_manage_moderators(request.user, community),
        who_may=COORDINATORS_ONLY,
    ):
        return response
    term = get_object_or_404(
        Moderatorship.objects.select_related("user__profile"), pk=term_id, community=community
    )
    error = None
    if request.method == "POST":
        try:
            moderator_services.moderatorship_end(actor=request.user, moderatorship=term)
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            messages.success(request, _("The term has ended."))
            return redirect(community.subpage_url("moderators"))
    return TemplateResponse(
        request,
        "communities/end_moderatorship.html",
        {"page": community, "term": term, "error": error},
        status=400 if error else 200,
    )


def moderation_overview(request):
    """Coordinators: communities that have, or soon will have, no moderator."""
    if response := login_or_forbid(
        request, permissions.can_view_moderation_overview(request.user), who_may=COORDINATORS_ONLY
    ):
        return response
    return TemplateResponse(
        request,
        "communities/moderation_overview.html",
        {"alerts": communities_needing_moderators(within_days=30)},
    )
