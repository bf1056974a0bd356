"""The Dutch account pages speak like the rest of the site: "je" (never "u"),
"inloggen" for logging in ("aanmelden" is applying to a community), and the
password hints of Django's validators in the same voice (issue 13, item 12)."""

import re

import pytest
from bs4 import BeautifulSoup

from tests.views_support import client_for

pytestmark = pytest.mark.django_db

FORMAL = re.compile(r"\b(u|uw|a\.u\.b)\b", re.IGNORECASE)
SIGN_IN_AS_APPLYING = re.compile(r"\b(aan|af)(ge)?meld", re.IGNORECASE)

ANONYMOUS_PAGES = [
    "/accounts/login/",
    "/accounts/signup/",
    "/accounts/password/reset/",
    "/accounts/password/reset/done/",
    "/accounts/confirm-email/",
]
MEMBER_PAGES = ["/accounts/logout/", "/accounts/password/change/", "/accounts/email/"]


def page_text(response) -> str:
    page = BeautifulSoup(response.content, "html.parser")
    for script in page.select("script, style"):
        script.decompose()
    return " ".join(page.get_text(" ").split())


@pytest.mark.parametrize("url", ANONYMOUS_PAGES + MEMBER_PAGES)
def test_dutch_account_pages_say_je_and_inloggen(site_tree, user, url):
    client = client_for(user if url in MEMBER_PAGES else None)
    response = client.get(url, follow=True)
    assert response.status_code == 200
    text = page_text(response)
    assert not FORMAL.findall(text), text
    assert not SIGN_IN_AS_APPLYING.findall(text), text


def test_the_password_hints_and_errors_say_je(site_tree):
    response = client_for().get("/accounts/signup/")
    hints = page_text(response)
    assert "Je wachtwoord mag niet alleen uit cijfers bestaan." in hints
    assert "Je wachtwoord mag niet te veel lijken op je andere persoonlijke gegevens." in hints

    from tests.views_support import post_form

    response = post_form(
        client_for(),
        "/accounts/signup/",
        {"email": "nieuw@bibliotheek.example", "password1": "12345678", "password2": "12345678"},
    )
    text = page_text(response)
    assert not FORMAL.findall(text), text
