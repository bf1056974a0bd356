"""Settings for the ASGI server process of the live-forum browser tests: the test
settings, plus static files served from the finders (no collectstatic in tests)
and forum.js's test hooks switched on."""

from cop_platform.settings.test import *  # noqa: F403

WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
FORUM_TEST_HOOKS = True
