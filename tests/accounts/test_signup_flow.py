"""Signing up, verifying the address, logging in and out; the admin's login goes
through allauth."""

import re

import pytest
from bs4 import BeautifulSoup
from django.core import mail

EMAIL = "lezer@bibliotheek.example"
PASSWORD = "leesbevordering-in-de-wijk"
CONFIRMATION_LINK = re.compile(r"https?://testserver(/\S*/confirm-email/[^/\s]+/)")


@pytest.fixture
def signed_up(client, site_tree):
    """A visitor who filled in the signup form; returns the confirmation path."""
    response = client.post(
        "/accounts/signup/", {"email": EMAIL, "password1": PASSWORD, "password2": PASSWORD}
    )
    assert response.status_code == 302, "signup form rejected"
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [EMAIL]
    match = CONFIRMATION_LINK.search(message.body)
    assert match, f"no confirmation link in:\n{message.body}"
    return match.group(1)


def logged_in_email(client) -> str | None:
    """Who is logged in, as the page shows it: the account menu offers "log out"
    only to a logged-in member."""
    response = client.get("/")
    user = response.context["user"]
    logout_button = BeautifulSoup(response.content, "html.parser").select_one(
        '.account-menu form[action="/accounts/logout/"] button'
    )
    assert (logout_button is not None) == user.is_authenticated
    return user.email if user.is_authenticated else None


def log_in(client, email=EMAIL, password=PASSWORD):
    return client.post("/accounts/login/", {"login": email, "password": password})


def test_signup_verify_login_logout(client, signed_up):
    assert logged_in_email(client) is None  # verification is mandatory

    assert client.get(signed_up).status_code == 200  # the confirmation page
    response = client.post(signed_up)
    assert response.status_code == 302
    assert logged_in_email(client) == EMAIL  # confirming in the same browser logs in

    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    assert logged_in_email(client) is None

    response = log_in(client)
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert logged_in_email(client) == EMAIL

    client.post("/accounts/logout/")
    assert logged_in_email(client) is None


def test_login_before_verification_is_refused(client, signed_up):
    client.logout()

    response = log_in(client)

    assert logged_in_email(client) is None
    assert response.status_code == 302
    assert "/confirm-email/" in response["Location"]  # "check your e-mail"


def test_wrong_password_is_refused(client, user):
    response = log_in(client, email=user.email, password="not-the-password")

    assert response.status_code == 200  # the form again, with an error
    assert response.context["form"].errors
    assert client.get("/").context["user"].is_anonymous


def test_logout_needs_a_post(client, user):
    client.force_login(user)

    client.get("/accounts/logout/")  # a confirmation page, not a logout (CSRF-safe)

    assert client.get("/").context["user"] == user


def test_admin_login_redirects_to_the_allauth_login(client, db):
    response = client.get("/admin/login/?next=/admin/")

    assert response.status_code in (301, 302)
    assert response["Location"] == "/accounts/login/?next=/admin/"


def test_anonymous_admin_redirects_to_the_allauth_login(client, db):
    response = client.get("/admin/", follow=True)

    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == "/accounts/login/?next=/admin/"
