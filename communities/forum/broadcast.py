"""The one way the forum talks to open pages: channel-layer group messages sent
only after the surrounding transaction commits (nothing is announced that a
rollback could take back)."""

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction


def thread_group(thread_id: int) -> str:
    return f"forum.thread.{thread_id}"


def community_group(community_id: int) -> str:
    return f"forum.community.{community_id}"


def user_group(user_id: int) -> str:
    return f"forum.user.{user_id}"


def broadcast_on_commit(groups, event: dict) -> None:
    """Send `event` to every group in `groups` once the transaction commits."""
    groups = list(groups)
    channel_layer = get_channel_layer()
    if channel_layer is None:
        return

    def send():
        for group in groups:
            async_to_sync(channel_layer.group_send)(group, event)

    transaction.on_commit(send)
