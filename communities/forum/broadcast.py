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


def send_to_group(channel_layer, group: str, event: dict) -> None:
    """Send `event` to `group` now. The event names its group: a worker's hub
    (hub.py) listens to all its groups through one channel, and a channel layer
    does not say which group a message came through."""
    async_to_sync(channel_layer.group_send)(group, {**event, "group": group})


def broadcast_on_commit(groups, event: dict) -> None:
    """Send `event` to every group in `groups` once the transaction commits."""
    groups = list(groups)
    channel_layer = get_channel_layer()
    if channel_layer is None:
        return

    def send():
        for group in groups:
            send_to_group(channel_layer, group, event)

    transaction.on_commit(send)


def close_sockets_on_commit(user_id: int, *, session_key: str | None = None) -> None:
    """Once the transaction commits, close the user's open sockets: those opened
    with one session (`session_key`, a logout), or all of them (None: the account
    can no longer log in). The consumers close with 4003, and a reconnect is
    refused because the session no longer authenticates anyone."""
    broadcast_on_commit(
        [user_group(user_id)], {"type": "forum.session_ended", "session_key": session_key}
    )
