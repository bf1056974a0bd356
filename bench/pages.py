"""Time the main pages in-process on a fresh, seeded SQLite database.

    make bench            # or: python bench/pages.py --requests 200

Prints requests per second and SQL queries per page. In-process numbers leave
out the ASGI server; compare runs with each other, not with production.
"""

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=200, help="requests per page")
    args = parser.parse_args()

    database = Path(tempfile.mkdtemp()) / "bench.sqlite3"
    os.environ["DATABASE_URL"] = f"sqlite:///{database}"
    os.environ.pop("REDIS_URL", None)
    os.environ["DJANGO_SETTINGS_MODULE"] = "cop_platform.settings.dev"
    os.environ["DEBUG"] = "true"

    import django

    django.setup()
    from django.core.management import call_command
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections, connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from communities.models import CommunityPage
    from members.models import User

    # Keep one connection open, as a server with CONN_MAX_AGE would: otherwise
    # every request reconnects and the query log is lost between requests.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)

    call_command("migrate", verbosity=0)
    call_command("seed", verbosity=0)
    community = CommunityPage.objects.order_by("number").first()
    coordinator = User.objects.filter(is_superuser=True).first()

    anonymous = Client(HTTP_HOST="localhost")
    logged_in = Client(HTTP_HOST="localhost")
    logged_in.force_login(coordinator)
    pages = [
        ("home (anonymous)", anonymous, "/"),
        ("community page (anonymous)", anonymous, community.url),
        ("community page (coordinator)", logged_in, community.url),
        ("moderation page (coordinator)", logged_in, community.url + "moderatie/"),
        ("member list (coordinator)", logged_in, community.url + "leden/"),
        ("search", anonymous, "/zoeken/?q=bibliotheek"),
    ]
    print(f"{'page':34} {'req/s':>8} {'ms/req':>8} {'queries':>8}")
    for label, client, url in pages:
        response = client.get(url)
        assert response.status_code == 200, (label, response.status_code)
        # DEBUG logs every query into a bounded deque (9,000); once full, counting by
        # its length would read 0, so start each measurement from an empty log.
        connection.queries_log.clear()
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        started = time.perf_counter()
        for _ in range(args.requests):
            client.get(url)
        elapsed = time.perf_counter() - started
        print(
            f"{label:34} {args.requests / elapsed:8.1f} {1000 * elapsed / args.requests:8.2f} "
            f"{len(queries):8d}"
        )


if __name__ == "__main__":
    main()
