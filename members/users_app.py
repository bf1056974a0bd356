"""Wagtail's users app with this platform's user forms (members/wagtail_users.py).

A module of its own: INSTALLED_APPS imports it before the models are ready, so it
may import nothing but the app config it extends."""

from wagtail.users.apps import WagtailUsersAppConfig


class UsersAppConfig(WagtailUsersAppConfig):
    user_viewset = "members.wagtail_users.UserViewSet"
