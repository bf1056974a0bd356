"""The forum websockets through the whole ASGI stack (origin check, session
authentication, routing), with WebsocketCommunicator. Which origins may open a
socket is held in tests/security/test_websockets.py."""

import json
import time
from importlib import import_module

import pytest
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from communities.forum.consumers import (
    ACCESS_CACHE_SECONDS,
    CLOSE_FORBIDDEN,
    CLOSE_TOO_BIG,
    MAX_MESSAGE_BYTES,
    _ForumConsumer,
)
from communities.forum.services import post_create, post_hide, thread_set_locked
from communities.models import Membership
from communities.services.memberships import membership_end
from cop_platform.asgi import application
from tests.factories import DEFAULT_PASSWORD
from tests.views_support import client_for, form_data, post_form, soup, subpage_url

# The configured session store (cached_db): deleting through it ends the cached copy too.
SessionStore = import_module(settings.SESSION_ENGINE).SessionStore

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.asyncio]

# How long to wait for an event before calling it lost: generous, so a loaded
# machine (CI beside other work) does not read a slow delivery as a missing one.
TIMEOUT = 15


def _headers(client: Client | None) -> list:
    headers = [(b"host", b"testserver"), (b"origin", b"http://testserver")]
    if client is not None and settings.SESSION_COOKIE_NAME in client.cookies:
        cookie = (
            f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
        )
        headers.append((b"cookie", cookie.encode()))
    return headers


async def _open(path: str, user=None):
    client = await sync_to_async(client_for)(user) if user is not None else None
    communicator, connected, code = await _open_with(path, client)
    return communicator, connected, code, client


async def _open_with(path: str, client: Client | None):
    """A socket from the browser whose cookies `client` holds."""
    communicator = WebsocketCommunicator(application, path, headers=_headers(client))
    connected, code = await communicator.connect(timeout=TIMEOUT)
    return communicator, connected, code


async def _closed_with(communicator) -> int | None:
    message = await communicator.receive_output(timeout=TIMEOUT)
    assert message["type"] == "websocket.close", message
    return message.get("code")


async def test_anonymous_visitors_are_refused(thread):
    communicator, connected, code, _ = await _open(f"/ws/forum/thread/{thread.pk}/")
    assert not connected
    assert code == CLOSE_FORBIDDEN


@pytest.fixture
def everyone(member, outsider, moderator, coordinator):
    return {
        "member": member,
        "outsider": outsider,
        "moderator": moderator,
        "coordinator": coordinator,
    }


async def test_every_logged_in_person_may_listen_in(thread, everyone):
    """Reading is open to the whole network once logged in; posting is not (see the
    view tests)."""
    for who, user in everyone.items():
        for path in (
            f"/ws/forum/thread/{thread.pk}/",
            f"/ws/forum/community/{thread.community_id}/",
        ):
            communicator, connected, _code, _ = await _open(path, user)
            assert connected, (who, path)
            await communicator.send_json_to({"type": "ping"})
            assert await communicator.receive_json_from(timeout=TIMEOUT) == {"type": "pong"}
            await communicator.disconnect()


async def test_a_missing_thread_is_refused(member):
    communicator, connected, code, _ = await _open("/ws/forum/thread/999999/", member)
    assert not connected
    assert code == CLOSE_FORBIDDEN


async def test_a_new_post_arrives_as_a_sanitised_fragment(thread, member, outsider):
    communicator, connected, _code, _ = await _open(f"/ws/forum/thread/{thread.pk}/", outsider)
    assert connected
    listing, connected, _code, _ = await _open(
        f"/ws/forum/community/{thread.community_id}/", outsider
    )
    assert connected

    post = await sync_to_async(post_create)(
        actor=member, thread=thread, body="Zie <script>alert(1)</script> **hier**"
    )

    event = await communicator.receive_json_from(timeout=TIMEOUT)
    assert event["type"] == "post_created"
    assert event["post_id"] == post.pk
    assert set(event["html"]) == {"nl", "en"}
    assert "<strong>hier</strong>" in event["html"]["nl"]
    assert "<script>" not in event["html"]["nl"]
    assert "Sanne de Vries" in event["html"]["nl"]
    # Only the post: the thread's new row is for the thread lists (one event per
    # post for every open thread page, not two).
    assert await communicator.receive_nothing(timeout=0.5)

    row = await listing.receive_json_from(timeout=TIMEOUT)
    assert row["type"] == "thread_updated"
    assert row["thread_id"] == thread.pk
    assert "1 reactie" in row["html"]["nl"] or "1 reply" in row["html"]["en"]
    await communicator.disconnect()
    await listing.disconnect()


async def test_hides_and_locks_are_relayed(thread, moderator, outsider):
    communicator, connected, _code, _ = await _open(f"/ws/forum/thread/{thread.pk}/", outsider)
    assert connected
    first = await sync_to_async(lambda: thread.posts.first())()

    await sync_to_async(post_hide)(actor=moderator, post=first, reason="Buiten het onderwerp")
    event = await communicator.receive_json_from(timeout=TIMEOUT)
    assert event["type"] == "post_updated" and event["post_id"] == first.pk
    assert "Buiten het onderwerp" in event["html"]["nl"]
    assert "voorlezen" not in event["html"]["nl"]

    await sync_to_async(thread_set_locked)(actor=moderator, thread=thread, locked=True)
    event = await communicator.receive_json_from(timeout=TIMEOUT)
    assert event == {
        "type": "thread_updated",
        "thread_id": thread.pk,
        "community_id": thread.community_id,
        "locked": True,
        "pinned": False,
    }
    await communicator.disconnect()


async def test_logging_out_closes_the_socket(thread, member):
    communicator, connected, _code, client = await _open(f"/ws/forum/thread/{thread.pk}/", member)
    assert connected

    await sync_to_async(client.logout)()

    assert await _closed_with(communicator) == CLOSE_FORBIDDEN


async def test_a_message_after_the_session_ended_is_refused(thread, member):
    """Also without the logout signal (the session expired or was deleted): the next
    message is checked against the session store and refused."""
    communicator, connected, _code, client = await _open(f"/ws/forum/thread/{thread.pk}/", member)
    assert connected
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    await sync_to_async(SessionStore(session_key=key).delete)()

    await communicator.send_json_to({"type": "ping"})

    assert await _closed_with(communicator) == CLOSE_FORBIDDEN


async def test_an_event_after_the_session_ended_is_not_relayed(
    thread, member, other_member, monkeypatch
):
    # No grace period: the access check runs before this very event is relayed.
    monkeypatch.setattr("communities.forum.consumers.ACCESS_CACHE_SECONDS", 0)
    communicator, connected, _code, client = await _open(f"/ws/forum/thread/{thread.pk}/", member)
    assert connected
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    await sync_to_async(SessionStore(session_key=key).delete)()

    await sync_to_async(post_create)(actor=other_member, thread=thread, body="Nieuw bericht")

    assert await _closed_with(communicator) == CLOSE_FORBIDDEN


# --- an account that can no longer log in ----------------------------------------


def _end_account(how: str, user, coordinator) -> None:
    """The ways an account stops being able to log in, each through its real screen."""
    if how == "erased":  # by the member, in another browser than the socket's
        response = post_form(client_for(user), reverse("members:erase_account"), {"confirm": "on"})
        assert response.status_code == 302
        return
    admin = client_for(coordinator)
    if how == "deactivated":  # a coordinator unticks "active" in the Wagtail admin
        url = reverse("wagtailusers_users:edit", args=[user.pk])
        data = form_data(soup(admin.get(url)).select_one("form[method=post]"))
        assert data.pop("is_active") == ["on"]
        response = admin.post(url, data)
    elif how == "deactivated in bulk":  # Wagtail's bulk "set active state"
        url = reverse("wagtail_bulk_action", args=["members", "user", "set_active_state"])
        response = post_form(admin, f"{url}?id={user.pk}", {"mark_as_active": "False"})
    else:  # "deleted" in the Wagtail admin
        url = reverse("wagtailusers_users:delete", args=[user.pk])
        response = post_form(admin, url, {})
    assert response.status_code == 302, response.status_code
    assert not get_user_model().objects.filter(pk=user.pk, is_active=True).exists()


@pytest.mark.parametrize("how", ["erased", "deactivated", "deactivated in bulk", "deleted"])
async def test_an_account_that_ends_has_its_sockets_closed_at_once(
    thread, member, coordinator, how
):
    """No event and no message is needed to notice it: the sockets of every session
    of that account close when the change commits, and a reconnect with the same
    browser is refused."""
    path = f"/ws/forum/thread/{thread.pk}/"
    communicator, connected, _code, browser = await _open(path, member)
    assert connected
    listing, connected, _code = await _open_with(
        f"/ws/forum/community/{thread.community_id}/", browser
    )
    assert connected

    await sync_to_async(_end_account)(how, member, coordinator)

    assert await _closed_with(communicator) == CLOSE_FORBIDDEN
    assert await _closed_with(listing) == CLOSE_FORBIDDEN
    _again, connected, code = await _open_with(path, browser)
    assert not connected and code == CLOSE_FORBIDDEN


async def test_a_former_member_still_reads_along_but_can_no_longer_post(
    thread, community, member, other_member, moderator, monkeypatch
):
    """By design (DESIGN.md, "Real-time forum"), reading a forum needs a login and
    posting needs active membership: the whole network may listen in. So when a
    membership ends, the socket stays open and keeps relaying the forum's posts,
    which are readable by any logged-in person, while posting over HTTP is refused.
    (A socket never posts: writes go through the CSRF-protected views.)"""
    monkeypatch.setattr("communities.forum.consumers.ACCESS_CACHE_SECONDS", 0)
    communicator, connected, _code, browser = await _open(f"/ws/forum/thread/{thread.pk}/", member)
    assert connected
    membership = await sync_to_async(
        lambda: Membership.objects.get(user=member, community=community, state="active")
    )()
    await sync_to_async(membership_end)(
        actor=moderator, membership=membership, reason="Geen deelname meer"
    )

    post = await sync_to_async(post_create)(actor=other_member, thread=thread, body="Nieuws")
    event = await communicator.receive_json_from(timeout=TIMEOUT)
    assert event["type"] == "post_created" and event["post_id"] == post.pk

    def reply_over_http():
        return post_form(
            browser,
            subpage_url(community, "forum_reply", thread.pk),
            {"body": "Mag ik nog?"},
            form_url=subpage_url(community, "forum_thread", thread.pk),
        )

    response = await sync_to_async(reply_over_http)()
    assert response.status_code == 403
    assert not await sync_to_async(thread.posts.filter(body_source="Mag ik nog?").exists)()
    await communicator.disconnect()


async def test_an_oversized_message_closes_the_socket_with_a_translated_notice(thread, member):
    """The page's own script never sends that much; if something does, the page is
    told why the live updates stopped (forum.js shows the notice in its language)."""
    communicator, connected, _code, _ = await _open(f"/ws/forum/thread/{thread.pk}/", member)
    assert connected

    await communicator.send_to(
        text_data=json.dumps({"type": "ping", "pad": "x" * MAX_MESSAGE_BYTES})
    )

    notice = await communicator.receive_json_from(timeout=TIMEOUT)
    assert notice == {
        "type": "error",
        "error": {
            "nl": "De live verbinding is verbroken omdat deze pagina een te groot bericht "
            "stuurde. Laad de pagina opnieuw om nieuwe berichten weer te zien.",
            "en": "The live connection was closed because this page sent a message that was "
            "too large. Reload the page to see new posts again.",
        },
    }
    assert await _closed_with(communicator) == CLOSE_TOO_BIG


async def test_catch_up_and_unknown_messages(thread, member, other_member):
    communicator, connected, _code, _ = await _open(f"/ws/forum/thread/{thread.pk}/", member)
    assert connected
    first_id = await sync_to_async(lambda: thread.posts.first().pk)()
    await communicator.disconnect()
    reply = await sync_to_async(post_create)(actor=other_member, thread=thread, body="Gemist?")

    communicator, connected, _code, _ = await _open(f"/ws/forum/thread/{thread.pk}/", member)
    await communicator.send_json_to({"type": "since", "last_id": first_id})
    answer = await communicator.receive_json_from(timeout=TIMEOUT)
    assert answer["type"] == "posts"
    assert [post["id"] for post in answer["posts"]] == [reply.pk]
    assert "Gemist?" in answer["posts"][0]["html"]["nl"]

    await communicator.send_json_to({"type": "post", "body": "via de socket"})
    assert (await communicator.receive_json_from(timeout=TIMEOUT))["type"] == "error"
    await communicator.disconnect()


# --- the cost of relaying ---------------------------------------------------------


async def test_relaying_posts_asks_the_database_nothing_per_socket(
    thread, member, other_member, monkeypatch
):
    """Access is checked when the socket opens; the posts that follow are relayed
    without going back to the session store or the permissions (what can end
    access is announced to the socket instead)."""
    checks = []
    original = _ForumConsumer._check

    def counted(self):
        checks.append(self.scope["user"].pk)
        return original(self)

    monkeypatch.setattr(_ForumConsumer, "_check", counted)
    communicator, connected, _code, _client = await _open(f"/ws/forum/thread/{thread.pk}/", member)
    assert connected
    created, relayed = [], []
    for body in ("Eerste", "Tweede", "Derde"):
        post = await sync_to_async(post_create)(actor=other_member, thread=thread, body=body)
        created.append(post.pk)
        event = await communicator.receive_json_from(timeout=TIMEOUT)
        relayed.append(event["post_id"])
    assert relayed == created
    assert checks == [member.pk]
    await communicator.disconnect()


async def test_sockets_opened_together_recheck_access_at_different_moments(
    thread, member, monkeypatch
):
    """Readers who open a thread in the same minute do not all go back to the session
    store on the same post: each socket's first re-check falls somewhere in the
    second half of ACCESS_CACHE_SECONDS after it connected, never later."""
    due = []
    original = _ForumConsumer.accept

    async def noting_when_due(self, *args, **kwargs):
        due.append(self._checked_at + ACCESS_CACHE_SECONDS - time.monotonic())
        return await original(self, *args, **kwargs)

    monkeypatch.setattr(_ForumConsumer, "accept", noting_when_due)
    sockets = []
    for _ in range(6):
        communicator, connected, _code, _client = await _open(
            f"/ws/forum/thread/{thread.pk}/", member
        )
        assert connected
        sockets.append(communicator)
    assert all(ACCESS_CACHE_SECONDS / 2 - 5 < seconds <= ACCESS_CACHE_SECONDS for seconds in due)
    assert len({round(seconds) for seconds in due}) > 1
    for communicator in sockets:
        await communicator.disconnect()


async def test_a_password_change_closes_the_accounts_sockets(thread, member):
    """The new password ends the account's other sessions; their sockets close at once."""
    communicator, connected, _code, browser = await _open(f"/ws/forum/thread/{thread.pk}/", member)
    assert connected
    elsewhere = await sync_to_async(client_for)(member)

    def change_password():
        return post_form(
            elsewhere,
            reverse("account_change_password"),
            {
                "oldpassword": DEFAULT_PASSWORD,
                "password1": "Een-nieuw-wachtwoord-2026",
                "password2": "Een-nieuw-wachtwoord-2026",
            },
        )

    response = await sync_to_async(change_password)()
    assert response.status_code == 302
    assert await _closed_with(communicator) == CLOSE_FORBIDDEN
    _again, connected, code = await _open_with(f"/ws/forum/thread/{thread.pk}/", browser)
    assert not connected and code == CLOSE_FORBIDDEN
