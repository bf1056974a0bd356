"""PostgreSQL connections held and errors under load, with the production settings.

    python bench/connections.py --url /communities/mediawijsheid/ [--workers 2]

Needs the production environment (DJANGO_SETTINGS_MODULE=cop_platform.settings.
production, SECRET_KEY, ALLOWED_HOSTS, DATABASE_URL on PostgreSQL with a seeded
database, REDIS_URL, SECURE_SSL_REDIRECT=false) and `wrk` on the PATH. Starts
uvicorn with N workers, runs wrk at 8, 32 and 128 concurrent clients, and samples
pg_stat_activity for this database while each run lasts. Prints a Markdown table.
"""

import argparse
import os
import re
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import psycopg

REPO = Path(__file__).resolve().parent.parent


def start_server(port: int, workers: int, cpus: str | None) -> subprocess.Popen:
    command = [
        sys.executable,
        "-m",
        "uvicorn",
        "cop_platform.asgi:application",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--workers",
        str(workers),
        "--no-access-log",
        "--log-level",
        "warning",
    ]
    if cpus:
        command = ["taskset", "-c", cpus, *command]
    server = subprocess.Popen(command, cwd=REPO, stderr=subprocess.PIPE, text=True)
    wait_until_up(f"http://127.0.0.1:{port}/healthz")
    return server


def wait_until_up(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # nosec B310  # local
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"server did not answer {url} within {seconds} s")


def run_wrk(url: str, clients: int, seconds: int, cpus: str | None) -> dict:
    command = ["wrk", "-t1", f"-c{clients}", f"-d{seconds}s", "--timeout", "30s", "--latency", url]
    if cpus:
        command = ["taskset", "-c", cpus, *command]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    return parse_wrk(output)


def parse_wrk(output: str) -> dict:
    """Requests/s, p50/p99 in ms, and every failed request (non-2xx/3xx, socket errors)."""

    def millis(label: str) -> float:
        match = re.search(rf"^\s*{label}\s+([\d.]+)(us|ms|s)\b", output, re.MULTILINE)
        if not match:
            return float("nan")
        value, unit = float(match.group(1)), match.group(2)
        return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value

    requests = int(re.search(r"(\d+) requests in", output).group(1))
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    socket = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    return {
        "requests": requests,
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        "p50": millis("50%"),
        "p99": millis("99%"),
        "non_2xx": int(non_2xx.group(1)) if non_2xx else 0,
        "socket_errors": sum(int(n) for n in socket.groups()) if socket else 0,
    }


class ConnectionSampler(threading.Thread):
    """The most connections other clients held on this database while it ran."""

    def __init__(self, dsn: str):
        super().__init__(daemon=True)
        self.dsn = dsn
        self.peak = 0
        self.last = 0
        self.stopping = threading.Event()

    def run(self) -> None:
        with psycopg.connect(self.dsn, autocommit=True) as connection:
            while not self.stopping.is_set():
                (count,) = connection.execute(
                    "SELECT count(*) FROM pg_stat_activity "
                    "WHERE datname = current_database() AND pid <> pg_backend_pid()"
                ).fetchone()
                self.last = count
                self.peak = max(self.peak, count)
                time.sleep(0.25)

    def stop(self) -> None:
        self.stopping.set()
        self.join()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--url", required=True, help="path to load, e.g. a community page")
    parser.add_argument("--port", type=int, default=8170)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--clients", default="8,32,128")
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--server-cpus", default=None, help="taskset list for the server")
    parser.add_argument("--wrk-cpus", default=None, help="taskset list for wrk")
    args = parser.parse_args()

    dsn = os.environ["DATABASE_URL"]
    with psycopg.connect(dsn) as connection:
        (max_connections,) = connection.execute("SHOW max_connections").fetchone()
    server = start_server(args.port, args.workers, args.server_cpus)
    rows = []
    try:
        for clients in [int(c) for c in args.clients.split(",")]:
            sampler = ConnectionSampler(dsn)
            sampler.start()
            result = run_wrk(
                f"http://127.0.0.1:{args.port}{args.url}", clients, args.seconds, args.wrk_cpus
            )
            sampler.stop()
            rows.append((clients, sampler.peak, sampler.last, result))
    finally:
        server.terminate()
        _, server_log = server.communicate(timeout=30)
    server_errors = server_log.count("Internal Server Error") + server_log.count("Traceback")
    load = os.getloadavg()
    print(
        f"{args.workers} uvicorn workers, pool max {os.environ.get('DB_POOL_MAX_SIZE', 10)} "
        f"per worker, PostgreSQL max_connections {max_connections}, {args.seconds} s per run, "
        f"load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}, URL {args.url}\n"
    )
    print(
        "| clients | connections held (peak) | at the end | requests | req/s | p50 ms "
        "| p99 ms | non-2xx | socket errors |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for clients, peak, last, r in rows:
        print(
            f"| {clients} | {peak} | {last} | {r['requests']} | {r['rps']:.1f} | "
            f"{r['p50']:.0f} | {r['p99']:.0f} | {r['non_2xx']} | {r['socket_errors']} |"
        )
    print(f"\nserver errors logged: {server_errors}")
    if server_errors:
        print(server_log[-3000:])


if __name__ == "__main__":
    main()
