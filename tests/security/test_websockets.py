"""Cross-site websockets: only this site's own pages may open a socket.

A browser sends a member's session cookie with every websocket handshake,
whichever page opens it; the origin check (cop_platform/websocket_security.py)
is what keeps another site, or another service on the same host, from listening
in on the live forum as that member. It sits in front of every websocket route,
so it is held here on /ws/health/, which tells whether the session came along;
the route matrix (tests/security/test_route_matrix.py) holds every route against
a foreign origin, and tests/forum/test_consumers.py what a socket may see once
open (logout, deactivation, erasure).
"""

import pytest
from channels.testing import WebsocketCommunicator

from cop_platform.asgi import application
from tests.factories import UserFactory

pytestmark = [pytest.mark.asyncio, pytest.mark.django_db(transaction=True)]

PUBLIC_ORIGIN = "https://communities.example.org"


@pytest.fixture
def member_cookie(client, transactional_db):
    """The Cookie header of a logged-in member's browser."""
    client.force_login(UserFactory())
    return f"sessionid={client.cookies['sessionid'].value}".encode()


async def _opens_as_member(cookie: bytes, host: str, origin: str | None) -> bool:
    """Does a handshake with these headers open a socket that knows the member?"""
    headers = [(b"host", host.encode()), (b"cookie", cookie)]
    if origin is not None:
        headers.append((b"origin", origin.encode()))
    communicator = WebsocketCommunicator(application, "/ws/health/", headers=headers)
    connected, _ = await communicator.connect(timeout=5)
    try:
        if connected:
            await communicator.send_json_to({"type": "ping"})
            assert await communicator.receive_json_from(timeout=5) == {
                "type": "pong",
                "authenticated": True,
            }
        return connected
    finally:
        await communicator.disconnect()


@pytest.mark.parametrize(
    "host, origin",
    [
        ("testserver", "http://testserver"),
        # Behind the TLS proxy the page is https and the worker hears plain http.
        ("testserver", "https://testserver"),
        ("127.0.0.1:8000", "http://127.0.0.1:8000"),
        ("localhost:8000", "http://LOCALHOST:8000"),
    ],
    ids=["same-origin", "same-origin-behind-tls", "allowed-host-right-port", "case-of-host"],
)
async def test_the_sites_own_pages_may_open_a_socket(member_cookie, host, origin):
    assert await _opens_as_member(member_cookie, host, origin)


@pytest.mark.parametrize(
    "host, origin",
    [
        ("testserver", "https://evil.example.com"),
        # Channels' AllowedHostsOriginValidator let these in: the host is allowed,
        # but a page served on another port is another site.
        ("127.0.0.1:8000", "http://127.0.0.1:9000"),
        ("testserver", "http://testserver:8080"),
        ("localhost:8000", "http://localhost"),
        # Subdomains and look-alikes are other sites too.
        ("testserver", "http://www.testserver"),
        ("testserver", "http://testserver.evil.example"),
        # No Origin (not a browser page) and the opaque origin of sandboxed frames
        # and file: pages.
        ("testserver", None),
        ("testserver", "null"),
        ("testserver", "chrome-extension://abcdef"),
        ("testserver", "http://[::1"),
        # A page of a host this site does not serve (e.g. DNS rebinding).
        ("evil.example", "http://evil.example"),
    ],
    ids=[
        "foreign-origin",
        "allowed-host-other-port",
        "port-where-none-is-served",
        "default-port-where-another-is-served",
        "subdomain",
        "look-alike",
        "no-origin",
        "null-origin",
        "other-scheme",
        "unparsable",
        "host-not-allowed",
    ],
)
async def test_other_pages_are_refused(member_cookie, host, origin):
    assert not await _opens_as_member(member_cookie, host, origin)


async def test_allowed_hosts_wildcard_still_refuses_a_foreign_origin(member_cookie, settings):
    """With ALLOWED_HOSTS = ["*"] Channels' validator let every origin in; the
    origin must still be the page's own host."""
    settings.ALLOWED_HOSTS = ["*"]

    assert await _opens_as_member(member_cookie, "anything.example", "http://anything.example")
    assert not await _opens_as_member(member_cookie, "anything.example", "http://evil.example")


async def test_a_trusted_public_origin_is_let_in(member_cookie, settings):
    """Where the proxy forwards another Host than the public address, that address
    is listed in CSRF_TRUSTED_ORIGINS: it is let in with exactly that scheme, host
    and port."""
    settings.CSRF_TRUSTED_ORIGINS = [PUBLIC_ORIGIN]

    assert await _opens_as_member(member_cookie, "testserver", PUBLIC_ORIGIN)
    assert await _opens_as_member(member_cookie, "testserver", f"{PUBLIC_ORIGIN}:443")
    assert not await _opens_as_member(member_cookie, "testserver", "http://communities.example.org")
    assert not await _opens_as_member(member_cookie, "testserver", f"{PUBLIC_ORIGIN}:8443")
    assert not await _opens_as_member(
        member_cookie, "testserver", "https://www.communities.example.org"
    )
    # The Host still has to be one this site serves.
    assert not await _opens_as_member(member_cookie, "evil.example", PUBLIC_ORIGIN)
