"""Fixtures for the page cache tests (test_page_cache.py, test_reader_page_cache.py)."""

import random

import pytest
from django.core.cache import cache

from cop_platform.page_cache import GENERATION_KEY, MEMBERS_GENERATION_KEY
from tests.views_support import default_language


@pytest.fixture
def page_cache(settings):
    """The cache on, in generations no earlier test stored pages under; the /en/
    requests of a test must not leave English active for the next one."""
    settings.PAGE_CACHE_SECONDS = 60
    for key in (GENERATION_KEY, MEMBERS_GENERATION_KEY):
        cache.set(key, random.randrange(10**6, 10**9), timeout=None)
    with default_language():
        yield


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    """Run a change as if its transaction committed (the tests' own never does)."""

    def run(change):
        with django_capture_on_commit_callbacks(execute=True):
            return change()

    return run
