"""ASGI entry point: HTTP through Django, WebSockets through Channels."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cop_platform.settings.dev")

# Initialise Django (app registry, settings) before importing anything that
# imports models, such as the consumers behind the websocket routes.
django_asgi_app = get_asgi_application()

from channels.auth import AuthMiddleware  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.sessions import CookieMiddleware, InstanceSessionWrapper  # noqa: E402

from cop_platform.routing import websocket_urlpatterns  # noqa: E402
from cop_platform.websocket_security import SameOriginValidator  # noqa: E402


class WebsocketSessionMiddleware:
    """Channels' SessionMiddleware without its send wrapper. The wrapper saves the
    session and sets its cookie on "http.response.start", a message a websocket
    never sends; yet it ran for every frame sent to every socket, a sixth of a
    socket worker's CPU at 1,000 readers and 10 posts/s (bench/notes.md). The
    scope gets the session exactly as Channels' own middleware gives it."""

    def __init__(self, inner):
        self.inner = inner

    async def __call__(self, scope, receive, send):
        wrapper = InstanceSessionWrapper(scope, send)
        await wrapper.resolve_session()
        return await self.inner(wrapper.scope, receive, send)


def websocket_stack(inner):
    """Channels' AuthMiddlewareStack, with the session middleware above."""
    return CookieMiddleware(WebsocketSessionMiddleware(AuthMiddleware(inner)))


application = ProtocolTypeRouter(
    {
        "http": django_asgi_app,
        # Only this site's own pages may open a socket (cross-site websocket
        # hijacking); see cop_platform/websocket_security.py.
        "websocket": SameOriginValidator(websocket_stack(URLRouter(websocket_urlpatterns))),
    }
)
