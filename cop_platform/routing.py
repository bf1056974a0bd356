"""All websocket routes of the platform; apps add theirs here."""

from django.urls import path

from communities.forum.routing import websocket_urlpatterns as forum_websocket_urlpatterns
from cop_platform.health import HealthConsumer

websocket_urlpatterns = [
    path("ws/health/", HealthConsumer.as_asgi()),
    *forum_websocket_urlpatterns,
]
