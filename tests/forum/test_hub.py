"""One broadcast per event per worker (communities/forum/hub.py), through the whole
ASGI stack with WebsocketCommunicator: what the channel layer carries, what each
page gets, and that one socket's trouble is nobody else's."""

import asyncio
import json

import pytest
from asgiref.sync import sync_to_async
from channels.layers import get_channel_layer
from django.conf import settings
from uvicorn.protocols.utils import ClientDisconnected

from communities.forum.broadcast import thread_group
from communities.forum.consumers import CLOSE_FORBIDDEN
from communities.forum.hub import hub_for
from communities.forum.services import post_create, thread_set_locked
from tests.forum.test_consumers import TIMEOUT, SessionStore, _closed_with, _open

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.asyncio]


@pytest.fixture
def layer_calls(monkeypatch):
    """What the channel layer does for the forum: messages it delivers (by type)
    and group memberships added and discarded, as (group, channel)."""
    layer = get_channel_layer()
    calls = {"received": [], "added": [], "discarded": []}
    receive, group_add, group_discard = layer.receive, layer.group_add, layer.group_discard

    async def counted_receive(channel):
        message = await receive(channel)
        calls["received"].append(message["type"])
        return message

    async def counted_add(group, channel):
        calls["added"].append((group, channel))
        await group_add(group, channel)

    async def counted_discard(group, channel):
        calls["discarded"].append((group, channel))
        await group_discard(group, channel)

    monkeypatch.setattr(layer, "receive", counted_receive)
    monkeypatch.setattr(layer, "group_add", counted_add)
    monkeypatch.setattr(layer, "group_discard", counted_discard)
    return calls


@pytest.fixture
def readers(member, outsider, moderator, coordinator):
    return [member, outsider, moderator, coordinator]


async def _open_all(path, users):
    sockets = []
    for user in users:
        communicator, connected, _code, _client = await _open(path, user)
        assert connected
        sockets.append(communicator)
    return sockets


def _local_consumer_of(user, group):
    """The consumer of `user`'s socket among the hub's sockets on `group`."""
    members = hub_for(get_channel_layer()).sockets[group]
    return next(c for c in members if c.scope["user"].pk == user.pk)


async def test_a_post_reaches_every_socket_once_through_one_delivery(
    thread, readers, other_member, layer_calls
):
    sockets = await _open_all(f"/ws/forum/thread/{thread.pk}/", readers)

    post = await sync_to_async(post_create)(actor=other_member, thread=thread, body="Voor allen")

    for communicator in sockets:
        event = await communicator.receive_json_from(timeout=TIMEOUT)
        assert event["type"] == "post_created" and event["post_id"] == post.pk
    for communicator in sockets:
        assert await communicator.receive_nothing(timeout=0.2)
    # One message out of the layer for the four sockets: the hub's.
    assert layer_calls["received"] == ["forum.post_created"]
    groups = [group for group, _channel in layer_calls["added"]]
    assert groups.count(thread_group(thread.pk)) == 1
    for communicator in sockets:
        await communicator.disconnect()


async def test_the_last_socket_to_leave_takes_the_worker_out_of_the_group(
    thread, member, outsider, other_member, layer_calls
):
    group = thread_group(thread.pk)
    first, second = await _open_all(f"/ws/forum/thread/{thread.pk}/", [member, outsider])
    [(_group, channel)] = [call for call in layer_calls["added"] if call[0] == group]

    await first.disconnect()
    assert (group, channel) not in layer_calls["discarded"]
    await second.disconnect()
    assert (group, channel) in layer_calls["discarded"]

    # Nobody reads along here any more: the layer delivers the next post to no one.
    await sync_to_async(post_create)(actor=other_member, thread=thread, body="Niemand meer")
    await asyncio.sleep(0.5)
    assert layer_calls["received"] == []


async def test_a_socket_that_fails_its_recheck_is_closed_and_the_others_get_the_post(
    thread, member, outsider, moderator, other_member, monkeypatch
):
    # Every socket is due for its re-check on this event: they run side by side.
    monkeypatch.setattr("communities.forum.consumers.ACCESS_CACHE_SECONDS", 0)
    path = f"/ws/forum/thread/{thread.pk}/"
    ended, connected, _code, client = await _open(path, member)
    assert connected
    others = await _open_all(path, [outsider, moderator])
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    await sync_to_async(SessionStore(session_key=key).delete)()

    post = await sync_to_async(post_create)(actor=other_member, thread=thread, body="Nog open")

    assert await _closed_with(ended) == CLOSE_FORBIDDEN
    for communicator in others:
        event = await communicator.receive_json_from(timeout=TIMEOUT)
        assert event["type"] == "post_created" and event["post_id"] == post.pk
        await communicator.disconnect()


async def test_a_thread_page_and_its_community_page_get_their_own_messages(
    thread, outsider, moderator
):
    """The same event, encoded once per kind of page, byte for byte what each page
    got before the hub (key order included)."""
    page, connected, _code, _ = await _open(f"/ws/forum/thread/{thread.pk}/", outsider)
    assert connected
    listing, connected, _code, _ = await _open(
        f"/ws/forum/community/{thread.community_id}/", outsider
    )
    assert connected

    await sync_to_async(thread_set_locked)(actor=moderator, thread=thread, locked=True)

    assert await page.receive_from(timeout=TIMEOUT) == json.dumps(
        {
            "type": "thread_updated",
            "thread_id": thread.pk,
            "community_id": thread.community_id,
            "locked": True,
            "pinned": False,
        }
    )
    text = await listing.receive_from(timeout=TIMEOUT)
    row = json.loads(text)
    assert list(row) == ["type", "thread_id", "community_id", "pinned", "locked", "html"]
    assert (row["thread_id"], row["locked"], row["pinned"]) == (thread.pk, True, False)
    assert "Voorleesprojecten op school" in row["html"]["nl"]
    assert json.dumps(row) == text
    await page.disconnect()
    await listing.disconnect()


async def test_a_slow_reader_holds_up_no_one(thread, readers, other_member):
    """A client that does not read: uvicorn's send then waits until the socket's
    buffer drains. The other pages get the post meanwhile; the slow one gets it
    when its buffer drains."""
    sockets = await _open_all(f"/ws/forum/thread/{thread.pk}/", readers)
    slow = _local_consumer_of(readers[0], thread_group(thread.pk))
    drained = asyncio.Event()
    send = slow.base_send

    async def send_when_drained(message):
        if message["type"] == "websocket.send":
            await drained.wait()
        await send(message)

    slow.base_send = send_when_drained

    # Two posts: whatever the order the sockets are served in, a relay that
    # waited for the slow one would hold up the second post for everyone.
    posts = []
    for body in ("Vlot", "Nog vlotter"):
        post = await sync_to_async(post_create)(actor=other_member, thread=thread, body=body)
        posts.append(post.pk)
        for communicator in sockets[1:]:
            event = await communicator.receive_json_from(timeout=TIMEOUT)
            assert event["post_id"] == post.pk
    assert await sockets[0].receive_nothing(timeout=0.2)
    drained.set()
    for post_id in posts:  # in order
        assert (await sockets[0].receive_json_from(timeout=TIMEOUT))["post_id"] == post_id
    for communicator in sockets:
        await communicator.disconnect()


async def test_a_page_gone_mid_broadcast_breaks_nothing_for_the_others(
    thread, readers, other_member
):
    sockets = await _open_all(f"/ws/forum/thread/{thread.pk}/", readers)
    gone = _local_consumer_of(readers[1], thread_group(thread.pk))

    async def disconnected(message):
        raise ClientDisconnected  # what uvicorn raises for a socket that went away

    gone.base_send = disconnected

    for body in ("Eerste", "Tweede"):
        post = await sync_to_async(post_create)(actor=other_member, thread=thread, body=body)
        for communicator in sockets[:1] + sockets[2:]:
            event = await communicator.receive_json_from(timeout=TIMEOUT)
            assert event["post_id"] == post.pk
    for communicator in sockets:
        await communicator.disconnect()


async def _hub_in_a_new_loop(layer):
    return hub_for(layer)


_hubs_seen = []


@pytest.mark.parametrize("run", ["first test", "second test"])
async def test_every_event_loop_has_its_own_hub(run, thread, outsider, other_member):
    """pytest-asyncio runs each test on a loop of its own, as each uvicorn worker
    has one: a hub (its receiving task, the layer's connections) serves one loop."""
    communicator, connected, _code, _ = await _open(f"/ws/forum/thread/{thread.pk}/", outsider)
    assert connected
    layer = get_channel_layer()
    hub = hub_for(layer)
    assert thread_group(thread.pk) in hub.sockets
    elsewhere = await asyncio.to_thread(asyncio.run, _hub_in_a_new_loop(layer))
    assert elsewhere is not hub

    post = await sync_to_async(post_create)(actor=other_member, thread=thread, body=run)
    assert (await communicator.receive_json_from(timeout=TIMEOUT))["post_id"] == post.pk
    assert all(hub is not earlier for earlier in _hubs_seen)
    _hubs_seen.append(hub)
    await communicator.disconnect()


async def test_a_thread_read_longer_than_the_layers_group_expiry_still_gets_its_posts(
    thread, outsider, other_member, monkeypatch
):
    """RedisChannelLayer and the in-memory layer drop a group member `group_expiry`
    seconds after it joined (a day by default), listening or not; the hub, joined
    for as long as anyone here reads the thread, renews its membership."""
    monkeypatch.setattr(get_channel_layer(), "group_expiry", 2, raising=False)
    communicator, connected, _code, _ = await _open(f"/ws/forum/thread/{thread.pk}/", outsider)
    assert connected

    await asyncio.sleep(3.5)  # past the expiry of the first membership
    post = await sync_to_async(post_create)(actor=other_member, thread=thread, body="Nog hier")

    assert (await communicator.receive_json_from(timeout=TIMEOUT))["post_id"] == post.pk
    await communicator.disconnect()


async def test_when_the_layer_fails_the_pages_are_closed_to_reconnect(
    thread, outsider, other_member, monkeypatch
):
    """Receiving from the layer fails (Redis gone, with RedisChannelLayer): rather
    than staying open without updates, the pages are closed with 1011, so that
    they reconnect and ask for what they missed; a reconnect is served again."""
    layer = get_channel_layer()
    receive, failing = layer.receive, {"now": False}

    async def receive_or_fail(channel):
        message = await receive(channel)
        if failing["now"]:
            raise ConnectionError("channel layer gone")
        return message

    monkeypatch.setattr(layer, "receive", receive_or_fail)
    path = f"/ws/forum/thread/{thread.pk}/"
    communicator, connected, _code, _ = await _open(path, outsider)
    assert connected

    failing["now"] = True
    await sync_to_async(post_create)(actor=other_member, thread=thread, body="Kwijt")
    assert await _closed_with(communicator) == 1011

    failing["now"] = False
    again, connected, _code, _ = await _open(path, outsider)
    assert connected
    post = await sync_to_async(post_create)(actor=other_member, thread=thread, body="Terug")
    assert (await again.receive_json_from(timeout=TIMEOUT))["post_id"] == post.pk
    await again.disconnect()
