"""Helpers for view tests that go through the real request stack.

Every POST made with these helpers is CSRF-checked: the client enforces the
checks and the token comes from the page a person would have filled in (or,
when that page is not theirs to open, from the csrftoken cookie that the
login form sets: the public pages set no cookie, so that they can be cached).
"""

from contextlib import contextmanager
from urllib.parse import parse_qs, urlsplit

from bs4 import BeautifulSoup
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import translation

from communities.models import Membership, MembershipTransition, Moderatorship


def client_for(user=None) -> Client:
    """A browser-like client that enforces CSRF; logged in as `user` when given."""
    client = Client(enforce_csrf_checks=True)
    if user is not None:
        client.force_login(user)
    return client


def subpage_url(page, name: str, *args) -> str:
    """The URL of one of a RoutablePage's routes, as the templates link to it."""
    return page.url + page.reverse_subpage(name, args=args)


def csrf_token(client: Client, form_url: str, fallback_url: str = "/") -> str:
    """The CSRF token from the form at `form_url`; when that page does not render
    (403, 404, redirect), from the cookie that `fallback_url` or else the login
    form sets."""
    response = client.get(form_url)
    if response.status_code == 200:
        field = BeautifulSoup(response.content, "html.parser").select_one(
            "input[name=csrfmiddlewaretoken]"
        )
        if field is not None:
            return field["value"]
    if "csrftoken" not in client.cookies:
        assert client.get(fallback_url).status_code == 200
    if "csrftoken" not in client.cookies:  # a public page: cacheable, so no cookie
        assert client.get(reverse("account_login")).status_code == 200
    return client.cookies["csrftoken"].value


def post_form(
    client: Client,
    url: str,
    data: dict,
    *,
    form_url: str | None = None,
    fallback_url: str = "/",
    **kwargs,
):
    """POST `data` to `url` with the CSRF token of the form page (default: `url`)."""
    token = csrf_token(client, form_url or url, fallback_url)
    return client.post(url, {"csrfmiddlewaretoken": token, **data}, **kwargs)


def login_redirect_target(response) -> str | None:
    """The `next` of a redirect to the login page, or None if it is no such redirect."""
    if response.status_code != 302:
        return None
    parts = urlsplit(response["Location"])
    if parts.path != reverse("account_login"):
        return None
    return parse_qs(parts.query).get("next", [None])[0]


def soup(response) -> BeautifulSoup:
    return BeautifulSoup(response.content.decode(), "html.parser")


def visible_text(response) -> str:
    """The text of the page as a person reads it (tags removed, whitespace collapsed)."""
    return " ".join(soup(response).get_text(" ").split())


def world() -> dict:
    """Everything the membership and moderation views may change, for "nothing
    changed" assertions."""
    return {
        "memberships": sorted(
            Membership.objects.values_list(
                "pk", "user_id", "community_id", "state", "haal", "breng", "moderator_message"
            )
        ),
        "topics": sorted(
            Membership.haal_topics.through.objects.values_list("membership_id", "topic_id")
        )
        + sorted(Membership.breng_topics.through.objects.values_list("membership_id", "topic_id")),
        "transitions": MembershipTransition.objects.count(),
        "terms": sorted(
            Moderatorship.objects.values_list(
                "pk", "user_id", "community_id", "start_date", "end_date"
            )
        ),
    }


def main_text(response) -> str:
    """The text of the page's <main> only (not the header with the person's own name,
    nor the messages above it)."""
    main = soup(response).select_one("main")
    return " ".join(main.get_text(" ").split())


@contextmanager
def default_language():
    """Run in the default language (Dutch). A request activates its language in the
    thread that handles it and nothing switches it back, so a test that visited an
    /en/ page would otherwise leave `page.url` and gettext English for the next."""
    with translation.override(settings.LANGUAGE_CODE):
        yield


def form_data(form) -> dict:
    """What a browser submits for `form` as it stands (checked boxes, selected options)."""
    data: dict[str, list[str]] = {}
    for field in form.select("input[name], select[name], textarea[name]"):
        name = field["name"]
        if field.name == "select":
            values = [option.get("value", "") for option in field.select("option[selected]")]
        elif field.name == "textarea":
            values = [field.get_text()]
        elif field.get("type") in ("checkbox", "radio"):
            values = [field.get("value", "on")] if field.has_attr("checked") else []
        elif field.get("type") in ("submit", "button", "file"):
            values = []
        else:
            values = [field.get("value", "")]
        data.setdefault(name, []).extend(values)
    return data
