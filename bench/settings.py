"""The production settings plus one bare view, the benchmark's ceiling (bench/urls.py).

Only `make bench` uses this module; the environment is that of production
(SECRET_KEY, ALLOWED_HOSTS, DATABASE_URL, REDIS_URL ...)."""

from cop_platform.settings.production import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
