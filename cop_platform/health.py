"""Liveness of the stack: `/healthz` over HTTP and `/ws/health/` over WebSocket."""

import asyncio
import logging

from asgiref.sync import sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from channels.layers import get_channel_layer
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

logger = logging.getLogger(__name__)

# A round trip through Redis takes milliseconds; anything near this means the
# layer is unusable for live pages anyway.
CHANNEL_LAYER_TIMEOUT = 2.0


def _check_database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


async def _check_channel_layer() -> None:
    """Send a message to a fresh channel and receive it back."""
    layer = get_channel_layer()
    if layer is None:
        raise RuntimeError("no channel layer configured")
    channel = await layer.new_channel()
    await layer.send(channel, {"type": "health.check"})
    message = await asyncio.wait_for(layer.receive(channel), timeout=CHANNEL_LAYER_TIMEOUT)
    if message.get("type") != "health.check":
        raise RuntimeError("channel layer returned a different message")


async def _status(name, check) -> str:
    try:
        await check()
    except Exception:  # any failure means "not ok"; the log keeps the reason
        logger.exception("health check %s failed", name)
        return "error"
    return "ok"


@never_cache
@require_GET
async def healthz(request):
    checks = {
        "database": await _status("database", sync_to_async(_check_database)),
        "channel_layer": await _status("channel_layer", _check_channel_layer),
    }
    healthy = all(value == "ok" for value in checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "error", "checks": checks},
        status=200 if healthy else 503,
    )


class HealthConsumer(AsyncJsonWebsocketConsumer):
    """Answers {"type": "ping"} with {"type": "pong"}; open to anyone same-origin."""

    async def connect(self):
        await self.accept()

    async def receive_json(self, content, **kwargs):
        if isinstance(content, dict) and content.get("type") == "ping":
            user = self.scope.get("user")
            await self.send_json(
                {"type": "pong", "authenticated": bool(user and user.is_authenticated)}
            )
        else:
            await self.send_json({"type": "error", "error": "unknown message"})
