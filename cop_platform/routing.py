"""All websocket routes of the platform; apps add theirs here."""

from django.urls import path

from cop_platform.health import HealthConsumer

websocket_urlpatterns = [
    path("ws/health/", HealthConsumer.as_asgi()),
]
