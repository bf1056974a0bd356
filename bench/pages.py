"""SQL queries per page at two data scales, side by side (bench/generate.py data).

    python bench/pages.py --scales 1,10     # make bench runs this

Each scale gets a fresh SQLite database (query counts do not depend on the
engine), the founding communities from `seed`, and the generated data. The page
cache is off: the counts are those of rendering the page. Prints a Markdown
table; a page whose count grows with the data is marked.
"""

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))


def pages(data: dict) -> list[tuple[str, str, str]]:
    """(label, who, URL) of every public and member page measured."""
    community, thread = data["community"], data["thread"]
    sub = community.url
    return [
        ("home", "visitor", "/"),
        ("community page", "visitor", sub),
        ("community page", "member", sub),
        ("thread list", "member", sub + "forum/"),
        ("thread page (20 posts)", "member", f"{sub}forum/{thread.pk}/"),
        ("to-do list", "visitor", sub + "te-doen/"),
        ("to-do list", "member", sub + "te-doen/"),
        ("to-do overview", "visitor", "/te-doen/"),
        ("moderation page", "member", sub + "moderatie/"),
        ("manager coverage", "manager", f"/organisatie/{data['organisation'].pk}/rollen/"),
        ("network overview", "coordinator", "/coordinatie/netwerk/"),
        ("search", "visitor", "/zoeken/?q=leesclub"),
    ]


def count_queries(scale: int) -> dict:
    """Run in a child process per scale (a fresh database and Django setup)."""
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from bench.generate import generate

    call_command("migrate", verbosity=0)
    call_command("seed", "--no-accounts", verbosity=0)
    if scale == 0:  # the migrated, seeded database that each scale starts from
        return {}
    data = generate(scale)
    clients = {"visitor": Client(HTTP_HOST="localhost")}
    for who in ("member", "coordinator", "manager"):
        clients[who] = Client(HTTP_HOST="localhost")
        clients[who].force_login(data[who])
    counts = {}
    for label, who, url in pages(data):
        client = clients[who]
        response = client.get(url)  # warm: Wagtail's site root paths, sessions
        assert response.status_code == 200, (label, who, url, response.status_code)
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        counts[f"{label} ({who})"] = len(queries)
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scales", default="1,10")
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.child is not None:
        import json

        print(json.dumps(count_queries(args.child)))
        return

    import json

    scales = [int(s) for s in args.scales.split(",")]
    results = {}
    folder = Path(tempfile.mkdtemp())
    template = folder / "migrated.sqlite3"
    for scale in [0, *scales]:
        database = template if scale == 0 else folder / f"scale{scale}.sqlite3"
        if scale:
            shutil.copyfile(template, database)
        env = {
            **os.environ,
            "DATABASE_URL": f"sqlite:///{database}",
            "DJANGO_SETTINGS_MODULE": "cop_platform.settings.dev",
            "PAGE_CACHE_SECONDS": "0",
        }
        env.pop("REDIS_URL", None)
        output = subprocess.run(
            [sys.executable, __file__, "--child", str(scale)],
            env=env,
            cwd=REPO,
            capture_output=True,
            text=True,
        )
        if output.returncode:
            raise SystemExit(output.stderr)
        results[scale] = json.loads(output.stdout.strip().splitlines()[-1])
    shutil.rmtree(folder)
    header = " | ".join(f"scale {s}" for s in scales)
    print(f"| page | {header} | grows |")
    print("|---|" + "---:|" * len(scales) + "---|")
    for page in results[scales[0]]:
        counts = [results[s][page] for s in scales]
        grows = "**yes**" if len(set(counts)) > 1 else ""
        print(f"| {page} | " + " | ".join(str(c) for c in counts) + f" | {grows} |")


if __name__ == "__main__":
    main()
