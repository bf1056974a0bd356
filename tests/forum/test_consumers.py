"""The forum websockets through the whole ASGI stack (origin check, session
authentication, routing), with WebsocketCommunicator."""

import json

import pytest
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore
from django.test import Client

from communities.forum.consumers import CLOSE_FORBIDDEN, CLOSE_TOO_BIG, MAX_MESSAGE_BYTES
from communities.forum.services import post_create, post_hide, thread_set_locked
from cop_platform.asgi import application

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.asyncio]

TIMEOUT = 5


def _session_client(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _headers(client: Client | None, origin: str = "http://testserver") -> list:
    headers = [(b"host", b"testserver")]
    if origin:
        headers.append((b"origin", origin.encode()))
    if client is not None and settings.SESSION_COOKIE_NAME in client.cookies:
        cookie = (
            f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
        )
        headers.append((b"cookie", cookie.encode()))
    return headers


async def _open(path: str, user=None, *, origin: str = "http://testserver"):
    client = await sync_to_async(_session_client)(user) if user is not None else None
    communicator = WebsocketCommunicator(application, path, headers=_headers(client, origin))
    connected, code = await communicator.connect(timeout=TIMEOUT)
    return communicator, connected, code, client


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


async def test_a_foreign_origin_is_refused(thread, member):
    communicator, connected, _code, _ = await _open(
        f"/ws/forum/thread/{thread.pk}/", member, origin="https://evil.example.com"
    )
    assert not connected
    communicator, connected, _code, _ = await _open(
        f"/ws/forum/thread/{thread.pk}/", member, origin=""
    )
    assert not connected


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
    # The thread page also hears that the thread changed (for its lock state).
    update = await communicator.receive_json_from(timeout=TIMEOUT)
    assert update["type"] == "thread_updated" and update["locked"] is False

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
    await communicator.receive_json_from(timeout=TIMEOUT)  # thread_updated (reply count)

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


async def test_an_oversized_message_closes_the_socket(thread, member):
    communicator, connected, _code, _ = await _open(f"/ws/forum/thread/{thread.pk}/", member)
    assert connected

    await communicator.send_to(
        text_data=json.dumps({"type": "ping", "pad": "x" * MAX_MESSAGE_BYTES})
    )

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
