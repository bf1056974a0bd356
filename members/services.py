"""Writes concerning people and their accounts."""

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.db import transaction


@transaction.atomic
def ensure_dev_coordinator(*, email: str, password: str):
    """A superuser with a verified primary e-mail address (allauth's mandatory
    verification would otherwise refuse the login). Development only: callers
    check DEBUG. Idempotent; resets the password to the printed one."""
    User = get_user_model()
    user, _created = User.objects.get_or_create(
        email=email,
        defaults={"username": email.split("@")[0], "first_name": "Demo", "last_name": "Coordinator"},
    )
    user.is_staff = True
    user.is_superuser = True
    user.set_password(password)
    user.save()
    EmailAddress.objects.update_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )
    return user
