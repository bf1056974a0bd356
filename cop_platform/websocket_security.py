"""Which pages may open a websocket to this site: the origin check in front of
every websocket route (see asgi.py).

A browser sends cookies with a websocket handshake whatever page opens it, and
CSRF protection does not cover websockets, so the `Origin` header is what keeps
another site from listening in with a member's session (cross-site websocket
hijacking). Channels' AllowedHostsOriginValidator is not strict enough here: it
compares host names only, so a page on an allowed host but another port (any
other service on the same machine) would get in, and `ALLOWED_HOSTS = ["*"]` lets
every origin in.

A handshake is accepted only when

- its `Host` header passes ALLOWED_HOSTS (as every HTTP request must), and
- its `Origin` is this site itself: the origin's host and port equal the `Host`
  header. The scheme is not compared: behind a TLS proxy the browser's origin is
  https while the worker hears plain http. Browsers leave a scheme's default
  port out of both headers, so the two strings compare as they are; or
- its `Origin` is listed in CSRF_TRUSTED_ORIGINS (scheme, host and port exactly;
  Django's `*.` subdomain wildcards do not apply here), for a public address
  that differs from the `Host` the proxy forwards.

A missing `Origin`, the opaque origin `null` (sandboxed frames, `file:` pages)
and anything unparsable are refused.
"""

from urllib.parse import urlparse

from channels.security.websocket import OriginValidator, WebsocketDenier
from django.conf import settings
from django.http.request import split_domain_port, validate_host


def _header(scope, name: bytes) -> str | None:
    """The value of a header sent exactly once, else None (a repeated Host or
    Origin is not a browser's doing)."""
    values = [value for key, value in scope.get("headers", []) if key.lower() == name]
    return values[0].decode("latin1").strip() if len(values) == 1 else None


class SameOriginValidator(OriginValidator):
    """Lets a websocket handshake through to `application` only from this site's
    own pages (see the module docstring); others get Channels' WebsocketDenier.

    Settings are read per connection, not at start-up, so that tests can change
    them. Channels' OriginValidator supplies the exact scheme/host/port match used
    for CSRF_TRUSTED_ORIGINS; its own __call__ sees only the Origin, and this
    check also needs the Host header."""

    def __init__(self, application):
        super().__init__(application, allowed_origins=[])

    async def __call__(self, scope, receive, send):
        if scope["type"] != "websocket":
            raise ValueError("SameOriginValidator guards websocket connections only")
        if self.acceptable(scope):
            return await self.application(scope, receive, send)
        return await WebsocketDenier()(scope, receive, send)

    def acceptable(self, scope) -> bool:
        host = (_header(scope, b"host") or "").lower()
        domain, _port = split_domain_port(host)
        if not domain or not validate_host(domain, settings.ALLOWED_HOSTS):
            return False
        origin = (_header(scope, b"origin") or "").lower()
        try:
            parsed = urlparse(origin)
            if parsed.scheme not in ("http", "https") or not parsed.hostname:
                return False  # also a missing Origin and "null"
            if parsed.netloc == host:
                return True
            # Every CSRF_TRUSTED_ORIGINS entry has a scheme (Django's system check),
            # so Channels compares scheme, host and port (default ports filled in).
            return any(
                self.match_allowed_origin(parsed, trusted)
                for trusted in settings.CSRF_TRUSTED_ORIGINS
            )
        except ValueError:  # brackets or a port that urllib cannot read
            return False
