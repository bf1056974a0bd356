"""One broadcast per event per worker: how forum events reach the open pages.

Channels' usual pattern puts every socket's consumer in its groups. A post to a
thread that 1,000 pages on one worker have open then costs 1,000 copies in the
channel layer, 1,000 receives, 1,000 dispatches and 1,000 JSON encodings of the
same payload: at 10 posts/s a worker could not keep up (bench/notes.md, "Notes:
websocket fan-out"). Instead, each running event loop (a uvicorn worker has one;
pytest-asyncio gives every test its own) has one Hub with ONE channel-layer
channel. The hub joins a thread or community group while at least one local
socket listens to it, receives each event once, builds and encodes the page's
payload once and hands the ready text to every local socket of the group.

Works with every layer that has groups: membership goes through the layer's own
group_add/group_discard (channels-redis' pub/sub layer subscribes to the group's
Redis channel once per process either way; RedisChannelLayer and the in-memory
layer then keep one member per worker instead of one per socket).

What stays per socket: its access re-check (consumers._ForumConsumer.relay) and
the send itself. Per-user announcements (forum.session_ended) and the page's own
messages (ping, since) stay on the consumer's own channel.
"""

import asyncio
import contextvars
import logging
import weakref

logger = logging.getLogger(__name__)

# Close code for the sockets of a hub whose channel layer failed: the page
# reconnects (with backoff) and asks for what it missed.
CLOSE_LAYER_FAILED = 1011

# Event loop → its hub. channels-redis binds its connections and locks to the
# loop they were made on, and a hub's receiving task lives on its loop, so a hub
# never serves a second loop; weak, so a closed test loop takes its hub along.
_hubs: "weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, Hub]" = weakref.WeakKeyDictionary()


def hub_for(layer) -> "Hub":
    """The running loop's hub for `layer` (the process's channel layer)."""
    loop = asyncio.get_running_loop()
    hub = _hubs.get(loop)
    if hub is None or hub.layer is not layer:
        # A new layer object (tests make one per test) gets a new hub; sockets
        # that joined the old one keep it until they leave.
        hub = _hubs[loop] = Hub(layer)
    return hub


class Hub:
    def __init__(self, layer):
        self.layer = layer
        self.channel: str | None = None  # while at least one group is joined
        self.sockets: dict[str, set] = {}  # group → its local consumers
        # group_add/group_discard of one group must reach the layer in the order
        # the sockets came and went (the last reader leaving while a new one
        # arrives), and the channel is made once.
        self._membership = asyncio.Lock()
        # The loop keeps only weak references to tasks: the hub holds its own.
        self._tasks: set[asyncio.Task] = set()  # receiving, renewing memberships
        self._relays: set[asyncio.Task] = set()  # relays that had to wait

    async def join(self, group: str, consumer) -> None:
        """From now on `consumer` gets the group's events (`consumer.relay(text)`)."""
        async with self._membership:
            if group not in self.sockets:
                if self.channel is None:
                    await self._start()
                await self.layer.group_add(group, self.channel)
                self.sockets[group] = set()
            self.sockets[group].add(consumer)

    async def leave(self, consumer) -> None:
        """No more events for `consumer` (at once), and the hub leaves the groups
        no local socket listens to any more (after the last one, it stops)."""
        left = [group for group, members in self.sockets.items() if consumer in members]
        for group in left:
            self.sockets[group].discard(consumer)
        if not left:
            return
        async with self._membership:
            for group in left:
                # Someone may have joined again while this waited for the lock.
                if group in self.sockets and not self.sockets[group]:
                    del self.sockets[group]
                    await self.layer.group_discard(group, self.channel)
            if not self.sockets and self.channel is not None:
                self._stop()

    # --- the channel and its receiving task ------------------------------------

    async def _start(self) -> None:
        self.channel = await self.layer.new_channel()
        self._spawn(self._receive(self.channel))
        # RedisChannelLayer and the in-memory layer drop a group member
        # `group_expiry` seconds (a day by default) after it joined, listening or
        # not; a thread read all day keeps the hub joined longer than that. The
        # pub/sub layer has no expiry.
        expiry = getattr(self.layer, "group_expiry", None)
        if expiry:
            self._spawn(self._renew_memberships(self.channel, expiry / 2))

    def _stop(self) -> None:
        """Cancel the hub's own tasks (the layer drops the channel when its receive
        is cancelled) and unregister it, so that a loop that ends with its last
        socket takes nothing along: the next socket starts a new hub. (One that
        was already waiting to join restarts this one; the two then work side by
        side, each for its own sockets, until those leave.)"""
        for task in list(self._tasks):
            if task is not asyncio.current_task():
                task.cancel()
        self.channel = None
        loop = asyncio.get_running_loop()
        if _hubs.get(loop) is self:
            del _hubs[loop]

    def _spawn(self, coro) -> None:
        task = asyncio.get_running_loop().create_task(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _renew_memberships(self, channel: str, every: float) -> None:
        while True:
            await asyncio.sleep(every)
            async with self._membership:
                for group in self.sockets:
                    await self.layer.group_add(group, channel)

    async def _receive(self, channel: str) -> None:
        while True:
            try:
                event = await self.layer.receive(channel)
            except Exception:
                # E.g. Redis unreachable (RedisChannelLayer raises; the pub/sub
                # layer reconnects by itself). Without a channel the pages would
                # silently stop updating: close them, so that they reconnect and
                # catch up ("since") once the layer is back.
                logger.exception("Forum hub: receiving from the channel layer failed")
                await self._close_everyone()
                return
            try:
                await self._broadcast(event)
            except Exception:
                # One malformed event must not end the live forum for this worker.
                logger.exception("Forum hub: could not relay %r", event.get("type"))

    async def _close_everyone(self) -> None:
        async with self._membership:
            consumers = set().union(*self.sockets.values())
            self.sockets.clear()
            self._stop()
        for consumer in consumers:
            self._start_eagerly(consumer.close(code=CLOSE_LAYER_FAILED))

    # --- one event ----------------------------------------------------------------

    async def _broadcast(self, event: dict) -> None:
        """Encode the event once for the group's pages and hand it to each of them."""
        members = self.sockets.get(event.get("group"))
        if not members:
            return  # the last reader left while the event was on its way
        # Every socket of a group is of the one consumer class that listens to it
        # (a thread page or a community's thread list): it says what the page gets.
        page = type(next(iter(members)))
        text = await page.encode_json(page.payload(event))
        for consumer in list(members):  # a copy: sockets may leave meanwhile
            self._start_eagerly(consumer.relay(text))

    def _start_eagerly(self, coro) -> None:
        """Run `coro` now, up to the first time it has to wait; only if it waits
        does a task finish it. This is what Python 3.12's eager tasks do, by hand
        for 3.11. A relay normally completes without waiting (uvicorn's send only
        writes to the transport's buffer), so the common case costs no task and no
        dispatch. A socket due for its access re-check (a database trip) or whose
        client reads slowly (uvicorn's send then waits for the buffer to drain)
        goes on in a task of its own and holds up neither the event loop's other
        sockets nor the next event. An error (a page that disconnected meanwhile)
        ends that socket's relay only."""
        # Run in a copy of the context, as a task would: nothing the relay sets
        # (asgiref and Django keep state in context variables) leaks into the hub.
        context = contextvars.copy_context()
        try:
            waiting_for = context.run(coro.send, None)
        except StopIteration:
            return
        except Exception:
            logger.info("Forum hub: a socket could not be sent to", exc_info=True)
            return
        task = asyncio.get_running_loop().create_task(_finish(coro, waiting_for), context=context)
        self._relays.add(task)
        task.add_done_callback(self._relays.discard)


async def _finish(coro, waiting_for) -> None:
    """Drive a coroutine that stopped on `waiting_for` to its end, as a task would:
    wait until that future is done, then resume it (it takes the future's result
    or exception itself)."""
    try:
        while True:
            if waiting_for is None:  # a bare yield: asyncio.sleep(0)
                await asyncio.sleep(0)
            else:
                await asyncio.wait([waiting_for])
            waiting_for = coro.send(None)
    except StopIteration:
        pass
    except Exception:
        logger.info("Forum hub: a socket could not be sent to", exc_info=True)
    finally:
        coro.close()
