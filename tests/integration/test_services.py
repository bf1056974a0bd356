"""The scale-out stack: PostgreSQL and Redis (marked `integration` by folder; run
in the services pass)."""

import asyncio
import json
import uuid

from asgiref.sync import async_to_sync
from bs4 import BeautifulSoup
from channels.layers import channel_layers
from django.conf import settings
from django.db import connection


def test_healthz_is_ok_through_the_redis_channel_layer(client, db):
    assert settings.CHANNEL_LAYERS["default"]["BACKEND"] == "channels_redis.core.RedisChannelLayer"
    assert connection.vendor == "postgresql"

    response = client.get("/healthz")

    assert response.status_code == 200
    assert json.loads(response.content) == {
        "status": "ok",
        "checks": {"database": "ok", "channel_layer": "ok"},
    }


def test_a_message_crosses_between_workers():
    """What the in-memory layer cannot do: a group message sent by one worker's
    layer reaches a channel that another worker's layer listens on."""
    sender = channel_layers.make_backend("default")
    receiver = channel_layers.make_backend("default")
    group = f"test-{uuid.uuid4().hex}"
    channel = f"test.{uuid.uuid4().hex}"

    async def round_trip():
        await receiver.group_add(group, channel)
        try:
            await sender.group_send(group, {"type": "forum.post_created", "post": 1})
            return await asyncio.wait_for(receiver.receive(channel), timeout=5)
        finally:
            await receiver.group_discard(group, channel)
            await sender.close_pools()
            await receiver.close_pools()

    assert async_to_sync(round_trip)() == {"type": "forum.post_created", "post": 1}


def _found(client, query) -> list[str]:
    response = client.get("/zoeken/", {"q": query})
    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    return [link.get_text(" ", strip=True) for link in soup.select(".search-result h3 a")]


def test_search_stems_dutch_words(client, communities):
    """With PostgreSQL's Dutch dictionary a singular finds the plural in a summary:
    "prentenboek" finds "prentenboeken", "gemeente" finds "gemeenten"."""
    assert settings.WAGTAILSEARCH_BACKENDS["default"]["SEARCH_CONFIG"] == "dutch"

    assert _found(client, "prentenboek") == ["1 Doorgaande leeslijn (0-18)"]
    assert _found(client, "opvoeder") == ["2 Mediawijsheid"]
    assert sorted(_found(client, "gemeente")) == ["11 Effectmeting", "3 Basisvaardigheden"]
