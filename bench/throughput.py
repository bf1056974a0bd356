"""Requests per second of the main pages against the ceiling, interleaved.

    python bench/throughput.py --rounds 3 --seconds 10     # make bench runs this

Needs the production environment of bench/connections.py, with
DJANGO_SETTINGS_MODULE=bench.settings and an empty PostgreSQL database in
DATABASE_URL (bench/prepare.py fills it). One uvicorn worker pinned to core 0,
`wrk -t1 -c8` pinned to core 1 (taskset); every target once per round (A B C ...
A B C ...), a warm-up before each run; medians over the rounds. Prints Markdown.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.connections import parse_wrk, wait_until_up  # noqa: E402

REPO = Path(__file__).resolve().parent.parent


REFERENCE = "default `wagtail start` home page"
CEILING = "bare Django view (ceiling)"
OUR_THREAD = "thread page, 20 posts (member)"
OUR_THREAD_RENDERED = "thread page, 20 posts (member, rendered: hard reload)"
# A browser's hard reload: the members' page cache renders the page afresh.
HARD_RELOAD = "Cache-Control: no-cache"
PEER_MEMBER = "django-machina topic page, 20 posts (member)"
PEER_VISITOR = "django-machina topic page, 20 posts (visitor)"


def targets(
    prepared: dict, base: str, reference: str | None, peer: tuple[str, dict] | None
) -> list[tuple[str, str, list[str]]]:
    """(label, URL, request headers) in the order of each round. The member's rows
    without a header are answered from their page cache after the warm-up; the
    "rendered" rows send a hard reload's header, so every request renders."""
    member = f"Cookie: {prepared['cookie']}"
    rows = [
        (CEILING, base + "/bench/ok", []),
        ("home page (visitor)", base + "/", []),
        ("community page (visitor)", base + prepared["community"], []),
        ("to-do overview (visitor)", base + "/te-doen/", []),
        ("community page (member)", base + prepared["community"], [member]),
        (
            "community page (member, rendered: hard reload)",
            base + prepared["community"],
            [member, HARD_RELOAD],
        ),
        (OUR_THREAD, base + prepared["thread"], [member]),
        (OUR_THREAD_RENDERED, base + prepared["thread"], [member, HARD_RELOAD]),
    ]
    if reference:
        rows.insert(1, (REFERENCE, reference + "/", []))
    if peer:
        address, built = peer
        rows.append((PEER_MEMBER, address + built["topic"], [f"Cookie: {built['cookie']}"]))
        rows.append((PEER_VISITOR, address + built["topic"], []))
    return rows


def serve(
    port: int, cwd: Path, app: str, env: dict | None = None, python: str = sys.executable
) -> subprocess.Popen:
    """One uvicorn worker pinned to core 0."""
    return subprocess.Popen(
        ["taskset", "-c", "0", python, "-m", "uvicorn", app]
        + ["--host", "127.0.0.1", "--port", str(port), "--no-access-log"]
        + ["--log-level", "warning"],
        cwd=cwd,
        env=env,
    )


def wrk(url: str, headers: list[str], seconds: int, clients: int, cpus: str) -> dict:
    command = ["taskset", "-c", cpus, "wrk", "-t1", f"-c{clients}", f"-d{seconds}s"]
    command += ["--timeout", "10s", "--latency"]
    for header in headers:
        command += ["-H", header]
    output = subprocess.run([*command, url], capture_output=True, text=True, check=True)
    return parse_wrk(output.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, default=8171)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--warmup", type=int, default=2)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--scale", type=int, default=1)
    parser.add_argument(
        "--reference", type=Path, help="a `wagtail start` project built by bench/reference.py"
    )
    parser.add_argument(
        "--peer", type=Path, help="JSON of a django-machina project built by bench/peer.py"
    )
    args = parser.parse_args()

    prepared = json.loads(
        subprocess.run(
            [sys.executable, "bench/prepare.py", "--scale", str(args.scale)],
            cwd=REPO,
            capture_output=True,
            text=True,
            check=True,
        )
        .stdout.strip()
        .splitlines()[-1]
    )
    servers = [serve(args.port, REPO, "cop_platform.asgi:application")]
    base = f"http://127.0.0.1:{args.port}"
    reference = None
    if args.reference:
        reference = f"http://127.0.0.1:{args.port + 1}"
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": "refsite.settings.production"}
        servers.append(serve(args.port + 1, args.reference, "refsite.asgi:application", env))
    peer = None
    if args.peer:
        built = json.loads(args.peer.read_text())
        peer = (f"http://127.0.0.1:{args.port + 2}", built)
        env = {"DJANGO_SETTINGS_MODULE": "peersite.settings", "PATH": "/usr/bin:/bin"}
        servers.append(
            serve(
                args.port + 2,
                Path(built["project"]),
                "peersite.asgi:application",
                env,
                python=built["python"],
            )
        )
    results: dict[str, list[dict]] = {}
    loads = []
    try:
        wait_until_up(base + "/healthz")
        if reference:
            wait_until_up(reference + "/")
        if peer:
            wait_until_up(peer[0] + peer[1]["topic"])
        for _ in range(args.rounds):
            loads.append(os.getloadavg()[0])
            for label, url, headers in targets(prepared, base, reference, peer):
                wrk(url, headers, args.warmup, args.clients, "1")
                result = wrk(url, headers, args.seconds, args.clients, "1")
                assert result["non_2xx"] == 0 and result["socket_errors"] == 0, (label, result)
                results.setdefault(label, []).append(result)
    finally:
        for server in servers:
            server.terminate()
            server.wait(timeout=30)

    def median(label: str, key: str) -> float:
        return statistics.median(r[key] for r in results[label])

    ceiling = median(CEILING, "rps")
    wagtail = median(REFERENCE, "rps") if REFERENCE in results else None
    print(
        f"{args.rounds} interleaved rounds of {args.seconds} s, wrk -t1 -c{args.clients}, "
        f"scale {args.scale}, load average (1 min) at the start of each round: "
        + ", ".join(f"{load:.1f}" for load in loads)
        + "\n"
    )
    print(
        "| page | req/s (median) | p50 ms | p99 ms | ratio to ceiling "
        "| ratio to `wagtail start` | req/s per round |"
    )
    print("|---|---:|---:|---:|---:|---:|---|")
    for label in results:
        rps = median(label, "rps")
        rounds = ", ".join(f"{r['rps']:.0f}" for r in results[label])
        print(
            f"| {label} | {rps:.1f} | {median(label, 'p50'):.1f} | {median(label, 'p99'):.1f} "
            f"| {rps / ceiling:.2f} | {f'{rps / wagtail:.2f}' if wagtail else '–'} | {rounds} |"
        )
    if PEER_MEMBER in results:
        peer_member, peer_visitor = median(PEER_MEMBER, "rps"), median(PEER_VISITOR, "rps")

        def against_peer(label: str, what: str) -> str:
            ours = median(label, "rps")
            return (
                f"{what}: {ours / peer_member:.2f} times the requests/s of django-machina's "
                f"topic page to a member and {ours / peer_visitor:.2f} times to a visitor, "
                f"p99 {median(label, 'p99'):.0f} ms"
            )

        print(
            "\nPeer forum (target 3): our thread page to a member, "
            + against_peer(OUR_THREAD, "from the member's page cache (the same page again)")
            + "; "
            + against_peer(OUR_THREAD_RENDERED, "rendered (every request a hard reload)")
            + f"; machina's p99 {median(PEER_MEMBER, 'p99'):.0f} ms (member) and "
            f"{median(PEER_VISITOR, 'p99'):.0f} ms (visitor). "
            "Both 20 posts on one page, persistent connections off, same PostgreSQL, "
            "worker core and wrk."
        )


if __name__ == "__main__":
    main()
