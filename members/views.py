from django.contrib import messages
from django.contrib.auth import logout
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from communities import permissions
from cop_platform.errors import COORDINATORS_ONLY
from cop_platform.sanitize import plain_to_html
from cop_platform.view_helpers import login_needed, login_or_forbid
from members import exports, personal_data, reischeque, selftest
from members.coverage import network_coverage, organisation_coverage
from members.forms import (
    AgreementForm,
    EraseForm,
    ManagerAppointForm,
    NetworkFilterForm,
    NotificationPreferencesForm,
    ProfileForm,
    ReischequeSettingsForm,
    RoleAssignForm,
    RoleChangeForm,
    SelfTestForm,
    TargetForm,
)
from members.models import Managership, Organisation, Role, RoleAssignment, Target
from members.selectors import (
    agreement_get_for_user,
    agreements_due,
    agreements_for_organisation,
    agreements_of,
    current_managerships,
    organisation_communities,
    organisation_get_for_coverage,
    organisation_people,
    organisations_managed_by,
    profile_get_for_user,
    roles_of,
    selftest_history_chart,
    selftest_result_get_for_user,
    selftest_results_of,
    shared_selftest_results,
)
from members.services import agreements as agreement_services
from members.services import managers as manager_services
from members.services import profile_ensure, profile_update
from members.services import roles as role_services
from members.services import selftest as selftest_services
from members.services.personal_data import (
    account_erase,
    erasure_blockers,
    personal_data_export_json,
)
from members.services.profiles import profile_set_notification_preferences


@login_needed
def profile_edit(request):
    """The member's own profile, and (as a second form) which forum e-mails they get."""
    profile = profile_ensure(user=request.user)
    action = request.POST.get("action") if request.method == "POST" else None
    form = ProfileForm(
        request.POST if action != "preferences" and request.method == "POST" else None,
        initial={
            "display_name": profile.display_name,
            "organisation": profile.organisation_id,
            "job_title": profile.job_title,
            "bio": profile.bio,
            "language": profile.language,
        },
    )
    preferences_form = NotificationPreferencesForm(
        request.POST if action == "preferences" else None,
        initial={
            "mention_email": profile.mention_email,
            "follow_email_mode": profile.follow_email_mode,
        },
        prefix="notify",
    )
    if action == "preferences" and preferences_form.is_valid():
        profile_set_notification_preferences(actor=request.user, **preferences_form.cleaned_data)
        messages.success(request, _("Your e-mail preferences have been saved."))
        return redirect("members:profile_edit")
    if request.method == "POST" and action != "preferences" and form.is_valid():
        profile_update(actor=request.user, **form.cleaned_data)
        messages.success(request, _("Your profile has been saved."))
        return redirect("members:profile", request.user.pk)
    return render(
        request,
        "members/profile_edit.html",
        {"form": form, "preferences_form": preferences_form},
        status=400 if form.errors or preferences_form.errors else 200,
    )


@login_needed
def profile_detail(request, user_id: int):
    person, communities = profile_get_for_user(user=request.user, profile_user_id=user_id)
    profile = getattr(person, "profile", None)
    return render(
        request,
        "members/profile_detail.html",
        {
            "person": person,
            "profile": profile,
            "bio_html": plain_to_html(profile.bio) if profile else "",
            "communities": communities,
            "is_own": permissions.can_edit_profile(request.user, person),
        },
    )


# --- managers: coverage, roles, targets, agreements ---------------------------


def _errors(error: ValidationError) -> str:
    return " ".join(error.messages)


@login_needed
def manager_home(request):
    """The managers' entry point: one organisation goes straight to its review."""
    organisations = organisations_managed_by(request.user)
    if len(organisations) == 1:
        return redirect("members:coverage", organisations[0].pk)
    return TemplateResponse(request, "members/manager_home.html", {"organisations": organisations})


def coverage(request, organisation_id: int):
    if response := login_or_forbid(request):
        return response
    organisation = organisation_get_for_coverage(user=request.user, organisation_id=organisation_id)
    result = organisation_coverage(organisation, viewer=request.user)
    can_manage = permissions.can_manage_roles(request.user, organisation)
    return TemplateResponse(
        request,
        "members/coverage.html",
        {
            "organisation": organisation,
            "coverage": result,
            "can_manage": can_manage,
            "due": agreements_due(organisation) if can_manage else [],
            "shared_results": shared_selftest_results(organisation) if can_manage else [],
        },
    )


def coverage_export(request, organisation_id: int, fmt: str):
    if response := login_or_forbid(request):
        return response
    organisation = organisation_get_for_coverage(user=request.user, organisation_id=organisation_id)
    header, rows = exports.coverage_table(organisation_coverage(organisation, viewer=request.user))
    return exports.response(
        header,
        rows,
        fmt=fmt,
        filename=f"rollen-{slugify(organisation.name)}",
        title=_("Role coverage"),
    )


def _managed_organisation(request, organisation_id: int) -> Organisation:
    organisation = get_object_or_404(Organisation, pk=organisation_id)
    permissions.require(permissions.can_manage_roles(request.user, organisation))
    return organisation


def _role_descriptions(descriptions: dict[str, str]) -> list[tuple[str, str]]:
    """(label, the platform's description) per role, in the fixed role order."""
    return [(label, descriptions[role]) for role, label in Role.choices]


@login_needed
def role_assign(request, organisation_id: int):
    organisation = _managed_organisation(request, organisation_id)
    form = RoleAssignForm(
        request.POST or None,
        people=organisation_people(organisation),
        communities=organisation_communities(organisation),
        initial={
            "community": request.GET.get("community"),
            "role": request.GET.get("role"),
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            assignment = role_services.role_assign(
                actor=request.user, organisation=organisation, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, _errors(error))
        else:
            messages.success(
                request,
                _("%(name)s is now %(role)s in %(community)s.")
                % {
                    "name": assignment.user.display_name,
                    "role": assignment.get_role_display(),
                    "community": assignment.community.title,
                },
            )
            return redirect("members:coverage", organisation.pk)
    return TemplateResponse(
        request,
        "members/role_assign.html",
        {
            "organisation": organisation,
            "form": form,
            "descriptions": _role_descriptions(selftest.role_descriptions()),
            "level_guidance": selftest.ROLE_LEVEL_GUIDANCE,
        },
        status=400 if form.errors else 200,
    )


@login_needed
def role_end(request, organisation_id: int, assignment_id: int):
    organisation = _managed_organisation(request, organisation_id)
    assignment = get_object_or_404(
        RoleAssignment.objects.select_related("user__profile", "community"),
        pk=assignment_id,
        organisation=organisation,
    )
    error = ""
    if request.method == "POST":
        try:
            role_services.role_end(actor=request.user, assignment=assignment)
        except ValidationError as exc:
            error = _errors(exc)
        else:
            messages.success(
                request,
                _("The role of %(name)s has ended.") % {"name": assignment.user.display_name},
            )
            return redirect("members:coverage", organisation.pk)
    return TemplateResponse(
        request,
        "members/role_end.html",
        {"organisation": organisation, "assignment": assignment, "error": error},
        status=400 if error else 200,
    )


@login_needed
def role_change(request, organisation_id: int, assignment_id: int):
    organisation = _managed_organisation(request, organisation_id)
    assignment = get_object_or_404(
        RoleAssignment.objects.select_related("user__profile", "community"),
        pk=assignment_id,
        organisation=organisation,
    )
    form = RoleChangeForm(
        request.POST or None,
        initial={
            "hours_per_week": assignment.hours_per_week,
            "contribution": assignment.contribution,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            role_services.role_change(
                actor=request.user, assignment=assignment, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, _errors(error))
        else:
            messages.success(
                request,
                _("The role of %(name)s has been changed; they get an e-mail.")
                % {"name": assignment.user.display_name},
            )
            return redirect("members:coverage", organisation.pk)
    return TemplateResponse(
        request,
        "members/role_change.html",
        {"organisation": organisation, "assignment": assignment, "form": form},
        status=400 if form.errors else 200,
    )


@login_needed
def target_edit(request, organisation_id: int, community_id: int):
    organisation = _managed_organisation(request, organisation_id)
    community = get_object_or_404(organisation_communities(organisation), pk=community_id)
    current = (
        Target.objects.filter(
            organisation=organisation, community=community, retired_into__isnull=True
        )
        .order_by("-pk")
        .first()
    )
    initial = (
        {
            "target_members": current.target_members,
            "target_activities": current.target_activities,
            "activity_kind": current.activity_kind,
            "deadline": current.deadline,
        }
        if current
        else {}
    )
    form = TargetForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            role_services.target_set(
                actor=request.user,
                organisation=organisation,
                community=community,
                **form.cleaned_data,
            )
        except ValidationError as error:
            form.add_error(None, _errors(error))
        else:
            messages.success(
                request,
                _("The target for %(community)s is saved.") % {"community": community.title},
            )
            return redirect("members:coverage", organisation.pk)
    return TemplateResponse(
        request,
        "members/target_edit.html",
        {"organisation": organisation, "community": community, "form": form},
        status=400 if form.errors else 200,
    )


@login_needed
def agreements(request, organisation_id: int):
    organisation = _managed_organisation(request, organisation_id)
    page_obj = Paginator(agreements_for_organisation(organisation), 25).get_page(
        request.GET.get("pagina")
    )
    return TemplateResponse(
        request,
        "members/agreements.html",
        {
            "organisation": organisation,
            "page_obj": page_obj,
            "today": timezone.localdate(),
            "due_ids": {a.pk for a in agreements_due(organisation)},
        },
    )


@login_needed
def agreement_new(request, organisation_id: int):
    organisation = _managed_organisation(request, organisation_id)
    people = (
        organisation_people(organisation)
        .filter(profile__organisation=organisation)
        .exclude(pk=request.user.pk)
    )
    form = AgreementForm(
        request.POST or None,
        people=people,
        initial={"conversation_date": timezone.localdate(), "user": request.GET.get("persoon")},
    )
    if request.method == "POST" and form.is_valid():
        try:
            agreement_services.agreement_record(
                actor=request.user, organisation=organisation, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, _errors(error))
        else:
            messages.success(request, _("The agreement is recorded; the member can now see it."))
            return redirect("members:agreements", organisation.pk)
    return TemplateResponse(
        request,
        "members/agreement_new.html",
        {
            "organisation": organisation,
            "form": form,
            "questions": reischeque.questions_for(organisation),
            "tips": reischeque.MANAGER_TIPS,
        },
        status=400 if form.errors else 200,
    )


@login_needed
def reischeque_settings(request, organisation_id: int):
    """The organisation's travel goal and the questions on its reischeques."""
    organisation = _managed_organisation(request, organisation_id)
    form = ReischequeSettingsForm(
        request.POST or None,
        initial={
            "travel_goal": organisation.travel_goal,
            "questions": "\n".join(reischeque.questions_for(organisation)),
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            agreement_services.reischeque_settings_set(
                actor=request.user, organisation=organisation, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, _errors(error))
        else:
            messages.success(request, _("The travel goal and the questions are saved."))
            return redirect("members:agreements", organisation.pk)
    return TemplateResponse(
        request,
        "members/reischeque_settings.html",
        {"organisation": organisation, "form": form},
        status=400 if form.errors else 200,
    )


# --- coordinators: network view and managers ----------------------------------


def _network(request, *, paginate=True):
    form = NetworkFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {"kind": "", "province": ""}
    return form, network_coverage(
        kind=filters["kind"],
        province=filters["province"],
        page=request.GET.get("pagina", 1),
        paginate=paginate,
    )


def network(request):
    if response := login_or_forbid(
        request, permissions.can_view_network(request.user), who_may=COORDINATORS_ONLY
    ):
        return response
    form, result = _network(request)
    query = request.GET.copy()
    query.pop("pagina", None)
    return TemplateResponse(
        request,
        "members/network.html",
        {"form": form, "network": result, "page_obj": result.page_obj, "query": query.urlencode()},
    )


def network_export(request, fmt: str):
    if response := login_or_forbid(
        request, permissions.can_view_network(request.user), who_may=COORDINATORS_ONLY
    ):
        return response
    _form, result = _network(request, paginate=False)
    header, rows = exports.network_table(result)
    return exports.response(
        header, rows, fmt=fmt, filename="rollen-netwerk", title=_("Network coverage")
    )


def managers(request):
    if response := login_or_forbid(
        request, permissions.can_manage_managers(request.user), who_may=COORDINATORS_ONLY
    ):
        return response
    form = ManagerAppointForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            manager_services.manager_appoint(
                actor=request.user,
                user=form.cleaned_data["user"],
                organisation=form.cleaned_data["organisation"],
            )
        except ValidationError as error:
            form.add_error(None, _errors(error))
        else:
            messages.success(
                request,
                _("%(name)s now manages %(organisation)s.")
                % {
                    "name": form.cleaned_data["user"].display_name,
                    "organisation": form.cleaned_data["organisation"].name,
                },
            )
            return redirect("members:managers")
    page_obj = Paginator(current_managerships(), 50).get_page(request.GET.get("pagina"))
    return TemplateResponse(
        request,
        "members/managers.html",
        {"form": form, "page_obj": page_obj},
        status=400 if form.errors else 200,
    )


def managership_end(request, managership_id: int):
    if response := login_or_forbid(
        request, permissions.can_manage_managers(request.user), who_may=COORDINATORS_ONLY
    ):
        return response
    managership = get_object_or_404(
        Managership.objects.select_related("user__profile", "organisation"), pk=managership_id
    )
    error = ""
    if request.method == "POST":
        try:
            manager_services.managership_end(actor=request.user, managership=managership)
        except ValidationError as exc:
            error = _errors(exc)
        else:
            messages.success(request, _("The managership has ended."))
            return redirect("members:managers")
    return TemplateResponse(
        request,
        "members/managership_end.html",
        {"managership": managership, "error": error},
        status=400 if error else 200,
    )


# --- members: self-test, agreements, personal data ----------------------------


@login_needed
def selftest_overview(request):
    results = list(selftest_results_of(request.user))
    latest = results[0] if results else None
    descriptions = selftest.role_descriptions()
    return TemplateResponse(
        request,
        "members/selftest_overview.html",
        {
            "results": results,
            "latest": latest,
            "interpretation": (selftest.interpret(latest.scores, descriptions) if latest else None),
            "descriptions": _role_descriptions(descriptions),
            "chart": selftest_history_chart(results),
        },
    )


@login_needed
def selftest_take(request):
    statements = selftest.ordered_statements(request.user.pk, selftest.statement_texts())
    form = SelfTestForm(request.POST or None, statements=statements)
    if request.method == "POST" and form.is_valid():
        try:
            result = selftest_services.selftest_submit(actor=request.user, answers=form.answers())
        except ValidationError as error:
            form.add_error(None, _errors(error))
        else:
            messages.success(request, _("Your self-test is saved. Only you can see the result."))
            return redirect("members:selftest_result", result.pk)
    return TemplateResponse(
        request,
        "members/selftest_take.html",
        {"form": form, "count": len(statements)},
        status=400 if form.errors else 200,
    )


@login_needed
def selftest_result(request, result_id: int):
    result = selftest_result_get_for_user(user=request.user, result_id=result_id)
    is_own = permissions.can_share_selftest_result(request.user, result)
    profile = getattr(request.user, "profile", None)
    return TemplateResponse(
        request,
        "members/selftest_result.html",
        {
            "result": result,
            "is_own": is_own,
            "interpretation": selftest.interpret(result.scores, selftest.role_descriptions()),
            "has_organisation": bool(profile and profile.organisation_id),
        },
    )


@login_needed
def selftest_share(request, result_id: int, action: str):
    """POST only: share a result with the managers, or stop sharing it."""
    result = selftest_result_get_for_user(user=request.user, result_id=result_id)
    permissions.require(permissions.can_share_selftest_result(request.user, result))
    if request.method == "POST":
        service = (
            selftest_services.selftest_share
            if action == "share"
            else selftest_services.selftest_revoke
        )
        try:
            service(actor=request.user, result=result)
        except ValidationError as error:
            messages.error(request, _errors(error))
        else:
            messages.success(
                request,
                _("Your managers can now see this result.")
                if action == "share"
                else _("Your managers can no longer see this result."),
            )
    return redirect("members:selftest_result", result.pk)


@login_needed
def my_roles(request):
    """Lesson 3: each role the person holds, with what it contributes and the
    target it serves. Their own page: it shows the person who asks, nobody else."""
    return TemplateResponse(request, "members/my_roles.html", {"roles": roles_of(request.user)})


@login_needed
def my_agreements(request):
    """The member's reischeques, and how to prepare for the next conversation."""
    profile = getattr(request.user, "profile", None)
    organisation = profile.organisation if profile else None
    return TemplateResponse(
        request,
        "members/my_agreements.html",
        {
            "agreements": list(agreements_of(request.user)),
            "organisation": organisation,
            "questions": reischeque.questions_for(organisation) if organisation else [],
            "tips": reischeque.MEMBER_TIPS,
        },
    )


@login_needed
def reischeque_detail(request, agreement_id: int):
    """One reischeque, printable: for the member and the organisation's managers."""
    agreement = agreement_get_for_user(user=request.user, agreement_id=agreement_id)
    return TemplateResponse(
        request,
        "members/reischeque.html",
        {
            "cheque": reischeque.reischeque_for(viewer=request.user, agreement=agreement),
            "member_tips": reischeque.MEMBER_TIPS,
            "manager_tips": reischeque.MANAGER_TIPS,
            "today": timezone.localdate(),
        },
    )


@login_needed
def agreement_confirm(request, agreement_id: int):
    agreement = agreement_get_for_user(user=request.user, agreement_id=agreement_id)
    permissions.require(permissions.can_confirm_agreement(request.user, agreement))
    if request.method == "POST":
        agreement_services.agreement_confirm(actor=request.user, agreement=agreement)
        messages.success(request, _("You have confirmed the agreement."))
    return redirect("members:my_agreements")


@login_needed
def my_data(request):
    return TemplateResponse(
        request,
        "members/my_data.html",
        {"parts": personal_data.part_names(), "blockers": erasure_blockers(request.user)},
    )


@login_needed
def my_data_download(request):
    reply = HttpResponse(
        personal_data_export_json(actor=request.user), content_type="application/json"
    )
    reply["Content-Disposition"] = 'attachment; filename="mijn-gegevens.json"'
    return reply


@login_needed
def erase_account(request):
    """Confirm, then erase the account. While the person is a community's only
    moderator the page explains how to hand over instead of offering the button."""
    blockers = erasure_blockers(request.user)
    form = None if blockers else EraseForm(request.POST or None)
    if form is not None and request.method == "POST" and form.is_valid():
        try:
            account_erase(actor=request.user)
        except ValidationError as error:  # became the only moderator meanwhile
            form.add_error(None, _errors(error))
        else:
            logout(request)
            messages.success(request, _("Your account and personal data have been erased."))
            return redirect("wagtail_serve", "")
    refused = request.method == "POST" and (form is None or form.errors)
    return TemplateResponse(
        request,
        "members/erase_account.html",
        {"form": form, "blockers": blockers},
        status=400 if refused else 200,
    )
