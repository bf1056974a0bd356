"""What a member's page header needs to know about them (communities/permissions.py):
their memberships, moderatorships, managerships, coordinator group and admin access
come from one query, and Wagtail's user bar shows for the people the admin is open
to, and only for them."""

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Group, Permission
from django.test import Client

from communities import permissions
from cop_platform.wording import EDITORS_GROUP

pytestmark = pytest.mark.django_db


def has_user_bar(user, community) -> bool:
    client = Client()
    client.force_login(user)
    response = client.get(community.url)
    assert response.status_code == 200
    page = BeautifulSoup(response.content, "html.parser")
    return page.select_one("template#wagtail-userbar-template") is not None


def test_every_fact_of_a_member_in_one_query(
    moderator, community, other_community, join, django_assert_num_queries
):
    join(moderator, other_community)
    permissions.forget(moderator)
    with django_assert_num_queries(1):
        assert permissions.is_current_moderator(moderator, community)
        assert not permissions.is_current_moderator(moderator, other_community)
        assert permissions.is_active_member(moderator, other_community)
        assert not permissions.is_coordinator(moderator)
        assert not permissions.is_manager(moderator)
        assert not permissions.may_open_admin(moderator)


def test_the_user_bar_shows_for_the_people_the_admin_is_open_to(
    moderator, community, coordinator, make_user
):
    editor = make_user(name="Eva Redacteur")
    editor.groups.add(Group.objects.get(name=EDITORS_GROUP))  # through a group
    helper = make_user(name="Henk Helper")
    helper.user_permissions.add(
        Permission.objects.get(codename="access_admin", content_type__app_label="wagtailadmin")
    )  # given to the person
    assert has_user_bar(editor, community)
    assert has_user_bar(helper, community)
    assert has_user_bar(coordinator, community)  # a superuser
    assert not has_user_bar(moderator, community)  # moderating is no admin access
