"""The channel layer production uses (channels-redis' pub/sub layer, see
cop_platform/settings/production.py) carries the forum's live path: a post
reaches an open thread page, once, and the health check's round trip works.
(The rest of the services pass runs on RedisChannelLayer, like development.)"""

import pytest
from asgiref.sync import sync_to_async
from channels.layers import get_channel_layer
from django.conf import settings
from django.test import override_settings

from communities.forum.services import post_create
from cop_platform.health import _check_channel_layer
from tests.forum.conftest import member, other_member, outsider, thread  # noqa: F401  (fixtures)
from tests.forum.test_consumers import TIMEOUT, _open
from tests.forum.test_hub import _open_all, layer_calls  # noqa: F401  (fixture)

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.asyncio]


@pytest.fixture
def pub_sub():
    layers = {
        "default": {
            "BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer",
            "CONFIG": {"hosts": [settings.REDIS_URL]},
        }
    }
    with override_settings(CHANNEL_LAYERS=layers):
        yield


async def test_a_post_reaches_an_open_thread_page_once(pub_sub, thread, member, outsider):  # noqa: F811
    communicator, connected, _code, _ = await _open(f"/ws/forum/thread/{thread.pk}/", outsider)
    assert connected
    try:
        post = await sync_to_async(post_create)(
            actor=member, thread=thread, body="Via publiceren en abonneren"
        )
        event = await communicator.receive_json_from(timeout=TIMEOUT)
        assert event["type"] == "post_created" and event["post_id"] == post.pk
        assert "Via publiceren en abonneren" in event["html"]["nl"]
        assert await communicator.receive_nothing(timeout=0.5)
    finally:
        await communicator.disconnect()
        await get_channel_layer().flush()


async def test_several_pages_cost_the_worker_one_message(
    pub_sub,
    thread,  # noqa: F811
    member,  # noqa: F811
    outsider,  # noqa: F811
    other_member,  # noqa: F811
    layer_calls,  # noqa: F811
):
    """The worker's hub (communities/forum/hub.py) subscribes once and gets each
    post once, however many of its sockets read the thread."""
    sockets = await _open_all(f"/ws/forum/thread/{thread.pk}/", [member, outsider, outsider])
    try:
        post = await sync_to_async(post_create)(actor=other_member, thread=thread, body="Drie")
        for communicator in sockets:
            event = await communicator.receive_json_from(timeout=TIMEOUT)
            assert event["type"] == "post_created" and event["post_id"] == post.pk
            assert await communicator.receive_nothing(timeout=0.2)
        assert layer_calls["received"] == ["forum.post_created"]
    finally:
        for communicator in sockets:
            await communicator.disconnect()
        await get_channel_layer().flush()


async def test_the_health_check_round_trip_works_through_it(pub_sub):
    try:
        await _check_channel_layer()
    finally:
        await get_channel_layer().flush()
