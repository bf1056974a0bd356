"""The Wagtail admin's user screens (members/wagtail_users.py): members sign up with
an e-mail address only, so a coordinator must be able to change their account
without inventing a first and last name."""

from django.contrib.auth import get_user_model
from django.urls import reverse

from tests.views_support import client_for, form_data, soup


def test_a_coordinator_deactivates_a_member_who_has_no_first_and_last_name(coordinator, make_user):
    member = make_user(name="Naamloos", email="naamloos@example.org")
    assert member.first_name == member.last_name == ""
    admin = client_for(coordinator)
    url = reverse("wagtailusers_users:edit", args=[member.pk])
    data = form_data(soup(admin.get(url)).select_one("form[method=post]"))
    assert data.pop("is_active") == ["on"]

    response = admin.post(url, data)

    assert response.status_code == 302, soup(response).select(".error-message")
    member = get_user_model().objects.get(pk=member.pk)
    assert not member.is_active
    assert member.first_name == member.last_name == ""


def test_the_admin_still_refuses_a_user_without_an_email_address(coordinator, make_user):
    member = make_user(name="Naamloos", email="naamloos@example.org")
    admin = client_for(coordinator)
    url = reverse("wagtailusers_users:edit", args=[member.pk])
    data = form_data(soup(admin.get(url)).select_one("form[method=post]"))
    data["email"] = [""]

    response = admin.post(url, data)

    assert response.status_code == 200
    assert get_user_model().objects.get(pk=member.pk).email == "naamloos@example.org"
