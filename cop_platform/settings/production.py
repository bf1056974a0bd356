"""Production: PostgreSQL, Redis, several ASGI workers behind a TLS proxy.

Refuses to start without SECRET_KEY, DATABASE_URL, REDIS_URL and ALLOWED_HOSTS.
"""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import env

DEBUG = False
SECRET_KEY = env("SECRET_KEY")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS")
DATABASES = {"default": env.db("DATABASE_URL")}
# Under ASGI every request runs in its own context, and Django keeps one connection
# per context: persistent connections (CONN_MAX_AGE > 0) are never reused there and
# pile up until PostgreSQL refuses new clients. Django's documentation says to turn
# them off under ASGI; psycopg's pool (Django 5.1+) hands each request a connection
# and takes it back when the request ends. Each worker holds at most
# DB_POOL_MAX_SIZE connections: workers x DB_POOL_MAX_SIZE must stay below
# PostgreSQL's max_connections (docs/deploy.md). A request that waits longer than
# DB_POOL_TIMEOUT seconds for a free connection fails instead of queueing forever.
DATABASES["default"]["CONN_MAX_AGE"] = 0
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
        "min_size": env.int("DB_POOL_MIN_SIZE", default=2),
        "max_size": env.int("DB_POOL_MAX_SIZE", default=10),
        "timeout": env.float("DB_POOL_TIMEOUT", default=10.0),
    }
if not env("REDIS_URL", default=""):
    raise ImproperlyConfigured(
        "REDIS_URL is required in production: workers share the channel layer and cache."
    )
# Live updates fan out: every post goes to every open page of its thread.
# channels-redis' RedisChannelLayer stores one copy of an event per socket in Redis
# and the worker holding the sockets fetches them one round trip each (1,000 open
# pages: 1,000 round trips per post); its pub/sub layer publishes an event once
# per group and each worker hands it to its own sockets. bench/report.md measures
# both (`make bench`). What pub/sub leaves out, keeping a message for a socket
# that is not listening at that moment, the forum does not need: a page that
# reconnects asks for what it missed ("since"). Development and the test suite's
# services pass keep RedisChannelLayer (base.py); tests/integration runs the
# forum's live path through this layer too.
CHANNEL_LAYERS = {
    "default": {
        "BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer",
        "CONFIG": {"hosts": [env("REDIS_URL")]},
    }
}

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https"
