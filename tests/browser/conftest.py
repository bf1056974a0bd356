"""Playwright in the system Chromium (never a downloaded browser)."""

import os

import pytest

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def pytest_runtest_setup(item):
    """Playwright's sync API keeps an event loop running on the main thread until
    the session ends, so Django refuses the synchronous database calls of these
    tests and their fixtures (SynchronousOnlyOperation).

    Allowed from the first browser test on, not at import: every conftest is
    imported at collection, and the asyncio tests elsewhere must keep Django's
    check. The root conftest runs browser tests last."""
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": "/usr/bin/chromium",
        "headless": True,
        "args": CHROMIUM_ARGS,
    }


@pytest.fixture
def site(live_server, communities):
    """The live site (its own thread, WSGI) with the seeded communities; returns its URL.

    `communities` runs inside this test's transactional database, so the server
    sees it."""
    return live_server.url


@pytest.fixture
def people_and_pages(site, communities):
    """One small network with someone in every role, everything through the real
    services, and the site's page types (one page of every distinct template a
    person can reach) for the accessibility and layout walks: see
    tests/browser/site_pages.py."""
    from tests.browser.site_pages import build

    return build(communities)
