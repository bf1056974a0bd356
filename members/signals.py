"""Announcements from allauth that members act on. The work is in services."""

from allauth.account.signals import user_logged_in
from django.dispatch import receiver

from members.services import profile_ensure


@receiver(user_logged_in)
def create_profile_on_first_login(sender, request, user, **kwargs):
    profile_ensure(user=user)
