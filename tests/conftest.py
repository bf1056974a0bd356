"""Shared fixtures, and which tests run in which pass.

`make test` runs pytest twice:

- COP_TEST_PASS=embedded: SQLite and the in-memory channel layer
  (DATABASE_URL and REDIS_URL unset), browser tests included;
- COP_TEST_PASS=services (CI, or whenever DATABASE_URL/REDIS_URL are set):
  PostgreSQL and Redis, with `-m "not browser"`.

Tests marked `integration` (everything under tests/integration/) need
PostgreSQL and Redis; tests marked `browser` (everything under tests/browser/)
need /usr/bin/chromium. Where a service is missing they are skipped with the
reason shown in the summary, except under REQUIRE_SERVICES=1 (CI), where a
missing service stops the run with an error: CI must never go green by
skipping. The one exception is the embedded pass, which leaves the integration
tests to the services pass.
"""

import io
import os
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command

pytest_plugins = ["tests.memberships"]

CHROMIUM = Path("/usr/bin/chromium")
TESTS_DIR = Path(__file__).resolve().parent
AUTO_MARKERS = {TESTS_DIR / "browser": "browser", TESTS_DIR / "integration": "integration"}


def _test_pass() -> str:
    return os.environ.get("COP_TEST_PASS", "")


def _services_required() -> bool:
    return os.environ.get("REQUIRE_SERVICES") == "1"


def _missing_integration_services() -> str:
    """Why PostgreSQL + Redis are not usable here; empty when they are."""
    import redis
    from django.conf import settings

    problems = []
    engine = settings.DATABASES["default"]["ENGINE"]
    if engine != "django.db.backends.postgresql":
        problems.append(
            f"the database is {engine.rsplit('.', 1)[-1]}, not PostgreSQL "
            "(set DATABASE_URL=postgres://...)"
        )
    redis_url = settings.REDIS_URL
    if not redis_url:
        problems.append("REDIS_URL is not set")
    else:
        where = urlsplit(redis_url).netloc.rpartition("@")[2]  # never print a password
        try:
            redis.Redis.from_url(redis_url, socket_connect_timeout=2, socket_timeout=2).ping()
        except Exception as exc:  # any failure means "not usable"; the class says why
            problems.append(f"Redis at {where} does not answer ({exc.__class__.__name__})")
    return "; ".join(problems)


def _missing_browser() -> str:
    return "" if CHROMIUM.exists() else f"{CHROMIUM} does not exist (apt-get install chromium)"


def pytest_configure(config):
    # WhiteNoise warns that STATIC_ROOT is empty: tests never run collectstatic, and
    # development static files are served from the finders.
    config.addinivalue_line("filterwarnings", "ignore:No directory at:UserWarning")
    # pytest-playwright's fallback `base_url` fixture is a method; its problem, not ours.
    config.addinivalue_line(
        "filterwarnings",
        "ignore:Session-scoped fixtures defined as instance methods:DeprecationWarning",
    )


def pytest_itemcollected(item):
    """Mark tests by folder, before `-m` selects on the markers."""
    path = Path(item.path).resolve()
    for folder, marker in AUTO_MARKERS.items():
        if folder in path.parents:
            item.add_marker(marker)


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config, items):
    """Gate the selected tests on their services (after `-m` and pytest-django's
    reordering), and run browser tests last: Playwright's sync API keeps an event
    loop on the main thread until the session ends, which would get in the way of
    the asyncio tests."""
    required = _services_required()
    failures = []

    integration = [item for item in items if item.get_closest_marker("integration")]
    missing = _missing_integration_services() if _test_pass() != "embedded" else ""
    if _test_pass() == "embedded":
        reason = "integration: needs PostgreSQL + Redis; the services pass runs it"
        for item in integration:
            item.add_marker(pytest.mark.skip(reason=reason))
    elif missing and (integration or (required and _test_pass() == "services")):
        if required:
            failures.append(f"PostgreSQL + Redis: {missing}")
        else:
            for item in integration:
                item.add_marker(pytest.mark.skip(reason=f"integration: {missing}"))

    browser = [item for item in items if item.get_closest_marker("browser")]
    missing = _missing_browser()
    if browser and missing:
        if required:
            failures.append(f"browser tests: {missing}")
        else:
            for item in browser:
                item.add_marker(pytest.mark.skip(reason=f"browser: {missing}"))

    if failures:
        raise pytest.UsageError(
            "REQUIRE_SERVICES=1 but a service is missing, so this run cannot pass:\n  "
            + "\n  ".join(failures)
        )

    items[:] = [item for item in items if item not in browser] + browser


@pytest.fixture(autouse=True)
def _forget_site_root_paths():
    """Wagtail caches the sites' root paths in the (shared) cache; every test builds
    its own site tree, so none may see another test's."""
    from wagtail.models import Site

    Site.clear_site_root_paths_cache()
    yield
    Site.clear_site_root_paths_cache()


@pytest.fixture(autouse=True)
def _default_language():
    """LocaleMiddleware activates the request's language on the test's own thread
    and never deactivates it, so after a request to /en/ a later test's reverse()
    would build English URLs: every test starts and ends in the default language."""
    from django.utils import translation

    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _fresh_channel_layer():
    """A new channel layer object for every test. channels-redis creates its
    receive lock on first use, bound to that event loop; pytest-asyncio gives each
    test its own loop, so a layer kept from an earlier test (Channels caches it per
    process) failed with "Lock ... is bound to a different event loop". Every test
    that opens a socket or sends to a group (forum, health check, security,
    integration) needs it; for the others it costs nothing."""
    from channels.layers import channel_layers

    channel_layers.backends.clear()
    yield
    channel_layers.backends.clear()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Seed the test database once: the site tree and the 15 founding communities
    (as founded: the agenda's later history is for the tests that replay it).

    Ordinary tests roll their changes back, so they all start from this state;
    transactional tests flush it afterwards, and the fixtures below rebuild it
    (the seed is idempotent, and quick when there is nothing to do)."""
    with django_db_blocker.unblock():
        call_command("seed", "--as-founded", stdout=io.StringIO())


@pytest.fixture
def site_tree(db):
    """root → home page → community index, built by the real code; returns the index.

    `db` turns transactional when the test uses `live_server` or
    `transactional_db`; those flush the root page and Site that Wagtail's
    migrations made, which is why the tree is always built here.
    """
    from home.site_tree import ensure_site_tree

    return ensure_site_tree()


@pytest.fixture
def communities(site_tree):
    """The 15 founding communities as founded in 2017 (before the agenda's merge and
    renames), created by the real `seed` command, by number."""
    from communities.models import CommunityPage

    call_command("seed", "--as-founded", stdout=io.StringIO())
    return list(CommunityPage.objects.order_by("number"))


@pytest.fixture
def user(db):
    """A member with a verified e-mail address (can log in)."""
    from tests.factories import UserFactory

    return UserFactory()
