"""Tests. The same services as development unless DATABASE_URL / REDIS_URL are set
(CI sets both and REQUIRE_SERVICES=1)."""

from .base import *  # noqa: F403
from .base import env

DEBUG = False
SECRET_KEY = "test-only-secret-key"  # nosec B105  # test settings only, never deployed
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Rate limits are tested on their own (tests override this); elsewhere they would
# turn a quick sequence of logins into a flaky failure.
ACCOUNT_RATE_LIMITS = False
LOGGING = {"version": 1, "disable_existing_loggers": False}
WAGTAILADMIN_BASE_URL = "http://testserver"
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["testserver", "localhost", "127.0.0.1"])
if "KEY_PREFIX" in CACHES["default"]:  # noqa: F405  (Redis: keep test keys apart from dev ones)
    CACHES["default"]["KEY_PREFIX"] = "cop-test"  # noqa: F405
if ON_POSTGRESQL:  # noqa: F405
    # Test databases are thrown away: a commit need not wait for the disk. On the
    # CI machine this takes about a quarter off the PostgreSQL pass.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c synchronous_commit=off"  # noqa: F405
# The anonymous page cache is off: tests change data inside a transaction that is
# never committed, so its on-commit invalidation would not run between two requests.
# tests/cop_platform/test_page_cache.py turns it on where it is the subject.
PAGE_CACHE_SECONDS = 0
