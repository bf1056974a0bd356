"""Abuse limits: failed logins are throttled per account and per address (the
Wagtail admin included), a password reset answers alike for known and unknown
addresses, writes others must read are limited per person, and each limit says
so in the reader's language.

allauth's limits are off in the test settings; here they are switched on with
the values of cop_platform/settings/base.py, counted in a cache namespace of
their own (so nothing left by another test counts, and nothing else is flushed).
The clocks of both rate limiters are frozen: a window cannot roll over mid-test.
"""

import time
import uuid
from types import SimpleNamespace
from unittest import mock

import pytest
from django.core import mail
from django.utils import translation
from django.utils.translation import gettext

from communities.forum.models import Post, Thread
from communities.forum.services import thread_create
from communities.models import Membership
from cop_platform.settings import base as base_settings
from tests.factories import DEFAULT_PASSWORD, UserFactory
from tests.views_support import client_for, post_form, subpage_url, visible_text
from todo_lists.models import Phase, Status, TodoComment, TodoProposal
from todo_lists.services import todo_item_create

LOGIN = "/accounts/login/"
RESET = "/accounts/password/reset/"
TOO_MANY_LOGINS = {
    "nl": "Te veel inlogpogingen. Probeer het later nogmaals.",
    "en": "Too many failed login attempts. Try again later.",
}
TOO_MANY_REQUESTS = {
    "nl": "Je hebt dit in korte tijd te vaak geprobeerd.",
    "en": "You have tried this too often in a short time.",
}


@pytest.fixture
def frozen_clocks():
    frozen = time.time()
    allauth_time = SimpleNamespace(time=lambda: frozen, monotonic=time.monotonic, sleep=time.sleep)
    with (
        mock.patch("allauth.core.internal.ratelimit.time", allauth_time),
        mock.patch("django_ratelimit.core.time", SimpleNamespace(time=lambda: frozen)),
    ):
        yield


@pytest.fixture
def account_limits(settings, frozen_clocks):
    """allauth's rate limits as configured for production, in a fresh cache namespace."""
    settings.ACCOUNT_RATE_LIMITS = base_settings.ACCOUNT_RATE_LIMITS
    settings.CACHES = {
        **settings.CACHES,
        "default": {**settings.CACHES["default"], "KEY_PREFIX": f"abuse-{uuid.uuid4().hex}"},
    }


@pytest.fixture
def person(db):
    """An account that can log in."""
    return UserFactory(email="lezer@bibliotheek.example")


def _log_in(client, email, password, *, ip, prefix=""):
    return client.post(f"{prefix}{LOGIN}", {"login": email, "password": password}, REMOTE_ADDR=ip)


def _logged_in(client) -> bool:
    return "_auth_user_id" in client.session


# --- failed logins ----------------------------------------------------------------


@pytest.mark.parametrize("language, prefix", [("nl", ""), ("en", "/en")])
def test_one_account_is_throttled_whatever_address_the_guesses_come_from(
    client, person, account_limits, site_tree, language, prefix
):
    """5 failed logins for one account in 5 minutes, each from another address:
    the next attempt is refused, even with the right password."""
    for n in range(5):
        response = _log_in(client, person.email, f"guess-{n}", ip=f"198.51.100.{n + 1}")
        assert response.status_code == 200
        assert TOO_MANY_LOGINS[language] not in visible_text(response)

    response = _log_in(client, person.email, DEFAULT_PASSWORD, ip="198.51.100.99", prefix=prefix)

    assert TOO_MANY_LOGINS[language] in visible_text(response)
    assert not _logged_in(client)


def test_many_accounts_from_one_address_are_throttled(client, person, account_limits, site_tree):
    """10 failed logins from one address in a minute, each for another account:
    the address is refused, also for an account nobody guessed at."""
    for n in range(10):
        _log_in(client, f"naam{n}@bibliotheek.example", "welkom123", ip="203.0.113.7")

    response = _log_in(client, person.email, DEFAULT_PASSWORD, ip="203.0.113.7")

    assert TOO_MANY_LOGINS["nl"] in visible_text(response)
    assert not _logged_in(client)
    # Another address is not affected.
    response = _log_in(client, person.email, DEFAULT_PASSWORD, ip="203.0.113.8")
    assert response.status_code == 302 and _logged_in(client)


def test_the_admin_login_is_the_throttled_login(client, person, account_limits, site_tree):
    """/admin/login/ is only a redirect to allauth's login, for a POST too: posting
    credentials there logs nobody in, and the throttle counted on the site's login
    form holds for someone who then goes to the admin."""
    response = client.post(
        "/admin/login/?next=/admin/",
        {"username": person.email, "password": DEFAULT_PASSWORD},
        REMOTE_ADDR="192.0.2.1",
    )
    assert response.status_code == 302
    assert response["Location"] == f"{LOGIN}?next=/admin/"
    assert not _logged_in(client)

    for n in range(5):
        _log_in(client, person.email, f"guess-{n}", ip="192.0.2.1")
    # /admin/ → /admin/login/ → the site's login form.
    admin = client.get("/admin/", REMOTE_ADDR="192.0.2.2", follow=True)
    login_url = admin.redirect_chain[-1][0]
    assert login_url == f"{LOGIN}?next=/admin/"
    response = client.post(
        login_url,
        {"login": person.email, "password": DEFAULT_PASSWORD},
        REMOTE_ADDR="192.0.2.2",
    )

    assert TOO_MANY_LOGINS["nl"] in visible_text(response)
    assert not _logged_in(client)
    assert client.get("/admin/").status_code == 302


# --- password reset ---------------------------------------------------------------


def _request_reset(email, *, ip="192.0.2.10"):
    """What a visitor sees after asking for a reset: the answer and the page it leads to."""
    client = client_for()
    response = post_form(client, RESET, {"email": email}, REMOTE_ADDR=ip)
    page = client.get(response["Location"]) if response.status_code == 302 else response
    assert page.status_code == 200
    return response, visible_text(page).replace(email, "<address>")


def test_password_reset_answers_alike_for_known_and_unknown_addresses(person, site_tree):
    known, known_page = _request_reset(person.email)
    known_mail = list(mail.outbox)
    mail.outbox.clear()
    unknown, unknown_page = _request_reset("niemand@bibliotheek.example")

    assert (known.status_code, known["Location"]) == (302, "/accounts/password/reset/done/")
    assert (unknown.status_code, unknown["Location"]) == (known.status_code, known["Location"])
    assert unknown_page == known_page
    # Only the mailbox tells them apart: the account holder gets a reset link, the
    # unknown address a note that it has no account here (ACCOUNT_PREVENT_ENUMERATION).
    assert [m.to for m in known_mail] == [[person.email]]
    assert "/accounts/password/reset/key/" in known_mail[0].body
    assert [m.to for m in mail.outbox] == [["niemand@bibliotheek.example"]]
    assert "/accounts/password/reset/key/" not in mail.outbox[0].body
    assert mail.outbox[0].subject != known_mail[0].subject


@pytest.mark.parametrize("language, prefix", [("nl", ""), ("en", "/en")])
def test_password_reset_requests_are_throttled_per_address(
    client, person, account_limits, site_tree, language, prefix
):
    """5 reset mails a minute per e-mail address (known or not), from any client."""
    for n in range(5):
        response = client.post(
            f"{prefix}{RESET}", {"email": person.email}, REMOTE_ADDR=f"198.51.100.{n + 1}"
        )
        assert response.status_code == 302
    sent = len(mail.outbox)

    response = client.post(f"{prefix}{RESET}", {"email": person.email}, REMOTE_ADDR="198.51.100.9")

    assert response.status_code == 429
    assert TOO_MANY_REQUESTS[language] in visible_text(response)
    assert len(mail.outbox) == sent


# --- per-person write limits ------------------------------------------------------


@pytest.fixture
def write_limit(settings, frozen_clocks):
    """`write_limit(group)`: that group's limit down to one write an hour, counted
    from zero."""

    def limit(group):
        settings.RATE_LIMITS = {**settings.RATE_LIMITS, group: "1/h"}
        settings.RATELIMIT_CACHE_PREFIX = f"rl-{uuid.uuid4().hex}:"

    return limit


def _intake(people, community, other_community):
    outsider = people["outsider"]
    return {
        "who": outsider,
        "first": (subpage_url(community, "apply"), None, {"haal": "Inspiratie.", "breng": "Tijd."}),
        "second": (
            subpage_url(other_community, "apply"),
            None,
            {"haal": "Contacten.", "breng": "Ervaring."},
        ),
        "count": Membership.objects.count,
        "message": "You have sent many applications in a short time. Please try again later.",
    }


def _todo_proposal(people, community, other_community):
    url = subpage_url(community, "todo_propose")
    return {
        "who": people["outsider"],
        "first": (url, None, {"title": "Een kalender", "description": ""}),
        "second": (url, None, {"title": "Een leesclub", "description": ""}),
        "count": TodoProposal.objects.count,
        "message": "You have sent many proposals in a short time. Please try again later.",
    }


def _todo_comment(people, community, other_community):
    item = todo_item_create(
        actor=people["moderator"],
        community=community,
        title="Voorleesweek",
        description="",
        phase=Phase.values[0],
        status=Status.PLANNED,
    )
    url = subpage_url(community, "todo_comment", item.pk)
    form_url = subpage_url(community, "todo_item", item.pk)
    return {
        "who": people["outsider"],
        "first": (url, form_url, {"kind": "reactie", "body": "Goed idee."}),
        "second": (url, form_url, {"kind": "behoefte", "body": "Wij zoeken sprekers."}),
        "count": TodoComment.objects.count,
        "message": "You have written a lot in a short time. Please try again later.",
    }


def _forum_thread(people, community, other_community):
    url = subpage_url(community, "forum_new")
    return {
        "who": people["member"],
        "first": (url, None, {"title": "Eerste draad", "body": "Hallo."}),
        "second": (url, None, {"title": "Tweede draad", "body": "Nog eens."}),
        "count": lambda: (Thread.objects.count(), Post.objects.count()),
        "message": "You have posted a lot in a short time. Please wait a moment and try again.",
    }


def _forum_reply(people, community, other_community):
    thread = thread_create(
        actor=people["member"], community=community, title="Een draad", body="Begin."
    )
    url = subpage_url(community, "forum_reply", thread.pk)
    form_url = subpage_url(community, "forum_thread", thread.pk)
    return {
        "who": people["member"],
        "first": (url, form_url, {"body": "Eerste reactie."}),
        "second": (url, form_url, {"body": "Tweede reactie."}),
        "count": Post.objects.count,
        "message": "You have posted a lot in a short time. Please wait a moment and try again.",
    }


WRITES = {
    "intake": ("intake", _intake),
    "todo_proposal": ("todo_proposal", _todo_proposal),
    "todo_comment": ("todo_comment", _todo_comment),
    "forum_thread": ("forum_post", _forum_thread),
    "forum_reply": ("forum_post", _forum_reply),
}


@pytest.fixture
def people(make_user, join, moderator, community):
    member = make_user(name="Sanne de Vries")
    join(member, community)
    return {"member": member, "outsider": make_user(name="Olga Buiten"), "moderator": moderator}


@pytest.mark.parametrize("language", ["nl", "en"])
@pytest.mark.parametrize("write", WRITES)
def test_each_write_limit_refuses_with_a_translated_message_and_changes_nothing(
    write, language, write_limit, people, community, other_community
):
    group, scenario = WRITES[write]
    write_limit(group)
    with translation.override(language):  # the pages' URLs in this language
        case = scenario(people, community, other_community)
        expected = gettext(case["message"])
    if language == "nl":
        assert expected != case["message"], "no Dutch translation"
    client = client_for(case["who"])

    url, form_url, data = case["first"]
    assert post_form(client, url, data, form_url=form_url).status_code == 302
    before = case["count"]()
    url, form_url, data = case["second"]
    response = post_form(client, url, data, form_url=form_url)

    assert response.status_code == 429
    assert expected in visible_text(response)
    assert case["count"]() == before


@pytest.mark.parametrize("language", ["nl", "en"])
def test_contacting_the_moderators_is_limited_and_sends_nothing_over_the_limit(
    language, write_limit, people, community, django_capture_on_commit_callbacks
):
    """An outsider's questions to the moderators go out by e-mail: over the limit
    the form says so in the reader's language (429) and no e-mail leaves."""
    write_limit("moderator_contact")
    with translation.override(language):
        url = subpage_url(community, "contact_moderators")
        expected = gettext("You have sent many messages in a short time. Please try again later.")
    if language == "nl":
        assert (
            expected == "Je hebt in korte tijd veel berichten verstuurd. Probeer het later opnieuw."
        )
    client = client_for(people["outsider"])
    data = {"subject": "Meedoen?", "message": "Kan onze bibliotheek aansluiten?"}
    with django_capture_on_commit_callbacks(execute=True):
        assert post_form(client, url, data).status_code == 302
    sent = len(mail.outbox)
    assert sent == 2  # the moderator's message and the sender's copy

    with django_capture_on_commit_callbacks(execute=True):
        response = post_form(client, url, {**data, "subject": "Nog een vraag"})

    assert response.status_code == 429
    assert expected in visible_text(response)
    assert len(mail.outbox) == sent
