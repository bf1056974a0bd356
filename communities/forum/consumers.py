"""Websockets of the live forum. They authenticate, authorise and relay: the
fragments come ready-made from the services (after commit), and every decision
is asked of communities.permissions.

Events reach the sockets through the worker's hub (hub.py): it receives each
event once and hands the page's ready payload text to `relay` of every local
socket, which re-checks access (at most every ACCESS_CACHE_SECONDS) and sends.
Access is also checked on connect and before answering every client message; a
logout closes the sockets of that session at once, and an account that is
deactivated, erased or deleted, or whose password changes, has all its sockets
closed at once (see signals.py; these announcements come on the consumer's own
channel, through the user's group). Those announcements carry what can change
access to a forum (reading it needs only a valid login), so relaying an event
asks the database nothing; only once per ACCESS_CACHE_SECONDS does a socket go
back to the session store, as a safety net for what nothing announces (a session
that expires or is deleted from the store). With 1,000 sockets on a thread a
post costs no queries per socket. Only this site's own pages get this far: the
ASGI stack's SameOriginValidator (cop_platform/websocket_security.py) refuses
other origins.
"""

import asyncio
import secrets
import time
from importlib import import_module

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.conf import settings
from django.contrib.auth import (
    BACKEND_SESSION_KEY,
    HASH_SESSION_KEY,
    SESSION_KEY,
    get_user_model,
)
from django.utils.translation import gettext_lazy as _

from communities import permissions
from communities.forum import rendering, selectors
from communities.forum.broadcast import community_group, thread_group, user_group
from communities.forum.hub import hub_for
from communities.forum.models import Thread
from communities.models import CommunityPage

MAX_MESSAGE_BYTES = 4096
ACCESS_CACHE_SECONDS = 60.0
CATCH_UP_LIMIT = 50

# Close codes (4000-4999 are the application's own).
CLOSE_FORBIDDEN = 4003
CLOSE_TOO_BIG = 4009
CLOSE_BAD_MESSAGE = 4000

# Sent (in every language) before closing with CLOSE_TOO_BIG. The page's own script
# never sends anything that large, so reloading it is the way back.
TOO_BIG_NOTICE = _(
    "The live connection was closed because this page sent a message that was too "
    "large. Reload the page to see new posts again."
)


def _session_still_valid(scope) -> bool:
    """Is the session this socket was opened with still logged in as the same user?"""
    user = scope.get("user")
    session = scope.get("session")
    if user is None or not user.is_authenticated or session is None:
        return False
    key = session.session_key
    if not key:
        return False
    store = import_module(settings.SESSION_ENGINE).SessionStore(session_key=key)
    if not store.exists(key):
        return False
    data = store.load()
    if str(data.get(SESSION_KEY)) != str(user.pk) or not data.get(BACKEND_SESSION_KEY):
        return False
    fresh = get_user_model().objects.filter(pk=user.pk, is_active=True).first()
    if fresh is None:
        return False
    stored_hash = data.get(HASH_SESSION_KEY)
    return not stored_hash or stored_hash == fresh.get_session_auth_hash()


def recheck_offset() -> float:
    """How much earlier than ACCESS_CACHE_SECONDS after connecting a socket first
    goes back to the session store: a random share of the first half of the period.
    Sockets opened together (a thread shared on a busy morning, 1,000 pages
    reconnecting after a restart) would otherwise all re-check on the same event,
    1,000 trips through the process's one database thread that hold up that
    event for every reader; spread, each event carries a few."""
    return secrets.randbelow(1000) / 1000 * ACCESS_CACHE_SECONDS / 2


class _ForumConsumer(AsyncJsonWebsocketConsumer):
    """Shared behaviour: access checks, message size limit, ping, relaying."""

    # What a page gets of each event the hub relays: the event's type → the
    # message's type and the event's fields it carries, in this order.
    relayed = {
        # A lifecycle operation or a moderator moved this content: the page is
        # told where it went (the old URL redirects there too).
        "forum.content_moved": ("content_moved", ("community_id", "url")),
        # The community was dissolved: the page is now a read-only archive.
        "forum.community_archived": ("community_archived", ("url",)),
    }

    @classmethod
    def payload(cls, event: dict) -> dict:
        """The message this kind of page gets for `event` (the same for every
        socket: the hub builds and encodes it once)."""
        kind, fields = cls.relayed[event["type"]]
        return {"type": kind, **{name: event[name] for name in fields}}

    async def __call__(self, scope, receive, send):
        self._hub = None
        try:
            await super().__call__(scope, receive, send)
        finally:
            # However the socket ends (disconnect, close, an error in a handler),
            # the hub stops sending to it and leaves groups nobody here reads.
            await self._leave_hub()

    async def connect(self):
        self._checked_at = 0.0
        self._listening = True
        # Held while relaying: a socket gets events in order, also while one waits
        # for its access re-check or a slow client; and none before accept().
        self._relaying = asyncio.Lock()
        # Logged in with a live session, and allowed by the policy (`_check`).
        if not await self._allowed(force=True):
            await self.close(code=CLOSE_FORBIDDEN)
            return
        self._checked_at -= recheck_offset()
        async with self._relaying:
            self._hub = hub_for(self.channel_layer)
            for group in self.topic_groups():
                await self._hub.join(group, self)
            await self.channel_layer.group_add(self._user_group(), self.channel_name)
            await self.accept()

    async def disconnect(self, code):
        if self._hub is not None:  # accepted (or about to be)
            await self.channel_layer.group_discard(self._user_group(), self.channel_name)

    async def close(self, code=None, reason=None):
        self._listening = False  # relays still waiting for their turn send nothing
        await super().close(code=code, reason=reason)
        await self._leave_hub()

    async def _leave_hub(self):
        self._listening = False
        if self._hub is not None:
            await self._hub.leave(self)

    def _user_group(self) -> str:
        return user_group(self.scope["user"].pk)

    async def relay(self, text: str) -> None:
        """Called by the hub with an event's payload, encoded. Usually this
        completes without waiting; when the access re-check is due (a database
        trip) the hub lets it finish in a task of its own, and the event is sent
        once the check has passed."""
        async with self._relaying:
            if not self._listening:
                return
            if not await self._allowed():
                await self.close(code=CLOSE_FORBIDDEN)
                return
            await self.send(text_data=text)

    def topic_groups(self) -> list[str]:
        raise NotImplementedError

    def check_access(self) -> bool:
        """Synchronous: runs in a thread with database access."""
        raise NotImplementedError

    async def _allowed(self, *, force: bool = False) -> bool:
        now = time.monotonic()
        if not force and now - self._checked_at < ACCESS_CACHE_SECONDS:
            return True
        allowed = await database_sync_to_async(self._check)()
        if allowed:
            self._checked_at = now
        return allowed

    def _check(self) -> bool:
        if not _session_still_valid(self.scope):
            return False
        permissions.forget(self.scope["user"])
        return self.check_access()

    # --- client messages ----------------------------------------------------

    async def receive(self, text_data=None, bytes_data=None, **kwargs):
        size = len(text_data.encode()) if text_data is not None else len(bytes_data or b"")
        if size > MAX_MESSAGE_BYTES:
            await self.send_json(
                {"type": "error", "error": rendering.text_everywhere(TOO_BIG_NOTICE)}
            )
            await self.close(code=CLOSE_TOO_BIG)
            return
        if text_data is None:
            await self.close(code=CLOSE_BAD_MESSAGE)
            return
        try:
            content = await self.decode_json(text_data)
        except ValueError:
            await self.close(code=CLOSE_BAD_MESSAGE)
            return
        await self.receive_json(content, **kwargs)

    async def receive_json(self, content, **kwargs):
        if not await self._allowed(force=True):
            await self.close(code=CLOSE_FORBIDDEN)
            return
        kind = content.get("type") if isinstance(content, dict) else None
        if kind == "ping":
            await self.send_json({"type": "pong"})
        elif kind == "since":
            await self.send_since(content.get("last_id"))
        else:
            await self.send_json({"type": "error", "error": "unknown message"})

    async def send_since(self, last_id):
        await self.send_json({"type": "error", "error": "unknown message"})

    # --- announcements to the user's group (the consumer's own channel) -------

    async def forum_session_ended(self, event):
        session = self.scope.get("session")
        key = event.get("session_key")
        if key is None or session is None or session.session_key == key:
            await self.close(code=CLOSE_FORBIDDEN)


class ThreadConsumer(_ForumConsumer):
    """/ws/forum/thread/<id>/: new, edited and hidden posts of one thread."""

    relayed = {
        **_ForumConsumer.relayed,
        "forum.post_created": ("post_created", ("post_id", "html")),
        "forum.post_updated": ("post_updated", ("post_id", "html")),
        # Its lock state (the thread list's row is for the community page).
        "forum.thread_updated": (
            "thread_updated",
            ("thread_id", "community_id", "locked", "pinned"),
        ),
    }

    def topic_groups(self):
        return [thread_group(self.thread_id)]

    def check_access(self) -> bool:
        thread = Thread.objects.select_related("community").filter(pk=self.thread_id).first()
        return thread is not None and permissions.can_read_forum(
            self.scope["user"], thread.community
        )

    async def connect(self):
        self.thread_id = int(self.scope["url_route"]["kwargs"]["thread_id"])
        await super().connect()

    async def send_since(self, last_id):
        """The same catch-up as the HTTP endpoint, over the socket."""
        if not isinstance(last_id, int) or last_id < 0:
            await self.send_json({"type": "error", "error": "last_id must be a post id"})
            return
        posts = await database_sync_to_async(self._posts_since)(last_id)
        await self.send_json({"type": "posts", "posts": posts})

    def _posts_since(self, last_id: int) -> list[dict]:
        thread = Thread.objects.select_related("community").get(pk=self.thread_id)
        posts = selectors.posts_since(thread, after_id=last_id, limit=CATCH_UP_LIMIT)
        result = []
        for post in posts:
            post.thread = thread
            result.append({"id": post.pk, "html": rendering.render_post_everywhere(post)})
        return result


class CommunityForumConsumer(_ForumConsumer):
    """/ws/forum/community/<id>/: new threads and activity in a community's forum."""

    relayed = {
        **_ForumConsumer.relayed,
        "forum.thread_updated": (
            "thread_updated",
            ("thread_id", "community_id", "pinned", "locked", "html"),
        ),
    }

    def topic_groups(self):
        return [community_group(self.community_id)]

    def check_access(self) -> bool:
        community = CommunityPage.objects.filter(pk=self.community_id).first()
        return community is not None and permissions.can_read_forum(self.scope["user"], community)

    async def connect(self):
        self.community_id = int(self.scope["url_route"]["kwargs"]["community_id"])
        await super().connect()
