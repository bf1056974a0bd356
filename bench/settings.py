"""The production settings plus one bare view, the benchmark's ceiling (bench/urls.py).

Only `make bench` uses this module; the environment is that of production
(SECRET_KEY, ALLOWED_HOSTS, DATABASE_URL, REDIS_URL ...). BENCH_CHANNEL_LAYER picks
the channel layer for the websocket fan-out (bench/fanout.py): "memory" (one
process), "redis" (channels-redis' RedisChannelLayer) or "pubsub" (its
RedisPubSubChannelLayer); unset, the production choice stands."""

import os

from cop_platform.settings.production import *  # noqa: F403

ROOT_URLCONF = "bench.urls"

_LAYERS = {
    "memory": {"BACKEND": "channels.layers.InMemoryChannelLayer"},
    "redis": {
        "BACKEND": "channels_redis.core.RedisChannelLayer",
        "CONFIG": {"hosts": [REDIS_URL]},  # noqa: F405
    },
    "pubsub": {
        "BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer",
        "CONFIG": {"hosts": [REDIS_URL]},  # noqa: F405
    },
}
if os.environ.get("BENCH_CHANNEL_LAYER"):
    CHANNEL_LAYERS = {"default": _LAYERS[os.environ["BENCH_CHANNEL_LAYER"]]}
