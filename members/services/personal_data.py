"""A member's own data: the JSON export and the erasure of the account.

The parts come from the registry in members.personal_data (each app adds its
own); this module adds the members app's parts and does the final step of an
erasure, the anonymisation of the account itself.
"""

import json
from importlib import import_module

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from communities import permissions
from communities.services.moderators import communities_only_moderated_by
from members import personal_data
from members.models import (
    DevelopmentAgreement,
    Managership,
    MemberProfile,
    RoleAssignment,
    SelfTestResult,
    Target,
)

ERASED_EMAIL_DOMAIN = "verwijderd.invalid"


# --- the members app's parts ------------------------------------------------


def export_account(user) -> dict:
    profile = MemberProfile.objects.filter(user=user).select_related("organisation").first()
    return {
        "email": user.email,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "date_joined": user.date_joined,
        "last_login": user.last_login,
        "email_addresses": [
            {"email": a.email, "verified": a.verified, "primary": a.primary}
            for a in EmailAddress.objects.filter(user=user).order_by("pk")
        ],
        "profile": None
        if profile is None
        else {
            "display_name": profile.display_name,
            "organisation": profile.organisation.name if profile.organisation else None,
            "job_title": profile.job_title,
            "bio": profile.bio,
            "language": profile.language,
            "created_at": profile.created_at,
        },
    }


def erase_account(user) -> None:
    """The profile goes; the account row is anonymised by account_erase last."""
    MemberProfile.objects.filter(user=user).delete()


def export_roles(user) -> list[dict]:
    return [
        {
            "community": a.community.title,
            "organisation": a.organisation.name,
            "role": a.role,
            "start_date": a.start_date,
            "end_date": a.end_date,
            "hours_per_week": a.hours_per_week,
            "contribution": a.contribution,
        }
        for a in RoleAssignment.objects.filter(user=user).select_related(
            "community", "organisation"
        )
    ]


def erase_roles(user) -> None:
    """Who held which role is about the person: the assignments go. Targets and
    roles the person set for others stay, without their name."""
    RoleAssignment.objects.filter(user=user).delete()
    RoleAssignment.objects.filter(assigned_by=user).update(assigned_by=None)
    Target.objects.filter(set_by=user).update(set_by=None)


def export_managerships(user) -> list[dict]:
    return [
        {"organisation": m.organisation.name, "start_date": m.start_date, "end_date": m.end_date}
        for m in Managership.objects.filter(user=user).select_related("organisation")
    ]


def erase_managerships(user) -> None:
    Managership.objects.filter(user=user).delete()
    Managership.objects.filter(appointed_by=user).update(appointed_by=None)
    permissions.forget_managerships(user)


def export_selftest(user) -> list[dict]:
    return [
        {
            "taken_at": r.taken_at,
            "answers": r.answers,
            "scores": dict(r.scores),
            "best_fit": r.best_fit,
            "shared_with": r.shared_with.name if r.shared_with else None,
            "shared_at": r.shared_with_manager_at,
        }
        for r in SelfTestResult.objects.filter(user=user).select_related("shared_with")
    ]


def erase_selftest(user) -> None:
    SelfTestResult.objects.filter(user=user).delete()


def export_agreements(user) -> list[dict]:
    return [
        {
            "organisation": a.organisation.name,
            "conversation_date": a.conversation_date,
            "contribution": a.contribution,
            "hours_per_week": a.hours_per_week,
            "training": a.training,
            "other_support": a.other_support,
            "review_date": a.review_date,
            "travel_goal": a.travel_goal,
            "questions": a.questions.splitlines(),
            "confirmed_at": a.member_confirmed_at,
        }
        for a in DevelopmentAgreement.objects.filter(user=user).select_related("organisation")
    ]


def erase_agreements(user) -> None:
    DevelopmentAgreement.objects.filter(user=user).delete()
    DevelopmentAgreement.objects.filter(recorded_by=user).update(recorded_by=None)


def register_member_parts() -> None:
    personal_data.register("account", export_account, erase_account)
    personal_data.register("roles", export_roles, erase_roles)
    personal_data.register("managerships", export_managerships, erase_managerships)
    personal_data.register("self_test_results", export_selftest, erase_selftest)
    personal_data.register("development_agreements", export_agreements, erase_agreements)


# --- export and erasure -----------------------------------------------------


def personal_data_export(*, actor) -> dict:
    """Everything the platform keeps about the actor, part by part."""
    permissions.require(actor.is_authenticated)
    data = {"exported_at": timezone.now()}
    for part in personal_data.parts():
        data[part.name] = part.exporter(actor)
    return data


def personal_data_export_json(*, actor) -> str:
    return json.dumps(
        personal_data_export(actor=actor), cls=DjangoJSONEncoder, ensure_ascii=False, indent=2
    )


def erasure_blockers(user) -> list:
    """Active communities the person is the only current moderator of."""
    return communities_only_moderated_by(user)


def _end_sessions(user) -> None:
    """The user's sessions end (the unusable password invalidates them too: Django
    checks the password hash). Deleted through the session store, so that the
    cached copies of settings.SESSION_ENGINE (cached_db) go with the rows."""
    store = import_module(settings.SESSION_ENGINE).SessionStore
    for session in Session.objects.filter(expire_date__gt=timezone.now()):
        if str(session.get_decoded().get("_auth_user_id")) == str(user.pk):
            store().delete(session.session_key)


@transaction.atomic
def account_erase(*, actor) -> None:
    """The member erases their own account.

    Refused (ValidationError, nothing changed) while they are the last current
    moderator of an active community. Otherwise every registered part erases its
    data, then the account row is anonymised: name, e-mail and username replaced,
    unusable password, staff rights and groups gone, e-mail addresses deleted,
    sessions ended. The row stays so that contributions others rely on keep
    pointing somewhere; it shows as "removed member"."""
    permissions.require(actor.is_authenticated)
    blockers = erasure_blockers(actor)
    if blockers:
        raise ValidationError(
            _(
                "You are the only moderator of %(communities)s. Hand the role over to "
                "someone else first; then you can erase your account."
            )
            % {"communities": ", ".join(community.title for community in blockers)}
        )
    user = get_user_model().objects.select_for_update().get(pk=actor.pk)
    for part in personal_data.parts():
        part.eraser(user)
    EmailAddress.objects.filter(user=user).delete()
    _end_sessions(user)
    user.username = f"verwijderd-{user.pk}"
    user.email = f"verwijderd-{user.pk}@{ERASED_EMAIL_DOMAIN}"
    user.first_name = ""
    user.last_name = ""
    user.is_active = False
    user.is_staff = False
    user.is_superuser = False
    user.erased_at = timezone.now()
    user.set_unusable_password()
    # The parts above erase with QuerySet.update()/delete() too; this full save of
    # the user row ends every cached page, visitors' and members' (page_cache.py).
    user.save()
    user.groups.clear()
    user.user_permissions.clear()
    wagtail_profile = getattr(user, "wagtail_userprofile", None)
    if wagtail_profile is not None:
        wagtail_profile.delete()
    permissions.forget(user)
    if actor is not user:
        actor.erased_at = user.erased_at
