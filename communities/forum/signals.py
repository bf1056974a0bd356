"""Announcements the forum listens to. The work is done elsewhere: this only tells
the open websockets of a person whose session or account has ended to close.

The consumers also re-check access before relaying and on every client message;
these announcements make the close immediate, also on an idle socket."""

from allauth.account.signals import password_changed, password_reset, password_set
from django.conf import settings
from django.contrib.auth.signals import user_logged_out
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from communities.forum.broadcast import close_sockets_on_commit


@receiver(user_logged_out)
def close_sockets_on_logout(sender, request, user, **kwargs):
    if user is None:
        return
    session_key = getattr(getattr(request, "session", None), "session_key", None)
    close_sockets_on_commit(user.pk, session_key=session_key)


@receiver(post_save, sender=settings.AUTH_USER_MODEL)
def close_sockets_of_inactive_account(sender, instance, created, **kwargs):
    """An account that can no longer log in: deactivated in the Wagtail admin's user
    form, or erased (members.services.personal_data.account_erase). The Wagtail
    admin's bulk "set active state" bypasses save(): see wagtail_hooks.py."""
    if not created and not instance.is_active:
        close_sockets_on_commit(instance.pk)


@receiver(post_delete, sender=settings.AUTH_USER_MODEL)
def close_sockets_of_deleted_account(sender, instance, **kwargs):
    close_sockets_on_commit(instance.pk)


@receiver(password_changed)
@receiver(password_set)
@receiver(password_reset)
def close_sockets_on_password_change(sender, request, user, **kwargs):
    """A new password ends the account's other sessions (their auth hash no longer
    matches); its open sockets close now rather than at their next safety check.
    The page the person changed it on reconnects when reloaded."""
    close_sockets_on_commit(user.pk)
