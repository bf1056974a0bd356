"""The websocket stack: the session and user reach the consumer as with Channels'
own AuthMiddlewareStack, and the frames the consumer sends go straight to the
server (no per-frame wrapper: bench/notes.md, "Notes: websocket fan-out")."""

import pytest
from channels.testing import WebsocketCommunicator

from cop_platform.asgi import websocket_stack
from tests.factories import UserFactory

pytestmark = [pytest.mark.asyncio, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def member(client, transactional_db):
    """A member logged in through `client` (its cookie is the browser's)."""
    user = UserFactory()
    client.force_login(user)
    return user


async def test_a_socket_knows_the_member_and_sends_without_a_wrapper(client, member):
    seen = {}

    async def consumer(scope, receive, send):
        seen["user"] = scope["user"]
        seen["session_key"] = scope["session"].session_key
        seen["send"] = send
        await receive()  # websocket.connect
        await send({"type": "websocket.accept"})
        await receive()  # until the test disconnects

    communicator = WebsocketCommunicator(
        websocket_stack(consumer),
        "/ws/anything/",
        headers=[(b"cookie", f"sessionid={client.cookies['sessionid'].value}".encode())],
    )
    connected, _ = await communicator.connect(timeout=5)
    await communicator.disconnect()

    assert connected
    user = seen["user"]
    assert (user.pk, user.is_authenticated) == (member.pk, True)
    assert seen["session_key"] == client.cookies["sessionid"].value
    # ApplicationCommunicator hands the application its own output queue's put.
    assert seen["send"] == communicator.output_queue.put
