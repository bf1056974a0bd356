"""Fill the benchmark database: migrate, seed the site tree and communities, and
generate scale-s data (bench/generate.py). Writes what the HTTP benchmark needs
(URLs, a member's cookies) as JSON to stdout.

    DJANGO_SETTINGS_MODULE=bench.settings python bench/prepare.py --scale 1
"""

import argparse
import io
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scale", type=int, default=1)
    parser.add_argument(
        "--existing",
        action="store_true",
        help="the database is filled already: only a new session for the same member",
    )
    args = parser.parse_args()

    import django

    django.setup()
    from django.core.management import call_command

    from bench.generate import generate, generated

    if args.existing:
        data = generated()
    else:
        quiet = io.StringIO()
        call_command("migrate", verbosity=0, stdout=quiet)
        call_command("seed", "--no-accounts", verbosity=0, stdout=quiet)
        call_command("collectstatic", "--noinput", verbosity=0, stdout=quiet)
        data = generate(args.scale)

    print(json.dumps(targets(data["member"], data["community"], data["thread"])))


def targets(member, community, thread) -> dict:
    """A logged-in session of the member and the pages to measure. The cookies are a
    browser's after logging in: the session and the CSRF cookie (without the
    latter every page would set a new one, and a page that sets a cookie is not
    kept in the members' page cache)."""
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.base import SessionBase
    from django.middleware.csrf import CSRF_ALLOWED_CHARS, CSRF_SECRET_LENGTH
    from django.utils.crypto import get_random_string

    store: SessionBase = import_module(settings.SESSION_ENGINE).SessionStore()
    store[SESSION_KEY] = str(member.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = member.get_session_auth_hash()
    store.create()
    return {
        "cookie": f"{settings.SESSION_COOKIE_NAME}={store.session_key}; "
        f"{settings.CSRF_COOKIE_NAME}={get_random_string(CSRF_SECRET_LENGTH, CSRF_ALLOWED_CHARS)}",
        "community": community.url,
        "thread": f"{community.url}forum/{thread.pk}/",
        "thread_id": thread.pk,
        "community_id": community.pk,
    }


if __name__ == "__main__":
    main()
