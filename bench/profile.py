"""Where a page's time goes: a sampling profile of N requests, as Markdown.

    DJANGO_SETTINGS_MODULE=bench.settings python bench/profile.py   # make bench runs this
    DJANGO_SETTINGS_MODULE=bench.settings python bench/profile.py --cookie sessionid=... /path/

Needs the production environment of bench/throughput.py and a database that
bench/prepare.py filled; without addresses it profiles the member's community
page and thread page that bench/throughput.py measures, rendered (each request
carries a hard reload's `Cache-Control: no-cache`, so the members' page cache does
not answer it). The requests go through Django's full middleware stack in this process (the test
client, so no HTTP server or event loop is timed). A thread samples the request
thread's stack every millisecond (standard library only: no profiler to install,
and unlike cProfile the overhead does not inflate Python calls against waiting
for PostgreSQL). Each frame's share is the fraction of samples in which it was on
the stack (inclusive, like a flame graph's width); "self" counts only the
innermost frame.
"""

import argparse
import collections
import os
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

INTERVAL = 0.001
# Frames that say where the time goes; everything else (the request plumbing
# around them) is on every stack and says nothing.
LANDMARKS = (
    ("SQL: executing (psycopg, waiting for PostgreSQL)", "psycopg/cursor.py", "execute"),
    ("SQL: building the query (Django compiler)", "django/db/models/sql/compiler.py", "as_sql"),
    ("template rendering", "django/template/response.py", "rendered_content"),
    ("Wagtail routing (`route_for_request`)", "wagtail/models/pages.py", "route_for_request"),
    ("Wagtail `serve` (the page's view)", "wagtail/views.py", "serve"),
    ("session load", "django/contrib/sessions/backends/", "load"),
    ("user load (`get_user`)", "django/contrib/auth/__init__.py", "get_user"),
    ("permission check (user bar: `has_perm`)", "django/contrib/auth/models.py", "has_perm"),
    ("page cache lookup", "cop_platform/page_cache.py", "_generations"),
    ("CSP header", "csp/middleware.py", "process_response"),
)
REPO = str(Path(__file__).resolve().parent.parent) + "/"


def _label(code) -> str:
    path = code.co_filename
    if "site-packages/" in path:
        path = path.split("site-packages/", 1)[1]
    elif path.startswith(REPO):
        path = path[len(REPO) :]
    return f"`{code.co_qualname}` ({path}:{code.co_firstlineno})"


class Sampler(threading.Thread):
    """Samples one thread's stack until stopped."""

    def __init__(self, target_id: int):
        super().__init__(daemon=True)
        self.target_id = target_id
        self.samples = 0
        self.inclusive: collections.Counter = collections.Counter()
        self.innermost: collections.Counter = collections.Counter()
        self.landmarks: collections.Counter = collections.Counter()
        self.running = True

    def run(self) -> None:
        while self.running:
            time.sleep(INTERVAL)
            frame = sys._current_frames().get(self.target_id)
            if frame is None:
                continue
            self.samples += 1
            self.innermost[_label(frame.f_code)] += 1
            seen, marks = set(), set()
            while frame is not None:
                code = frame.f_code
                seen.add(_label(code))
                for name, path, function in LANDMARKS:
                    if code.co_name == function and path in code.co_filename:
                        marks.add(name)
                frame = frame.f_back
            self.inclusive.update(seen)
            self.landmarks.update(marks)


def profile(url: str, cookie: str | None, requests: int) -> tuple[float, Sampler]:
    """Milliseconds per request (unprofiled), and the sampler of a profiled run."""
    from django.test import Client

    # A hard reload's header: a member's page is rendered every time instead of
    # coming from their page cache (a visitor's still comes from the shared one).
    client = Client(HTTP_HOST="127.0.0.1", HTTP_CACHE_CONTROL="no-cache")
    if cookie:
        client.cookies.load(cookie)
    for _ in range(5):  # warm-up: imports, template loading, the pool's connections
        assert client.get(url).status_code == 200, url
    started = time.perf_counter()
    for _ in range(requests):
        client.get(url)
    per_request = (time.perf_counter() - started) / requests * 1000
    previous = sys.getswitchinterval()
    sys.setswitchinterval(INTERVAL / 2)  # let the sampler in between bytecodes
    sampler = Sampler(threading.get_ident())
    sampler.start()
    try:
        for _ in range(requests):
            client.get(url)
    finally:
        sampler.running = False
        sampler.join()
        sys.setswitchinterval(previous)
    return per_request, sampler


def markdown(title: str, per_request: float, sampler: Sampler, top: int = 12) -> str:
    total = sampler.samples or 1
    lines = [
        f"**{title}**: {per_request:.1f} ms per request in process (unprofiled), "
        f"{sampler.samples} samples\n",
        "| where the time goes | share |",
        "|---|---:|",
    ]
    for name, count in sampler.landmarks.most_common():
        lines.append(f"| {name} | {count / total:.0%} |")
    lines += ["", "| frame (inclusive, top) | share |", "|---|---:|"]
    # The request plumbing (handler, middleware wrappers) is on nearly every stack.
    frames = [
        (label, count)
        for label, count in sampler.inclusive.most_common()
        if count < 0.97 * total and "deprecation.py" not in label and "exception.py" not in label
    ]
    for label, count in frames[:top]:
        lines.append(f"| {label} | {count / total:.0%} |")
    lines += ["", "| frame (self, top) | share |", "|---|---:|"]
    for label, count in sampler.innermost.most_common(top // 2):
        lines.append(f"| {label} | {count / total:.0%} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "urls", nargs="*", help="default: the member's community and thread page (generated data)"
    )
    parser.add_argument("--cookie", help="the member's cookies, name=value; name=value")
    parser.add_argument("--requests", type=int, default=40)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    import django

    django.setup()
    pages = [(url, args.cookie) for url in args.urls]
    if not pages:
        from bench.generate import measured
        from bench.prepare import targets

        found = targets(**measured())
        pages = [(found["community"], found["cookie"]), (found["thread"], found["cookie"])]
    print(
        f"{args.requests} requests per page after 5 to warm up, production settings "
        f"(bench/settings.py), load average {os.getloadavg()[0]:.1f}.\n"
    )
    for url, cookie in pages:
        per_request, sampler = profile(url, cookie, args.requests)
        print(markdown(f"{url} ({'member' if cookie else 'visitor'})", per_request, sampler) + "\n")


if __name__ == "__main__":
    main()
