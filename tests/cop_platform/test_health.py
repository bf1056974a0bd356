"""`/healthz` over HTTP and `/ws/health/` over WebSocket, through the real ASGI app."""

import json

import pytest
from channels.layers import get_channel_layer
from channels.testing import WebsocketCommunicator

from tests.factories import UserFactory

SAME_ORIGIN = [(b"origin", b"http://localhost"), (b"host", b"localhost")]


def test_healthz_reports_ok(client, db):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert json.loads(response.content) == {
        "status": "ok",
        "checks": {"database": "ok", "channel_layer": "ok"},
    }
    assert "no-cache" in response["Cache-Control"]


def test_healthz_is_503_when_the_channel_layer_fails(client, db, monkeypatch):
    async def broken_send(channel, message):
        raise ConnectionError("channel layer unreachable")

    monkeypatch.setattr(get_channel_layer(), "send", broken_send)

    response = client.get("/healthz")

    assert response.status_code == 503
    assert json.loads(response.content) == {
        "status": "error",
        "checks": {"database": "ok", "channel_layer": "error"},
    }


def _communicator(headers):
    from cop_platform.asgi import application

    return WebsocketCommunicator(application, "/ws/health/", headers=headers)


@pytest.mark.asyncio
@pytest.mark.django_db(transaction=True)
async def test_websocket_ping_pong():
    communicator = _communicator(SAME_ORIGIN)
    connected, _ = await communicator.connect()
    try:
        assert connected
        await communicator.send_json_to({"type": "ping"})
        assert await communicator.receive_json_from() == {"type": "pong", "authenticated": False}
        await communicator.send_json_to({"type": "shout"})
        assert (await communicator.receive_json_from())["type"] == "error"
    finally:
        await communicator.disconnect()


@pytest.fixture
def session_cookie(client, transactional_db):
    """The Cookie header of a logged-in member's browser."""
    client.force_login(UserFactory())
    return f"sessionid={client.cookies['sessionid'].value}".encode()


@pytest.mark.asyncio
@pytest.mark.django_db(transaction=True)
async def test_websocket_knows_the_logged_in_member(session_cookie):
    communicator = _communicator([*SAME_ORIGIN, (b"cookie", session_cookie)])
    connected, _ = await communicator.connect()
    try:
        assert connected
        await communicator.send_json_to({"type": "ping"})
        assert await communicator.receive_json_from() == {"type": "pong", "authenticated": True}
    finally:
        await communicator.disconnect()
