"""The error pages as people meet them: in their language (Dutch at /, English
under /en/), in the site layout with the header's way back, saying what happened
and what to do; the admin refused to a member without a redirect loop; the 500
page without database or context processors."""

import uuid

import pytest
from django.test import RequestFactory
from django.utils import translation
from django.views.defaults import server_error

from communities.services.memberships import membership_accept, membership_apply
from communities.services.moderators import moderator_appoint
from members.services import profile_update
from tests.factories import UserFactory
from tests.views_support import client_for, default_language, main_text, soup, subpage_url

LANGUAGES = {"nl": "", "en": "/en"}

NOT_FOUND = {
    "nl": ("Deze pagina bestaat niet", "Controleer het adres"),
    "en": ("This page does not exist", "Check the address"),
}
FORBIDDEN = {
    "nl": "Je hebt geen toegang tot deze pagina",
    "en": "You do not have access to this page",
}
MODERATORS_ONLY = {
    "nl": (
        "Alleen de moderators van {community} en de netwerkcoördinatoren kunnen deze pagina zien."
    ),
    "en": "Only the moderators of {community} and the network coordinators may see this page.",
}
COORDINATORS_ONLY = {
    "nl": "Alleen de netwerkcoördinatoren kunnen deze pagina zien.",
    "en": "Only the network coordinators may see this page.",
}
ADMIN_REFUSED = {
    "nl": (
        "De beheeromgeving is alleen voor de redacteuren van de site, die de "
        "communitypagina's bewerken. Moet er iets op een pagina veranderen? "
        "Vraag het een netwerkcoördinator."
    ),
    "en": (
        "The admin is only for the editors of the site, who edit the community pages. "
        "Does something on a page need to change? Ask a network coordinator."
    ),
}
CSRF = {
    "nl": ("Je formulier kon niet worden verstuurd", "Laad de pagina daarna opnieuw"),
    "en": ("Your form could not be sent", "Then reload the page"),
}
SERVER_ERROR = {
    "nl": ("Er ging bij ons iets mis", "Probeer het over een paar minuten opnieuw."),
    "en": ("Something went wrong on our side", "Try again in a few minutes."),
}


@pytest.fixture(autouse=True)
def _default_language():
    with default_language():
        yield


@pytest.fixture
def member(db):
    user = UserFactory()
    profile_update(actor=user, display_name="Lotte Lid", organisation=None, language="nl")
    return user


def assert_site_page(response, language: str, status: int) -> None:
    """The status, the page's language and the site header with its way home."""
    assert response.status_code == status
    page = soup(response)
    assert page.html["lang"] == language
    logo = page.select_one("header.site-header a.site-logo")
    assert logo is not None, "no site header"
    assert logo["href"] == ("/" if language == "nl" else "/en/")
    assert page.select_one("main#main h1") is not None


@pytest.mark.parametrize("language", LANGUAGES)
def test_404_is_a_site_page_in_the_visitors_language(client, site_tree, language):
    response = client.get(f"{LANGUAGES[language]}/bestaat-niet/")

    assert_site_page(response, language, 404)
    heading, advice = NOT_FOUND[language]
    assert soup(response).h1.get_text(strip=True) == heading
    assert advice in main_text(response)
    home = soup(response).select_one("main a[href]")["href"]
    assert home == ("/" if language == "nl" else "/en/")


@pytest.mark.parametrize("language", LANGUAGES)
def test_403_on_a_moderation_page_says_who_may_see_it(communities, member, language):
    community = communities[0]
    client = client_for(member)

    response = client.get(LANGUAGES[language] + subpage_url(community, "moderation"))

    assert_site_page(response, language, 403)
    assert soup(response).h1.get_text(strip=True) == FORBIDDEN[language]
    assert MODERATORS_ONLY[language].format(community=community.title) in main_text(response)


@pytest.mark.parametrize("language", LANGUAGES)
def test_403_on_a_coordinator_page_says_only_coordinators(site_tree, member, language):
    client = client_for(member)

    response = client.get(f"{LANGUAGES[language]}/coordinatie/moderatoren/")

    assert_site_page(response, language, 403)
    assert COORDINATORS_ONLY[language] in main_text(response)


def test_a_moderator_still_sees_the_moderation_page(communities, member):
    """The 403 texts change nothing about who gets in."""
    coordinator = UserFactory(is_superuser=True, is_staff=True)
    community = communities[0]
    membership = membership_apply(
        actor=member, community=community, haal="Tips", breng="Ervaring", organisation=None
    )
    membership_accept(actor=coordinator, membership=membership)
    moderator_appoint(actor=coordinator, community=community, user=member)

    response = client_for(member).get(subpage_url(community, "moderation"))

    assert response.status_code == 200


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_member_opening_the_admin_gets_a_403_not_a_login_loop(site_tree, member, language):
    # /admin/ has no language prefix: the page speaks the member's own language.
    profile_update(actor=member, display_name="Lotte Lid", organisation=None, language=language)
    client = client_for(member)

    response = client.get("/admin/", follow=True)

    assert len(response.redirect_chain) == 1, response.redirect_chain
    assert response.redirect_chain[0][0].startswith("/admin/login/")
    assert_site_page(response, language, 403)
    text = main_text(response)
    assert ADMIN_REFUSED[language] in text
    # Wagtail's own refusal is not shown on top of it, nor on the next page.
    assert soup(response).select_one(".messages") is None
    assert soup(client.get("/")).select_one(".messages") is None


def test_an_editor_still_opens_the_admin(site_tree):
    coordinator = UserFactory(is_superuser=True, is_staff=True)

    assert client_for(coordinator).get("/admin/").status_code == 200


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_form_without_a_valid_token_gets_the_csrf_page(site_tree, member, language):
    client = client_for(member)  # enforces CSRF like a browser

    response = client.post(f"{LANGUAGES[language]}/profiel/", {"display_name": "X"})

    assert_site_page(response, language, 403)
    heading, advice = CSRF[language]
    assert soup(response).h1.get_text(strip=True) == heading
    assert advice in main_text(response)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_500_page_needs_no_database_and_looks_like_the_site(
    site_tree, language, django_assert_num_queries
):
    request = RequestFactory().get(f"{LANGUAGES[language]}/")
    with translation.override(language), django_assert_num_queries(0):
        response = server_error(request)

    assert_site_page(response, language, 500)
    page = soup(response)
    heading, advice = SERVER_ERROR[language]
    assert page.h1.get_text(strip=True) == heading
    assert advice in main_text(response)
    assert page.select_one('link[rel=stylesheet][href="/static/css/site.css"]') is not None


TOO_MANY = {
    "nl": ("Te veel pogingen", "Wacht een paar minuten"),
    "en": ("Too many attempts", "Wait a few minutes"),
}


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_429_page_is_a_site_page(client, site_tree, settings, language):
    settings.ACCOUNT_RATE_LIMITS = {"signup": "1/m/ip"}
    settings.CACHES = {
        **settings.CACHES,
        "default": {
            **settings.CACHES["default"],
            "KEY_PREFIX": f"429-{language}-{uuid.uuid4().hex}",
        },
    }
    url = f"{LANGUAGES[language]}/accounts/signup/"
    data = {"password1": "leesbevordering-in-de-wijk", "password2": "leesbevordering-in-de-wijk"}
    client.post(url, {**data, "email": "een@bibliotheek.example"})

    response = client.post(url, {**data, "email": "twee@bibliotheek.example"})

    assert_site_page(response, language, 429)
    heading, advice = TOO_MANY[language]
    assert soup(response).h1.get_text(strip=True) == heading
    assert advice in main_text(response)
