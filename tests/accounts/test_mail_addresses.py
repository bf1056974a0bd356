"""Links in e-mails lead to the site's configured address (BASE_URL), whatever host
the request that caused them came in on; allauth's mails greet with the site's
name, and name a new member as the site does (never by the generated username)."""

import re

import pytest
from django.core import mail

from members.models import User
from tests.factories import UserFactory
from tests.views_support import soup

PUBLIC = "https://communities.example.org"
PASSWORD = "leesbevordering-in-de-wijk"
GREETING = {"nl": "Hallo van Bibliotheekcommunities!", "en": "Hello from Bibliotheekcommunities!"}
PREFIX = {"nl": "", "en": "/en"}


@pytest.fixture(autouse=True)
def public_address(settings):
    settings.WAGTAILADMIN_BASE_URL = PUBLIC
    mail.outbox.clear()


def links(body: str) -> list[str]:
    return re.findall(r"https?://\S+", body)


@pytest.mark.parametrize("language", PREFIX)
def test_the_verification_mail_links_to_the_configured_address(client, site_tree, language):
    # Someone already has the username allauth would derive from the address, so
    # the new account's username is a generated one.
    UserFactory(username="lezer", email="lezer@elders.example")

    response = client.post(
        f"{PREFIX[language]}/accounts/signup/",
        {"email": "lezer@bibliotheek.example", "password1": PASSWORD, "password2": PASSWORD},
        HTTP_HOST="127.0.0.1:8000",
        SERVER_NAME="127.0.0.1",
    )

    assert response.status_code == 302
    [message] = mail.outbox
    body = message.body
    assert body.startswith(GREETING[language])
    assert "127.0.0.1" not in body and "testserver" not in body
    [confirm] = [url for url in links(body) if "/confirm-email/" in url]
    assert confirm.startswith(f"{PUBLIC}{PREFIX[language]}/accounts/confirm-email/")
    new = User.objects.get(email="lezer@bibliotheek.example")
    assert new.username != "lezer"
    assert new.username not in body  # named as the site names them: "lezer"
    assert " lezer " in body


def test_the_password_reset_mail_links_to_the_configured_address(client, site_tree, user):
    response = client.post(
        "/accounts/password/reset/",
        {"email": user.email},
        HTTP_HOST="127.0.0.1:8000",
        SERVER_NAME="127.0.0.1",
    )

    assert response.status_code == 302
    [message] = mail.outbox
    [reset] = [url for url in links(message.body) if "/password/reset/" in url]
    assert reset.startswith(f"{PUBLIC}/accounts/password/reset/key/")
    assert message.body.startswith(GREETING["nl"])


def test_a_notification_mail_links_to_the_configured_address(
    django_capture_on_commit_callbacks, moderator, apply, applicant, community
):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        apply(applicant, community, haal="Ideeën voor een leesclub.", breng="Een draaiboek.")

    [message] = mail.outbox
    assert f"{PUBLIC}{community.url}" in message.body
    assert all(url.startswith(PUBLIC) for url in links(message.body))


def test_a_new_account_is_named_by_its_address_on_the_site(client, site_tree):
    UserFactory(username="lezer", email="lezer@elders.example")
    client.post(
        "/accounts/signup/",
        {"email": "lezer@bibliotheek.example", "password1": PASSWORD, "password2": PASSWORD},
    )
    new = User.objects.get(email="lezer@bibliotheek.example")
    assert new.username != "lezer"

    assert str(new) == "lezer"
    client.force_login(new)
    page = client.get("/")
    assert soup(page).select_one(".account-menu__name").get_text(strip=True) == "lezer"
    assert new.username not in page.content.decode()
