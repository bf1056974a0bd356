"""Writes concerning people, their profiles and accounts."""

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import translation

from cop_platform.sanitize import clean_text, one_line
from members.models import MemberProfile, Organisation


def profile_ensure(*, user) -> MemberProfile:
    """The user's profile, created on first use (first login) with a display name
    taken from their name or e-mail address and the language they use now."""
    profile = MemberProfile.objects.filter(user=user).select_related("organisation").first()
    if profile is not None:
        return profile
    name = user.get_full_name() or user.email.split("@")[0]
    profile, _created = MemberProfile.objects.get_or_create(
        user=user,
        defaults={
            "display_name": name[:120],
            "language": translation.get_language() or "nl",
        },
    )
    return profile


@transaction.atomic
def profile_update(
    *,
    actor,
    display_name: str,
    organisation: Organisation | None,
    job_title: str = "",
    bio: str = "",
    language: str = "nl",
) -> MemberProfile:
    """A member edits their own profile (only their own: the actor is the owner)."""
    profile = profile_ensure(user=actor)
    profile.display_name = one_line(display_name)
    profile.organisation = organisation
    profile.job_title = one_line(job_title)
    profile.bio = clean_text(bio)
    profile.language = language
    profile.full_clean()
    profile.save()
    return profile


@transaction.atomic
def ensure_dev_coordinator(*, email: str, password: str):
    """A superuser with a verified primary e-mail address (allauth's mandatory
    verification would otherwise refuse the login). Development only: callers
    check DEBUG. Idempotent; resets the password to the printed one."""
    User = get_user_model()
    user, _created = User.objects.get_or_create(
        email=email,
        defaults={
            "username": email.split("@")[0],
            "first_name": "Demo",
            "last_name": "Coordinator",
        },
    )
    user.is_staff = True
    user.is_superuser = True
    user.set_password(password)
    user.save()
    EmailAddress.objects.update_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )
    profile_ensure(user=user)
    return user


@transaction.atomic
def profile_set_notification_preferences(
    *, actor, mention_email: bool, follow_email_mode: str
) -> MemberProfile:
    """A member chooses which forum e-mails they get (their own profile only)."""
    profile = profile_ensure(user=actor)
    profile.mention_email = mention_email
    profile.follow_email_mode = follow_email_mode
    profile.full_clean()
    profile.save(update_fields=["mention_email", "follow_email_mode"])
    return profile
