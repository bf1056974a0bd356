"""The team page (why, examples, workshop) and the koffer. Thin: each view parses
input, asks a selector (which checks access) or one service, and renders."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from communities import permissions
from cop_platform.sanitize import plain_to_html
from cop_platform.view_helpers import add_validation_errors, login_needed
from teams import koffer, services
from teams.forms import ActionForm, CategoriesForm, PointsForm, RoundForm, WhyForm
from teams.selectors import (
    koffer_round_get,
    koffer_rounds,
    network_examples,
    organisation_get_for_team,
    own_points,
    scores_per_person,
    suitcase,
    team_of,
)


def _nav(request, organisation) -> dict:
    """What the team pages' navigation and buttons need."""
    return {
        "organisation": organisation,
        "can_edit": permissions.can_edit_team(request.user, organisation),
        "can_view_koffer": permissions.can_view_koffer(request.user, organisation),
        "can_manage": permissions.can_manage_roles(request.user, organisation),
    }


def _team_context(request, organisation) -> dict:
    team = team_of(organisation)
    return {
        **_nav(request, organisation),
        "team": team,
        "why_html": plain_to_html(team.why) if team else "",
    }


def _saved(form, call) -> bool:
    """Run the service `call` for a valid form; its refusal goes onto the form."""
    try:
        call()
    except ValidationError as error:
        add_validation_errors(form, error)
        return False
    return True


@login_needed
def team(request, organisation_id: int):
    organisation = organisation_get_for_team(user=request.user, organisation_id=organisation_id)
    return TemplateResponse(
        request,
        "teams/team.html",
        {**_team_context(request, organisation), "examples": network_examples()},
    )


@login_needed
def workshop(request, organisation_id: int):
    """The agenda of the pilot's team workshop, printable as the session's handout."""
    organisation = organisation_get_for_team(user=request.user, organisation_id=organisation_id)
    return TemplateResponse(
        request,
        "teams/workshop.html",
        {**_team_context(request, organisation), "examples": network_examples(size=3)},
    )


@login_needed
def why_edit(request, organisation_id: int):
    organisation = organisation_get_for_team(
        user=request.user, organisation_id=organisation_id, allowed=permissions.can_edit_team
    )
    team = team_of(organisation)
    form = WhyForm(
        request.POST or None,
        initial={"why": team.why, "strategy_url": team.strategy_url} if team else {},
    )
    if (
        request.method == "POST"
        and form.is_valid()
        and _saved(
            form,
            lambda: services.team_why_update(
                actor=request.user, organisation=organisation, **form.cleaned_data
            ),
        )
    ):
        messages.success(request, _("Your team can now read why."))
        return redirect("teams:team", organisation.pk)
    return TemplateResponse(
        request,
        "teams/why_edit.html",
        {"organisation": organisation, "form": form},
        status=400 if form.errors else 200,
    )


@login_needed
def koffer_overview(request, organisation_id: int):
    organisation = organisation_get_for_team(
        user=request.user, organisation_id=organisation_id, allowed=permissions.can_view_koffer
    )
    team = team_of(organisation)
    return TemplateResponse(
        request,
        "teams/koffer_overview.html",
        {
            **_nav(request, organisation),
            "rounds": koffer_rounds(organisation),
            "categories": services.team_categories(team),
            "is_proposal": not (team and team.koffer_categories),
        },
    )


@login_needed
def koffer_categories(request, organisation_id: int):
    organisation = organisation_get_for_team(
        user=request.user, organisation_id=organisation_id, allowed=permissions.can_edit_team
    )
    form = CategoriesForm(
        request.POST or None,
        initial={"names": "\n".join(services.team_categories(team_of(organisation)))},
    )
    if (
        request.method == "POST"
        and form.is_valid()
        and _saved(
            form,
            lambda: services.koffer_categories_set(
                actor=request.user, organisation=organisation, names=form.cleaned_names()
            ),
        )
    ):
        messages.success(request, _("The categories are saved; the next session uses them."))
        return redirect("teams:koffer", organisation.pk)
    return TemplateResponse(
        request,
        "teams/koffer_categories.html",
        {"organisation": organisation, "form": form, "proposal": koffer.DEFAULT_CATEGORIES},
        status=400 if form.errors else 200,
    )


@login_needed
def koffer_round_new(request, organisation_id: int):
    organisation = organisation_get_for_team(
        user=request.user, organisation_id=organisation_id, allowed=permissions.can_edit_team
    )
    form = RoundForm(request.POST or None, initial={"held_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            koffer_round = services.koffer_round_start(
                actor=request.user, organisation=organisation, **form.cleaned_data
            )
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            messages.success(request, _("The session is ready: your team can fill in the koffer."))
            return redirect("teams:koffer_round", organisation.pk, koffer_round.pk)
    return TemplateResponse(
        request,
        "teams/koffer_round_new.html",
        {
            "organisation": organisation,
            "form": form,
            "categories": services.team_categories(team_of(organisation)),
        },
        status=400 if form.errors else 200,
    )


def _round(request, organisation_id: int, round_id: int, allowed=permissions.can_view_koffer):
    organisation = organisation_get_for_team(
        user=request.user, organisation_id=organisation_id, allowed=allowed
    )
    return organisation, koffer_round_get(organisation=organisation, round_id=round_id)


@login_needed
def koffer_round(request, organisation_id: int, round_id: int):
    """The team's combined suitcase: the spread per category (no names), the agreed
    score, the action points, compared with the session before."""
    organisation, koffer_round = _round(request, organisation_id, round_id)
    result = suitcase(koffer_round)
    sees_scores = permissions.can_view_koffer_scores(request.user, organisation)
    category_ids = [spread.category_id for spread in result.spreads]
    return TemplateResponse(
        request,
        "teams/koffer_round.html",
        {
            **_nav(request, organisation),
            "suitcase": result,
            "can_fill": permissions.can_fill_koffer(request.user, koffer_round),
            "has_filled": bool(own_points(koffer_round, request.user)),
            "people": scores_per_person(koffer_round, category_ids) if sees_scores else [],
        },
    )


@login_needed
def koffer_fill(request, organisation_id: int, round_id: int):
    organisation, koffer_round = _round(request, organisation_id, round_id)
    permissions.require(permissions.can_fill_koffer(request.user, koffer_round))
    categories = list(koffer_round.categories.all())
    own = own_points(koffer_round, request.user)
    form = PointsForm(
        request.POST or None,
        categories=categories,
        initial={f"c{pk}": points for pk, points in own.items()},
    )
    if (
        request.method == "POST"
        and form.is_valid()
        and _saved(
            form,
            lambda: services.koffer_fill(
                actor=request.user, koffer_round=koffer_round, points=form.points()
            ),
        )
    ):
        messages.success(request, _("Your points are saved. The team sees only the spread."))
        return redirect("teams:koffer_round", organisation.pk, koffer_round.pk)
    return TemplateResponse(
        request,
        "teams/koffer_fill.html",
        {
            "organisation": organisation,
            "koffer_round": koffer_round,
            "form": form,
            "own": [(category.name, own[category.pk]) for category in categories if own],
        },
        status=400 if form.errors else 200,
    )


@login_needed
def koffer_agree(request, organisation_id: int, round_id: int):
    organisation, koffer_round = _round(
        request, organisation_id, round_id, allowed=permissions.can_edit_team
    )
    categories = list(koffer_round.categories.all())
    form = PointsForm(
        request.POST or None,
        categories=categories,
        required=False,
        initial={f"c{category.pk}": category.agreed_score for category in categories},
    )
    if (
        request.method == "POST"
        and form.is_valid()
        and _saved(
            form,
            lambda: services.koffer_agree(
                actor=request.user, koffer_round=koffer_round, agreed=form.points()
            ),
        )
    ):
        messages.success(request, _("The team's scores are saved."))
        return redirect("teams:koffer_round", organisation.pk, koffer_round.pk)
    return TemplateResponse(
        request,
        "teams/koffer_agree.html",
        {"organisation": organisation, "koffer_round": koffer_round, "form": form},
        status=400 if form.errors else 200,
    )


@login_needed
def koffer_action_new(request, organisation_id: int, round_id: int):
    organisation, koffer_round = _round(
        request, organisation_id, round_id, allowed=permissions.can_edit_team
    )
    form = ActionForm(request.POST or None, categories=koffer_round.categories.all())
    if (
        request.method == "POST"
        and form.is_valid()
        and _saved(
            form,
            lambda: services.koffer_action_add(
                actor=request.user, koffer_round=koffer_round, **form.cleaned_data
            ),
        )
    ):
        messages.success(request, _("The action point is added."))
        return redirect("teams:koffer_round", organisation.pk, koffer_round.pk)
    return TemplateResponse(
        request,
        "teams/koffer_action_new.html",
        {"organisation": organisation, "koffer_round": koffer_round, "form": form},
        status=400 if form.errors else 200,
    )
