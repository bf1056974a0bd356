"""Joining, answering, withdrawing and leaving: the applicant's side.

Each view is reached through a route of CommunityPage (RoutablePageMixin) and
receives the page; permission questions go to communities.permissions.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from communities import permissions
from communities.forms import AnswerForm, IntakeForm
from communities.models import MembershipState
from communities.selectors import own_application, own_membership, previous_answers
from communities.services import memberships as membership_services
from cop_platform.ratelimits import limit_exceeded
from cop_platform.view_helpers import add_validation_errors, login_or_forbid
from members.services import profile_ensure


def apply(request, community):
    """The haal/breng intake form."""
    if response := login_or_forbid(request):
        return response
    # An archived community takes no applications: its form is not there.
    permissions.require(community.is_active, hide=True)
    state = permissions.open_membership_state(request.user, community)
    if state is not None:
        messages.info(
            request, _("You have already applied to this community or are a member of it.")
        )
        return redirect(community.subpage_url("my_application"))

    profile = profile_ensure(user=request.user)
    form = IntakeForm(
        request.POST or None,
        # Applying again starts from the answers of the previous application.
        initial={
            "organisation": profile.organisation_id,
            **previous_answers(request.user, community),
        },
    )
    status = 200
    if request.method == "POST":
        if limit_exceeded(request, "intake"):
            form.add_error(
                None, _("You have sent many applications in a short time. Please try again later.")
            )
            status = 429
        elif form.is_valid():
            try:
                membership_services.membership_apply(
                    actor=request.user, community=community, **form.cleaned_data
                )
            except ValidationError as error:
                add_validation_errors(form, error)
            else:
                messages.success(
                    request,
                    _(
                        "Thank you! The moderators will look at your application soon; "
                        "you will get an e-mail."
                    ),
                )
                return redirect(community.subpage_url("my_application"))
    return TemplateResponse(
        request,
        "communities/apply.html",
        {"page": community, "form": form},
        status=status,
    )


def my_application(request, community):
    """The applicant's (and later the member's) view of their membership: state,
    answers, the conversation with the moderators (questions, answers, the welcome
    or the reason of a decision), answering a question."""
    if response := login_or_forbid(request):
        return response
    membership = own_application(request.user, community)
    if membership is None:
        return redirect(community.subpage_url("apply"))

    answer_form = None
    if membership.state == MembershipState.NEEDS_INFO:
        answer_form = AnswerForm(
            request.POST if request.method == "POST" else None,
            initial={"haal": membership.haal, "breng": membership.breng},
        )
    if request.method == "POST" and answer_form is not None and answer_form.is_valid():
        try:
            membership_services.membership_answer(
                actor=request.user, membership=membership, **answer_form.cleaned_data
            )
        except ValidationError as error:
            add_validation_errors(answer_form, error)
        else:
            messages.success(request, _("Thank you, your answer has been sent."))
            return redirect(request.path)
    return TemplateResponse(
        request,
        "communities/my_application.html",
        {"page": community, "membership": membership, "answer_form": answer_form},
    )


def withdraw(request, community):
    """Confirm, then withdraw one's own open application."""
    if response := login_or_forbid(request):
        return response
    membership = own_membership(request.user, community)
    permissions.require(membership is not None and membership.is_undecided, hide=True)
    error = None
    if request.method == "POST":
        try:
            membership_services.membership_withdraw(actor=request.user, membership=membership)
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            messages.success(request, _("Your application has been withdrawn."))
            return redirect(community.url)
    return TemplateResponse(
        request,
        "communities/withdraw.html",
        {"page": community, "membership": membership, "error": error},
        status=400 if error else 200,
    )


def leave(request, community):
    """Confirm, then leave the community."""
    if response := login_or_forbid(request):
        return response
    membership = own_membership(request.user, community)
    permissions.require(
        membership is not None and membership.state == MembershipState.ACTIVE, hide=True
    )
    error = None
    if request.method == "POST":
        try:
            membership_services.membership_leave(actor=request.user, membership=membership)
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            messages.success(
                request, _("You have left %(community)s.") % {"community": community.title}
            )
            return redirect(community.url)
    return TemplateResponse(
        request,
        "communities/leave.html",
        {"page": community, "membership": membership, "error": error},
        status=400 if error else 200,
    )
