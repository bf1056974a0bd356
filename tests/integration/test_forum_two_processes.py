"""Scale-out: two separately started ASGI server processes share the Redis channel
layer, so a post submitted through process A appears live on a socket connected
to process B. Both processes use this test's PostgreSQL database (transaction=True,
so the data set up here is committed and visible to them)."""

import asyncio
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
import websockets
from django.conf import settings
from django.db import connection
from django.test import Client

from tests.forum.conftest import member, outsider, thread  # noqa: F401  (fixtures)
from tests.views_support import subpage_url

pytestmark = pytest.mark.django_db(transaction=True)

ROOT = Path(__file__).resolve().parents[2]
START_TIMEOUT = 40
EVENT_TIMEOUT = 10


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _database_url() -> str:
    db = connection.settings_dict
    auth = urllib.parse.quote(db["USER"] or "")
    if db.get("PASSWORD"):
        auth += ":" + urllib.parse.quote(db["PASSWORD"])
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def _start_server(port: int) -> subprocess.Popen:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "cop_platform.settings.test",
        "DATABASE_URL": _database_url(),
        "REDIS_URL": settings.REDIS_URL,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
    }
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    return subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "cop_platform.asgi:application",
         "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )  # fmt: skip


def _wait_until_up(process: subprocess.Popen, port: int) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"server on {port} exited: {process.stderr.read().decode()}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as reply:
                if reply.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.3)
    raise AssertionError(f"server on {port} did not start within {START_TIMEOUT} s")


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)


def _session_cookie(user) -> str:
    client = Client()
    client.force_login(user)
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def _post_reply(port: int, session: str, thread_path: str, reply_path: str, body: str) -> int:
    """GET the thread page (for the CSRF cookie and token), then POST the form."""
    base = f"http://127.0.0.1:{port}"
    request = urllib.request.Request(
        base + thread_path, headers={"Cookie": f"{settings.SESSION_COOKIE_NAME}={session}"}
    )
    with urllib.request.urlopen(request, timeout=EVENT_TIMEOUT) as reply:
        page = reply.read().decode()
        cookies = reply.headers.get_all("Set-Cookie") or []
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    csrf_cookie = next(
        c.split(";")[0] for c in cookies if c.startswith(settings.CSRF_COOKIE_NAME + "=")
    )

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    data = urllib.parse.urlencode({"csrfmiddlewaretoken": token, "body": body}).encode()
    post = urllib.request.Request(
        base + reply_path,
        data=data,
        headers={
            "Cookie": f"{settings.SESSION_COOKIE_NAME}={session}; {csrf_cookie}",
            "Content-Type": "application/x-www-form-urlencoded",
        },
        method="POST",
    )
    try:
        with urllib.request.build_opener(NoRedirect).open(post, timeout=EVENT_TIMEOUT) as reply:
            return reply.status
    except urllib.error.HTTPError as error:
        return error.code


async def _await_fragment(url: str, headers: dict, submit, text: str) -> dict:
    async with websockets.connect(
        url, additional_headers=headers, open_timeout=EVENT_TIMEOUT
    ) as ws:
        await ws.send(json.dumps({"type": "ping"}))
        pong = json.loads(await asyncio.wait_for(ws.recv(), timeout=EVENT_TIMEOUT))
        assert pong == {"type": "pong"}
        status = await asyncio.get_running_loop().run_in_executor(None, submit)
        assert status == 302, status
        deadline = time.monotonic() + EVENT_TIMEOUT
        while time.monotonic() < deadline:
            event = json.loads(await asyncio.wait_for(ws.recv(), timeout=EVENT_TIMEOUT))
            if event["type"] == "post_created" and text in event["html"]["nl"]:
                return event
        raise AssertionError("the post did not arrive on process B")


def test_a_post_through_process_a_appears_live_on_process_b(thread, member, outsider, community):  # noqa: F811  (fixtures imported above)
    port_a, port_b = _free_port(), _free_port()
    server_a, server_b = _start_server(port_a), _start_server(port_b)
    try:
        _wait_until_up(server_a, port_a)
        _wait_until_up(server_b, port_b)
        thread_path = subpage_url(community, "forum_thread", thread.pk)
        reply_path = subpage_url(community, "forum_reply", thread.pk)
        writer, reader = _session_cookie(member), _session_cookie(outsider)
        text = "Over twee processen heen"

        event = asyncio.run(
            _await_fragment(
                f"ws://127.0.0.1:{port_b}/ws/forum/thread/{thread.pk}/",
                {
                    "Cookie": f"{settings.SESSION_COOKIE_NAME}={reader}",
                    "Origin": f"http://127.0.0.1:{port_b}",
                },
                lambda: _post_reply(port_a, writer, thread_path, reply_path, text),
                text,
            )
        )

        assert thread.posts.filter(pk=event["post_id"], author=member).exists()
        assert "Sanne de Vries" in event["html"]["nl"]
    finally:
        _stop(server_a)
        _stop(server_b)
