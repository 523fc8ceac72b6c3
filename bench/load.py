"""Throughput under load: Roundtable under gunicorn beside a bare Flask app, page by page.

Run: .venv/bin/python bench/load.py [--members 50000] [--seconds 5] [--connections 10] [--rounds 2]
[--only feed,event] (or `make bench-load`). Builds its own database: a SQLite file in a temporary
folder, or, with TEST_DATABASE_URL or BENCH_DATABASE_URL set (postgresql://postgres@127.0.0.1:5432/test), a
throwaway database `roundtable_bench_load` on that server, dropped at the end. Loads it with the same two
commands a user runs (`flask --app wsgi db upgrade`, `flask --app wsgi demo --scale N`), starts
`gunicorn -w 2 wsgi:app` (production settings over plain HTTP, rate limits off) and
`gunicorn -w 2 bare_app:app` (bench/bare_app.py), logs in through the real login form, then
drives each page kind with a closed loop (each connection sends its next request when the
previous answer has arrived: wrk when installed, else Python threads with http.client) for
--seconds, the kinds interleaved, --rounds times. Prints req/s, p50 and p99 per page kind
and its req/s as a share of the bare app's. The client runs on the same machine as the
servers and takes some of its CPU: compare rows with each other, not with other machines.
"""

from __future__ import annotations

import argparse
import datetime
import http.client
import os
import re
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _support import drop_postgres_database, free_port, machine_description, postgres_database  # noqa: E402
from sqlalchemy import create_engine, text  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"
BENCH_DATABASE = "roundtable_bench_load"
PASSWORD = "roundtable-demo"  # community.demo.cli.DEMO_PASSWORD
ORGANIZER = "person1@scale.example.org"  # owns the scale community (demo.scale)
GOING_MEMBER = "person2@scale.example.org"  # a member going to the reunion
SLUG = "scale-test"
#: Longer than gunicorn's 30 s worker timeout: a slow page is answered (or its worker
#: killed) before the client gives up, so no request outlives its round.
CLIENT_TIMEOUT = 60
WRK_LATENCY = re.compile(r"^\s*(50|99)%\s+([\d.]+)(us|ms|s)\s*$", re.MULTILINE)
UNIT_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


@dataclass
class PageKind:
    label: str
    port: int
    path: str
    headers: dict[str, str] = field(default_factory=dict)
    expect: int = 200
    requests: int = 0
    elapsed: float = 0.0
    failures: int = 0
    skipped: str = ""
    latencies: list[float] = field(default_factory=list)  # seconds, every round (Python client)
    wrk_percentiles: list[tuple[float, float]] = field(default_factory=list)  # (p50, p99) per round

    def percentiles_ms(self) -> tuple[float, float]:
        if self.wrk_percentiles:  # wrk gives them per round: the mean of the rounds'
            return tuple(statistics.fmean(round_[i] for round_ in self.wrk_percentiles) for i in (0, 1))
        timings = sorted(self.latencies) or [0.0]
        p99 = timings[min(len(timings) - 1, int(len(timings) * 0.99))]
        return statistics.median(timings) * 1000, p99 * 1000


def run(command: list[str], env: dict[str, str]) -> str:
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"{' '.join(command)} failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout


def start_gunicorn(app: str, port: int, workers: int, env: dict[str, str], log: Path, *extra: str):
    command = [str(BIN / "gunicorn"), "-w", str(workers), "-b", f"127.0.0.1:{port}", *extra, app]
    server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            sys.exit(f"{app} did not start:\n{log.read_text()[-3000:]}")
        try:
            status, _, _ = request(port, "/")
            if status < 500:
                return server
        except OSError:
            time.sleep(0.2)
    server.terminate()
    sys.exit(f"{app} did not answer on port {port} within 60 s:\n{log.read_text()[-3000:]}")


def request(port: int, path: str, method: str = "GET", headers: dict | None = None, body: str | None = None):
    """One request on a fresh connection: (status, headers, body text)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=CLIENT_TIMEOUT)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        return response.status, response.headers, response.read().decode("utf-8", "replace")
    finally:
        connection.close()


def log_in(port: int, email: str) -> str:
    """Log in through the login form, CSRF token and all; returns the Cookie header to send."""
    cookies = SimpleCookie()
    status, headers, page = request(port, "/login")
    for value in headers.get_all("Set-Cookie") or []:
        cookies.load(value)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page)
    if status != 200 or token is None:
        sys.exit(f"GET /login answered {status} without a CSRF token")
    form = urlencode({"csrf_token": token.group(1), "email": email, "password": PASSWORD, "next": ""})
    status, headers, page = request(
        port,
        "/login",
        "POST",
        {"Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie_header(cookies)},
        form,
    )
    if status != 302:
        sys.exit(f"logging in {email} answered {status}, not a redirect:\n{page[-2000:]}")
    for value in headers.get_all("Set-Cookie") or []:
        cookies.load(value)
    return cookie_header(cookies)


def cookie_header(cookies: SimpleCookie) -> str:
    return "; ".join(f"{name}={morsel.value}" for name, morsel in cookies.items() if morsel.value)


def check(kind: PageKind) -> bool:
    """A few answers first, as the load will see them (and each worker's caches warm). A kind
    answered wrongly is reported and left out: a page slower than gunicorn's worker timeout
    would queue behind it requests that outlive their round and spoil the next kinds."""
    for _ in range(6):
        status, _, _ = request(kind.port, kind.path, headers=kind.headers)
        if status != kind.expect:
            kind.skipped = f"answered {status}, not {kind.expect}: not measured"
            print(f"warning: {kind.label}: {kind.path} {kind.skipped}", file=sys.stderr)
            return False
    return True


def closed_loop_python(kind: PageKind, connections: int, seconds: float) -> None:
    """`connections` threads, each with a keep-alive connection (reopened when the server
    closes it, as gunicorn's sync workers do after every answer), sending the next request
    as soon as the previous answer has been read."""
    deadline = time.perf_counter() + seconds
    results: list[list[float]] = [[] for _ in range(connections)]
    failures = [0] * connections

    def loop(number: int) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", kind.port, timeout=CLIENT_TIMEOUT)
        timings = results[number]
        while (started := time.perf_counter()) < deadline:
            try:
                connection.request("GET", kind.path, headers=kind.headers)
                response = connection.getresponse()
                response.read()
                if response.status != kind.expect:
                    failures[number] += 1
                timings.append(time.perf_counter() - started)
                if response.will_close:
                    connection.close()
            except (OSError, http.client.HTTPException):
                failures[number] += 1
                connection.close()
        connection.close()

    threads = [threading.Thread(target=loop, args=(n,)) for n in range(connections)]
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    kind.elapsed += time.perf_counter() - began
    kind.latencies.extend(t for timings in results for t in timings)
    kind.requests += sum(len(timings) for timings in results)
    kind.failures += sum(failures)


def closed_loop_wrk(kind: PageKind, connections: int, seconds: float) -> None:
    """The same closed loop with wrk (one thread per core), when it is installed."""
    headers = [part for name, value in kind.headers.items() for part in ("-H", f"{name}: {value}")]
    command = [
        "wrk", "-t", str(min(connections, os.cpu_count() or 1)), "-c", str(connections),
        "-d", f"{seconds:g}s", "--timeout", f"{CLIENT_TIMEOUT}s", "--latency", *headers,
        f"http://127.0.0.1:{kind.port}{kind.path}",
    ]  # fmt: skip
    report = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    done = re.search(r"(\d+) requests in ([\d.]+)(ms|s)", report)
    if done is None:
        sys.exit(f"could not read wrk's report:\n{report}")
    kind.requests += int(done.group(1))
    kind.elapsed += float(done.group(2)) / (1000 if done.group(3) == "ms" else 1)
    latency = {share: float(value) * UNIT_MS[unit] for share, value, unit in WRK_LATENCY.findall(report)}
    kind.wrk_percentiles.append((latency["50"], latency["99"]))
    for pattern in (r"Non-2xx or 3xx responses: (\d+)", r"Socket errors: .*?timeout (\d+)"):
        if found := re.search(pattern, report):
            kind.failures += int(found.group(1))


def print_table(kinds: list[PageKind], bare: PageKind) -> None:
    if not bare.requests:
        sys.exit("the bare Flask app answered nothing: no baseline to compare with")
    bare_rate = bare.requests / bare.elapsed
    print(f"{'page':<52}{'req/s':>8}{'p50 ms':>9}{'p99 ms':>9}{'of bare':>9}")
    for kind in kinds:
        if kind.skipped:
            print(f"{kind.label:<52}  {kind.skipped}")
            continue
        rate = kind.requests / kind.elapsed
        p50, p99 = kind.percentiles_ms()
        failed = f"   {kind.failures} failed" if kind.failures else ""
        print(f"{kind.label:<52}{rate:>8.0f}{p50:>9.1f}{p99:>9.1f}{rate / bare_rate:>9.1%}{failed}")


def page_kinds(app_port: int, bare_port: int, database_url: str) -> tuple[list[PageKind], PageKind]:
    engine = create_engine(database_url.replace("postgresql://", "postgresql+psycopg://", 1))
    with engine.connect() as connection:
        reunion = connection.scalar(text("SELECT id FROM event WHERE kind = 'reunion' ORDER BY id LIMIT 1"))
        members, events = connection.execute(
            text(
                "SELECT (SELECT count(*) FROM membership m WHERE m.community_id = c.id),"
                " (SELECT count(*) FROM event e WHERE e.community_id = c.id)"
                " FROM community c WHERE slug = :slug"
            ),
            {"slug": SLUG},
        ).one()
        going = connection.scalar(
            text("SELECT count(*) FROM rsvp WHERE event_id = :id AND status = 'going'"), {"id": reunion}
        )
    engine.dispose()
    member = {"Cookie": log_in(app_port, GOING_MEMBER)}
    organizer = {"Cookie": log_in(app_port, ORGANIZER)}
    feed = f"/c/{SLUG}/calendar.ics"
    status, headers, _ = request(app_port, feed)
    if status != 200 or not headers.get("ETag"):
        sys.exit(f"the community feed answered {status} with ETag {headers.get('ETag')!r}")
    etag = headers["ETag"]
    event = f"/c/{SLUG}/events/{reunion}"
    bare = PageKind("bare Flask app (one small page)", bare_port, "/")
    kinds = [
        bare,
        PageKind("event page, visitor", app_port, event),
        PageKind(f"event page, member going ({members:,} members)", app_port, event, member),
        PageKind("community feed, conditional GET -> 304", app_port, feed, {"If-None-Match": etag}, 304),
        PageKind(f"community feed, {events:,} events, fresh", app_port, feed),
        PageKind(
            f'directory search "product management", {members:,}', app_port,
            f"/c/{SLUG}/members?q=product+management", member,
        ),
        PageKind(
            f"organizer RSVP list, {going:,} going", app_port,
            f"/c/{SLUG}/manage/events/{reunion}/rsvps", organizer,
        ),
    ]  # fmt: skip
    return kinds, bare


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=50_000)
    parser.add_argument("--events", type=int, default=None, help="default: one per 50 members")
    parser.add_argument("--seconds", type=float, default=5.0, help="per page kind and round")
    parser.add_argument("--connections", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers per app")
    parser.add_argument("--python-client", action="store_true", help="not wrk, even when installed")
    parser.add_argument(
        "--only", default="", help="comma-separated words: measure only page kinds whose label has one"
    )
    args = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="roundtable-load-"))
    base_url = os.environ.get("TEST_DATABASE_URL") or os.environ.get("BENCH_DATABASE_URL")
    database_url = (
        postgres_database(base_url, BENCH_DATABASE) if base_url else f"sqlite:///{folder}/load.sqlite3"
    )
    app_port, bare_port = free_port(), free_port()
    env = {key: value for key, value in os.environ.items() if not key.startswith(("TEST_", "BENCH_"))} | {
        "ROUNDTABLE_ENV": "production",
        "DATABASE_URL": database_url,
        "SECRET_KEY": secrets.token_urlsafe(48),
        "SERVER_NAME": f"127.0.0.1:{app_port}",
        # Plain HTTP on the loopback: cookies without the Secure flag, http:// links.
        "PREFERRED_URL_SCHEME": "http",
        "SESSION_COOKIE_SECURE": "false",
        "REMEMBER_COOKIE_SECURE": "false",
        # Ten connections from one address would trip the limits; off, a shared store is moot.
        "RATELIMIT_ENABLED": "false",
        "RATELIMIT_SINGLE_PROCESS": "true",
        "MAIL_FILE_DIR": str(folder / "mail"),
    }
    servers = []
    try:
        started = time.perf_counter()
        run([str(BIN / "flask"), "--app", "wsgi", "db", "upgrade"], env)
        demo = [str(BIN / "flask"), "--app", "wsgi", "demo", "--scale", str(args.members)]
        loaded = run(demo + (["--events", str(args.events)] if args.events else []), env)
        print(loaded.splitlines()[0], f"(with migrations: {time.perf_counter() - started:.0f} s)")
        servers.append(start_gunicorn("wsgi:app", app_port, args.workers, env, folder / "app.log"))
        servers.append(
            start_gunicorn("bare_app:app", bare_port, args.workers, env, folder / "bare.log", "--chdir=bench")
        )
        kinds, bare = page_kinds(app_port, bare_port, database_url)
        wanted = [word.strip() for word in args.only.split(",") if word.strip()]
        kinds = [kind for kind in kinds if kind is bare or not wanted or any(w in kind.label for w in wanted)]
        measured = [kind for kind in kinds if check(kind)]
        wrk = shutil.which("wrk") is not None and not args.python_client
        client = "wrk" if wrk else "Python threads + http.client"
        for _ in range(args.rounds):
            for kind in measured:
                (closed_loop_wrk if wrk else closed_loop_python)(kind, args.connections, args.seconds)
        dialect = "PostgreSQL" if base_url else "SQLite"
        print(
            f"\n{datetime.date.today().isoformat()}, {machine_description()}\n{dialect}, gunicorn -w "
            f"{args.workers} (sync), {args.connections} connections, {args.rounds} rounds x "
            f"{args.seconds:g} s per page kind, interleaved; client: {client}\n"
        )
        print_table(kinds, bare)
    except SystemExit:
        if (folder / "app.log").exists():  # the server's side of what went wrong
            print((folder / "app.log").read_text()[-4000:], file=sys.stderr)
        raise
    finally:
        for server in servers:
            server.terminate()
        for server in servers:
            try:
                server.wait(timeout=40)  # gunicorn lets busy workers finish, up to 30 s
            except subprocess.TimeoutExpired:
                server.kill()
        if base_url:
            drop_postgres_database(base_url, BENCH_DATABASE)
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
