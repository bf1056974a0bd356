"""`make bench`: every measurement in one run, written to bench/report.md.

    python bench/run.py            # scales 1 and 10, 3 rounds of 8 s, fan-out at
                                   # 50-1,000 sockets, 1,000 idle sockets for 60 s
    python bench/run.py --quick    # scales 1 and 2, 1 round of 3 s, no peer forum,
                                   # fan-out at 1,000 sockets, 10 posts/s, for 5 s,
                                   # 1,000 idle sockets for 10 s

Needs PostgreSQL and Redis (BENCH_DATABASE_URL names a database this script drops
and creates; BENCH_REDIS_URL), `wrk` and `taskset`. The servers listen on
BENCH_PORT (default 8171) + 0-2, 10-11 and 20. The report is the measured
tables followed by bench/notes.md (the analysis, and the numbers from before the
fixes, which this run cannot reproduce).
"""

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.peer import build as build_peer  # noqa: E402
from bench.reference import build as build_reference  # noqa: E402

REPO = Path(__file__).resolve().parent.parent


def recreate_database(url: str) -> None:
    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    maintenance = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(maintenance, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
        connection.execute(f'CREATE DATABASE "{name}"')


def run(script: str, *args: str, env: dict | None = None) -> str:
    result = subprocess.run(
        [sys.executable, f"bench/{script}", *args],
        cwd=REPO,
        env=env or os.environ,
        capture_output=True,
        text=True,
    )
    if result.returncode:
        raise SystemExit(f"bench/{script} failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout.strip()


def versions(database_url: str) -> str:
    import channels
    import channels_redis
    import django
    import redis as redis_py
    import uvicorn
    import uvloop
    import wagtail
    import websockets

    with psycopg.connect(database_url) as connection:
        (postgres,) = connection.execute("SHOW server_version").fetchone()
    redis = subprocess.run(["redis-server", "--version"], capture_output=True, text=True)
    rows = [
        ("Python", platform.python_version()),
        ("Django", django.get_version()),
        ("Wagtail", wagtail.__version__),
        ("Channels", channels.__version__),
        ("uvicorn (server, `--ws websockets-sansio`)", uvicorn.__version__),
        ("channels-redis", channels_redis.__version__),
        ("redis-py", redis_py.__version__),
        ("websockets (raw ceiling, clients)", websockets.__version__),
        ("uvloop (raw ceiling, clients)", uvloop.__version__),
        ("PostgreSQL", postgres),
        ("Redis", redis.stdout.split()[2].removeprefix("v=") if redis.returncode == 0 else "?"),
        ("cores", str(os.cpu_count())),
        ("machine", platform.machine()),
    ]
    return "| what | version |\n|---|---|\n" + "\n".join(f"| {k} | {v} |" for k, v in rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()

    database_url = os.environ.get(
        "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/cop_bench"
    )
    production = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "SECRET_KEY": "bench-only-" + "k3y" * 20,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DATABASE_URL": database_url,
        "REDIS_URL": os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/15"),
        "CACHE_KEY_PREFIX": "cop-bench",
        "SECURE_SSL_REDIRECT": "false",
    }
    scales = "1,2" if args.quick else "1,10"
    port = int(os.environ.get("BENCH_PORT", "8171"))
    # 20 minutes in all on 2 cores: 11 pages × 3 rounds × (8 s + 2 s of warm-up).
    timing = (
        ["--rounds", "1", "--seconds", "3", "--warmup", "1"]
        if args.quick
        else ["--rounds", "3", "--seconds", "8", "--warmup", "2"]
    )
    timing += ["--port", str(port)]

    started = time.monotonic()

    def uptime() -> str:
        return subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()

    sections = ["# Performance report (`make bench`" + (" QUICK=1)" if args.quick else ")")]
    sections.append(
        "The machine is shared: the load average (`uptime`) is printed with every "
        "measurement; ratios measured in interleaved rounds are the figures to compare."
    )
    sections.append("## Versions\n\n" + versions(database_url))

    load = uptime()
    sections.append(
        f"## SQL queries per page (`bench/pages.py`)\n\n`{load}`\n\n"
        + run("pages.py", "--scales", scales)
    )

    recreate_database(database_url)
    reference_url = database_url + "_reference"
    recreate_database(reference_url)
    folder = Path(tempfile.mkdtemp())
    reference = build_reference(folder, reference_url)
    timing += ["--reference", str(reference)]
    if not args.quick:  # installing the peer alone takes a minute or more
        peer_url = database_url + "_peer"
        recreate_database(peer_url)
        peer = folder / "peer.json"
        peer.write_text(json.dumps(build_peer(folder, peer_url, posts=20, per_page=20)))
        timing += ["--peer", str(peer)]
    load = uptime()
    sections.append(
        "## Requests per second against the ceiling (`bench/throughput.py`)\n\n"
        "Production settings (DEBUG off, page cache on), PostgreSQL + Redis, one uvicorn "
        "worker on core 0, wrk on core 1. The `wagtail start` reference is built in a "
        "temporary folder (bench/reference.py) and served the same way, on PostgreSQL; so "
        "is the peer forum, django-machina, in its own virtual environment installed "
        "from the package index (bench/peer.py).\n\n"
        f"`{load}`\n\n" + run("throughput.py", *timing, env=production)
    )
    shutil.rmtree(folder)
    sections.append(
        "## Profile: member pages (`bench/profile.py`)\n\n" + run("profile.py", env=production)
    )

    load = uptime()
    # 20 minutes in all on 2 cores: 8 s per rate (not 30), and the old production
    # layer (RedisChannelLayer) at 200 and 1,000 sockets only.
    fanout = (
        ["--sizes", "1000", "--rates", "10", "--seconds", "5", "--setups", "pubsub,raw"]
        + ["--idle", "1000", "--idle-seconds", "10"]
        if args.quick
        else ["--sizes", "50,200,500,1000", "--rates", "1,10", "--seconds", "8"]
        + ["--setups", "memory,redis:200/1000,pubsub,raw", "--idle", "1000"]
        + ["--idle-seconds", "60"]
    )
    sections.append(
        "## Websocket fan-out and idle sockets (`bench/fanout.py`)\n\n"
        f"`{load}`\n\n" + run("fanout.py", *fanout, "--port", str(port + 10), env=production)
    )

    community = "/communities/mediawijsheid/"
    load = uptime()
    connections_env = {**production, "PAGE_CACHE_SECONDS": "0"}
    sections.append(
        "## PostgreSQL connections and errors under load (`bench/connections.py`)\n\n"
        "Two uvicorn workers, anonymous community page with the page cache off (every "
        "request renders and uses the database).\n\n"
        f"`{load}`\n\n"
        + run(
            "connections.py",
            "--url",
            community,
            "--seconds",
            "3" if args.quick else "10",
            "--port",
            str(port + 20),
            env=connections_env,
        )
    )
    took = (time.monotonic() - started) / 60
    sections.insert(2, f"This run took {took:.1f} minutes (`uptime` at the end: `{uptime()}`).")
    notes = (REPO / "bench" / "notes.md").read_text()
    report = "\n\n".join(sections) + "\n\n" + notes
    (REPO / "bench" / "report.md").write_text(report)
    print(report)


if __name__ == "__main__":
    main()
