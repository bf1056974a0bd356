"""Websocket fan-out: how late, and how completely, a post reaches N open thread pages.

    python bench/fanout.py --sizes 50,200,500,1000 --rates 1,10 --seconds 30
    python bench/fanout.py --idle 1000 --idle-seconds 60

Needs the production environment of bench/throughput.py (DJANGO_SETTINGS_MODULE=
bench.settings, PostgreSQL filled by bench/prepare.py, Redis). For every number
of clients and every setup below, N websocket clients open the bench thread's
socket (as the member of bench/prepare.py, with the page's own Origin), then a
poster replies in the thread at each rate through /bench/post/ (bench/urls.py):
the forum's own service, which stamps the moment its transaction commits. Every
client notes when each post_created event arrives; latency = arrival - commit.
Posts still missing GRACE seconds after the last one count as not delivered.

Setups (the server side on core 0, the clients on core 1):
- memory: one process, Channels' in-memory layer (posts and sockets in one worker);
- redis / pubsub: two processes on Redis: the sockets on one uvicorn worker, the
  posts made by a second one (both on core 0: the same CPU as "memory"), the
  events crossing through channels-redis' RedisChannelLayer or its
  RedisPubSubChannelLayer;
- raw: the ceiling, a bare `websockets` server (uvloop) that, for each post,
  broadcasts the same message a thread page gets (post_created with the post's
  HTML in every language) to the same clients.

The clients run in one uvloop process; its CPU share is reported, so that a
saturated client is not read as a slow server. They do not negotiate
permessage-deflate (no per-socket compression in any setup).

--idle N: server CPU (user + system, from /proc) while N sockets stay open and
silent (the production layer; --idle-setups pubsub,raw adds the raw server).
"""

import argparse
import asyncio
import json
import os
import re
import subprocess
import sys
import threading
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

GRACE = 5.0  # seconds to wait for stragglers after the last post
CONNECT_CONCURRENCY = 50
POST_ID = re.compile(r'\{"type": ?"post_created", ?"post_id": ?(\d+)')
TICKS = os.sysconf("SC_CLK_TCK")


# --- the clients (a subprocess: `fanout.py clients ...`) ------------------------


async def clients_main(url: str, count: int, cookie: str, origin: str) -> None:
    """Open `count` sockets and say "ready"; then obey stdin: "start" (forget the
    arrivals so far), "count" (print how many arrived), "stop" (print
    {"arrivals": {post_id: [times]}, "cpu": seconds, "wall": seconds, "open": n}),
    anything else: exit."""
    import websockets

    arrivals: dict[str, list[float]] = {}
    sockets = []
    failed = 0
    limit = asyncio.Semaphore(CONNECT_CONCURRENCY)

    async def listen(socket):
        try:
            async for message in socket:
                now = time.time()
                match = POST_ID.match(message)
                if match:
                    arrivals.setdefault(match.group(1), []).append(now)
        except websockets.ConnectionClosed:
            pass

    async def open_one():
        nonlocal failed
        async with limit:
            try:
                socket = await websockets.connect(
                    url,
                    additional_headers={"Cookie": cookie, "Origin": origin},
                    compression=None,
                    open_timeout=60,
                    max_size=2**22,
                    ping_interval=None,
                )
            except (OSError, websockets.WebSocketException, TimeoutError):
                failed += 1
                return
            sockets.append(socket)

    await asyncio.gather(*(open_one() for _ in range(count)))
    listeners = [asyncio.create_task(listen(socket)) for socket in sockets]
    loop = asyncio.get_running_loop()
    reader = asyncio.StreamReader()
    await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), sys.stdin)
    print(json.dumps({"ready": len(sockets), "failed": failed}), flush=True)
    cpu0 = wall0 = 0.0
    while command := (await reader.readline()).decode().strip():
        if command == "start":
            arrivals.clear()
            cpu0, wall0 = time.process_time(), time.monotonic()
        elif command == "count":
            print(sum(len(times) for times in arrivals.values()), flush=True)
        elif command == "stop":
            cpu, wall = time.process_time() - cpu0, time.monotonic() - wall0
            closed = sum(1 for socket in sockets if socket.close_code is not None)
            result = {"arrivals": arrivals, "cpu": cpu, "wall": wall, "open": len(sockets) - closed}
            print(json.dumps(result), flush=True)
        else:
            break
    del listeners
    os._exit(0)  # closing 1,000 sockets politely takes longer than the run


# --- the raw ceiling (a subprocess: `fanout.py raw ...`) -------------------------


async def raw_main(port: int, payloads: Path) -> None:
    """A bare websockets server: GET /post broadcasts the next post's message to
    every open socket and answers its id and stamp; other paths are sockets."""
    from http import HTTPStatus

    from websockets.asyncio.server import broadcast, serve

    created = json.loads(payloads.read_text())
    sockets = set()
    counter = iter(range(10**9, 2 * 10**9))

    async def handler(socket):
        sockets.add(socket)
        try:
            await socket.wait_closed()
        finally:
            sockets.discard(socket)

    def process_request(connection, request):
        if request.path != "/post":
            return None
        post_id = next(counter)
        stamp = time.time()
        broadcast(sockets, json.dumps({**created, "post_id": post_id}))
        body = json.dumps({"post_id": post_id, "committed": stamp})
        response = connection.respond(HTTPStatus.OK, body)
        response.headers["Content-Type"] = "application/json"
        return response

    async with serve(
        handler,
        "127.0.0.1",
        port,
        process_request=process_request,
        compression=None,
        ping_interval=None,
        max_queue=None,
    ):
        print("up", flush=True)
        await asyncio.Future()


# --- the orchestra ---------------------------------------------------------------


def cpu_seconds(pid: int) -> float:
    """User + system CPU of a process (and its waited-for children) from /proc."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return sum(int(value) for value in fields[11:13]) / TICKS


def wait_until_up(url: str, seconds: float = 90) -> None:
    from bench.connections import wait_until_up as wait

    wait(url, seconds)


def start_uvicorn(port: int, cpus: str, layer: str, ws: str) -> subprocess.Popen:
    env = {**os.environ, "BENCH_CHANNEL_LAYER": layer}
    process = subprocess.Popen(
        ["taskset", "-c", cpus, sys.executable, "-m", "uvicorn", "cop_platform.asgi:application"]
        + ["--host", "127.0.0.1", "--port", str(port), "--ws", ws]
        + ["--ws-per-message-deflate", "false", "--no-access-log", "--log-level", "warning"],
        cwd=REPO,
        env=env,
        stdout=subprocess.DEVNULL,  # the console e-mail backend prints notifications
    )
    wait_until_up(f"http://127.0.0.1:{port}/healthz")
    return process


def start_raw(port: int, payloads: Path) -> subprocess.Popen:
    process = subprocess.Popen(
        ["taskset", "-c", "0", sys.executable, __file__, "raw", str(port), str(payloads)],
        cwd=REPO,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert process.stdout.readline().strip() == "up"
    return process


def start_clients(url: str, count: int, cookie: str, origin: str) -> tuple:
    process = subprocess.Popen(
        ["taskset", "-c", "1", sys.executable, __file__, "clients", url, str(count)]
        + [cookie, origin],
        cwd=REPO,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    ready = json.loads(process.stdout.readline())
    return process, ready


def post_at(rate: float, seconds: float, post_url: str) -> tuple[dict, int]:
    """POST at `rate` per second for `seconds` on schedule (late answers do not
    delay the next post); return {post_id: commit stamp}, the failures and, per
    post, the seconds from commit to the end of its on-commit work (group_send)."""
    stamps, failures, handed = {}, 0, []
    lock = threading.Lock()

    def one():
        nonlocal failures
        # The raw server answers only GET (a websockets server's HTTP side).
        request = (
            urllib.request.Request(post_url, data=b"Bench-bericht.", method="POST")
            if "/bench/post/" in post_url
            else urllib.request.Request(post_url)
        )
        try:
            with urllib.request.urlopen(request, timeout=30) as response:  # nosec B310  # local
                answer = json.load(response)
            with lock:
                stamps[str(answer["post_id"])] = answer["committed"]
                if "sent" in answer:
                    handed.append(answer["sent"] - answer["committed"])
        except OSError:
            with lock:
                failures += 1

    count = int(rate * seconds)
    start = time.monotonic()
    with ThreadPoolExecutor(max_workers=16) as pool:
        for n in range(count):
            delay = start + n / rate - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            pool.submit(one)
    return stamps, failures, handed


def percentile(values: list[float], share: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def measure(clients, servers: list[int], rate: float, seconds: float, post_url: str) -> dict:
    """One rate on sockets already open; returns latencies and shares."""
    process, ready = clients
    cpu_before = [cpu_seconds(pid) for pid in servers]
    wall0 = time.monotonic()
    process.stdin.write("start\n")
    process.stdin.flush()
    stamps, failures, handed = post_at(rate, seconds, post_url)
    expected = len(stamps) * ready["ready"]
    deadline = time.monotonic() + GRACE
    while time.monotonic() < deadline:
        process.stdin.write("count\n")
        process.stdin.flush()
        if int(process.stdout.readline()) >= expected:
            break
        time.sleep(0.25)
    process.stdin.write("stop\n")
    process.stdin.flush()
    result = json.loads(process.stdout.readline())
    wall = time.monotonic() - wall0
    servers_cpu = [
        (cpu_seconds(pid) - before) / wall for pid, before in zip(servers, cpu_before, strict=True)
    ]
    latencies = [
        arrival - stamps[post_id]
        for post_id, times in result["arrivals"].items()
        if post_id in stamps
        for arrival in times
    ]
    return {
        "posts": len(stamps),
        "post_failures": failures,
        "expected": expected,
        "delivered": len(latencies),
        "p50": percentile(latencies, 0.50) * 1000,
        "p95": percentile(latencies, 0.95) * 1000,
        "p99": percentile(latencies, 0.99) * 1000,
        "max": max(latencies, default=float("nan")) * 1000,
        "handed_p50": percentile(handed, 0.50) * 1000,
        "handed_p99": percentile(handed, 0.99) * 1000,
        "client_cpu": result["cpu"] / result["wall"],
        "server_cpu": servers_cpu,
        "still_open": result["open"],
    }


def prepared_session() -> dict:
    output = subprocess.run(
        [sys.executable, "bench/prepare.py", "--existing"],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(output.stdout.strip().splitlines()[-1])


def sample_payloads(prepared: dict, folder: Path) -> Path:
    """The message a thread page gets for a post, built the way the consumer builds
    it from the service's event (for the raw server to send)."""
    code = (
        "import django, json; django.setup()\n"
        "from communities.forum import rendering\n"
        "from communities.forum.models import Post\n"
        f"post = Post.objects.select_related('thread__community').filter(thread_id={prepared['thread_id']}).latest('pk')\n"  # noqa: E501
        "print(json.dumps({'type': 'post_created', 'post_id': post.pk,\n"
        "  'html': rendering.render_post_everywhere(post)}))\n"
    )
    output = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True
    )
    path = folder / "payloads.json"
    path.write_text(output.stdout.strip().splitlines()[-1])
    return path


SETUPS = {
    "memory": "one process, in-memory layer",
    "redis": "two processes, RedisChannelLayer",
    "pubsub": "two processes, RedisPubSubChannelLayer",
    "raw": "raw `websockets` broadcast (ceiling)",
}


def run_setup(setup, sizes, rates, seconds, prepared, payloads, port, ws) -> list[dict]:
    """Every size and rate of one setup; servers started once per setup."""
    processes = []
    if setup == "raw":
        processes.append(start_raw(port, payloads))
        socket_url = f"ws://127.0.0.1:{port}/ws"
        post_url = f"http://127.0.0.1:{port}/post"
        origin = f"http://127.0.0.1:{port}"
    else:
        processes.append(start_uvicorn(port, "0", setup, ws))
        poster_port = port
        if setup != "memory":
            poster_port = port + 1
            # Core 0 too: on the clients' core its post_create work (about a
            # core's worth at 10 posts/s here) would starve the clients.
            processes.append(start_uvicorn(poster_port, "0", setup, ws))
        socket_url = f"ws://127.0.0.1:{port}/ws/forum/thread/{prepared['thread_id']}/"
        post_url = f"http://127.0.0.1:{poster_port}/bench/post/{prepared['thread_id']}"
        origin = f"http://127.0.0.1:{port}"
    rows = []
    try:
        for size in sizes:
            clients = start_clients(socket_url, size, prepared["cookie"], origin)
            try:
                for rate in rates:
                    pids = [process.pid for process in processes]
                    result = measure(clients, pids, rate, seconds, post_url)
                    rows.append(
                        {
                            "setup": setup,
                            "clients": size,
                            "rate": rate,
                            "connected": clients[1]["ready"],
                            **result,
                        }
                    )
                    print(json.dumps(rows[-1]), file=sys.stderr, flush=True)
            finally:
                clients[0].kill()
                clients[0].wait()
    finally:
        for process in processes:
            process.terminate()
            process.wait(timeout=30)
    return rows


def idle(setup: str, count: int, seconds: float, prepared, payloads, port, ws) -> dict:
    """Server CPU share while `count` sockets stay open and silent."""
    if setup == "raw":
        server = start_raw(port, payloads)
        url, origin = f"ws://127.0.0.1:{port}/ws", f"http://127.0.0.1:{port}"
    else:
        server = start_uvicorn(port, "0", setup, ws)
        url = f"ws://127.0.0.1:{port}/ws/forum/thread/{prepared['thread_id']}/"
        origin = f"http://127.0.0.1:{port}"
    try:
        process, ready = start_clients(url, count, prepared["cookie"], origin)
        try:
            time.sleep(2)  # let the connects' own work settle
            before, start = cpu_seconds(server.pid), time.monotonic()
            time.sleep(seconds)
            share = (cpu_seconds(server.pid) - before) / (time.monotonic() - start)
        finally:
            process.kill()
            process.wait()
    finally:
        server.terminate()
        server.wait(timeout=30)
    return {"setup": setup, "sockets": ready["ready"], "seconds": seconds, "cpu": share}


def fmt(value: float) -> str:
    return "–" if value != value else f"{value:,.0f}" if value >= 100 else f"{value:.1f}"


def print_tables(rows: list[dict], idles: list[dict], args) -> None:
    ceiling = {(r["clients"], r["rate"]): r for r in rows if r["setup"] == "raw"}
    print(
        f"{args.seconds:g} s per rate, clients connected once per size (both rates on the "
        f"same sockets); stragglers waited for up to {GRACE:g} s. Latency = arrival at "
        "the client - commit of the post's transaction (same clock). `x raw` = p99 "
        "against the raw broadcast's p99 at the same size and rate. CPU = share of one "
        "core over the run (server: the worker holding the sockets; poster: the second "
        f"process, which makes the posts, on the same core). uvicorn `--ws {args.ws}`.\n"
    )
    print(
        "| setup | clients | posts/s | delivered | p50 ms | p95 ms | p99 ms | max ms "
        "| p99 x raw | server CPU | poster CPU | client CPU |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        raw = ceiling.get((r["clients"], r["rate"]))
        against = f"{r['p99'] / raw['p99']:.1f}" if raw and r["setup"] != "raw" else "–"
        share = r["delivered"] / r["expected"] if r["expected"] else 0
        poster = f"{r['server_cpu'][1]:.0%}" if len(r["server_cpu"]) > 1 else "–"
        print(
            f"| {SETUPS[r['setup']]} | {r['connected']} | {r['rate']:g} "
            f"| {share:.1%} ({r['delivered']:,}/{r['expected']:,}) | {fmt(r['p50'])} "
            f"| {fmt(r['p95'])} | {fmt(r['p99'])} | {fmt(r['max'])} | {against} "
            f"| {r['server_cpu'][0]:.0%} | {poster} | {r['client_cpu']:.0%} |"
        )
    if idles:
        print("\nIdle sockets: server CPU while they stay open and silent.\n")
        print("| server | open sockets | seconds | server CPU (share of one core) |")
        print("|---|---:|---:|---:|")
        for r in idles:
            print(f"| {SETUPS[r['setup']]} | {r['sockets']} | {r['seconds']:g} | {r['cpu']:.1%} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="50,200,500,1000")
    parser.add_argument("--rates", default="1,10")
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument(
        "--setups", default="memory,redis,pubsub,raw", help='"redis:200/1000": only those sizes'
    )
    parser.add_argument("--idle", type=int, default=0, help="idle sockets (0: skip)")
    parser.add_argument("--idle-seconds", type=float, default=60)
    parser.add_argument("--idle-setups", default="pubsub")
    parser.add_argument("--port", type=int, default=8181)
    parser.add_argument(
        "--ws",
        default="websockets-sansio",
        help="uvicorn's websocket implementation (--ws): websockets-sansio (docs/deploy.md), "
        "websockets or wsproto (if installed)",
    )
    parser.add_argument("--json", type=Path, help="also write the raw rows here")
    args = parser.parse_args()

    import tempfile

    prepared = prepared_session()
    sizes = [int(size) for size in args.sizes.split(",") if size]
    rates = [float(rate) for rate in args.rates.split(",") if rate]
    rows, idles = [], []
    with tempfile.TemporaryDirectory() as folder:
        payloads = sample_payloads(prepared, Path(folder))
        for entry in [s for s in args.setups.split(",") if s]:
            setup, _, only = entry.partition(":")  # "redis:200/1000": those sizes only
            chosen = [int(size) for size in only.split("/")] if only else sizes
            rows += run_setup(
                setup, chosen, rates, args.seconds, prepared, payloads, args.port, args.ws
            )
        if args.idle:
            for setup in args.idle_setups.split(","):
                idles.append(
                    idle(
                        setup, args.idle, args.idle_seconds, prepared, payloads, args.port, args.ws
                    )
                )
    if args.json:
        args.json.write_text(json.dumps({"rows": rows, "idle": idles}))
    print_tables(rows, idles, args)


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "clients":
        import uvloop

        uvloop.run(clients_main(sys.argv[2], int(sys.argv[3]), sys.argv[4], sys.argv[5]))
    elif len(sys.argv) > 1 and sys.argv[1] == "raw":
        import uvloop

        uvloop.run(raw_main(int(sys.argv[2]), Path(sys.argv[3])))
    else:
        main()
