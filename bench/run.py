"""`make bench`: every measurement in one run, written to bench/report.md.

    python bench/run.py            # scales 1 and 10, 3 rounds of 10 s
    python bench/run.py --quick    # scales 1 and 2, 1 round of 3 s

Needs PostgreSQL and Redis (BENCH_DATABASE_URL names a database this script drops
and creates; BENCH_REDIS_URL), `wrk` and `taskset`. The report is the measured
tables followed by bench/notes.md (the analysis, and the numbers from before the
fixes, which this run cannot reproduce).
"""

import argparse
import os
import platform
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

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
    import django
    import uvicorn
    import wagtail

    with psycopg.connect(database_url) as connection:
        (postgres,) = connection.execute("SHOW server_version").fetchone()
    redis = subprocess.run(["redis-server", "--version"], capture_output=True, text=True)
    rows = [
        ("Python", platform.python_version()),
        ("Django", django.get_version()),
        ("Wagtail", wagtail.__version__),
        ("Channels", channels.__version__),
        ("uvicorn", uvicorn.__version__),
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
    timing = ["--rounds", "1", "--seconds", "3", "--warmup", "1"] if args.quick else []

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
    load = uptime()
    sections.append(
        "## Requests per second against the ceiling (`bench/throughput.py`)\n\n"
        "Production settings (DEBUG off, page cache on), PostgreSQL + Redis, one uvicorn "
        "worker on core 0, wrk on core 1. The `wagtail start` reference is built in a "
        "temporary folder (bench/reference.py) and served the same way, on PostgreSQL.\n\n"
        f"`{load}`\n\n" + run("throughput.py", *timing, env=production)
    )
    shutil.rmtree(folder)
    sections.append(
        "## Profile: member pages (`bench/profile.py`)\n\n" + run("profile.py", env=production)
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
            env=connections_env,
        )
    )
    notes = (REPO / "bench" / "notes.md").read_text()
    report = "\n\n".join(sections) + "\n\n" + notes
    (REPO / "bench" / "report.md").write_text(report)
    print(report)


if __name__ == "__main__":
    main()
