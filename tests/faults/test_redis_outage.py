"""Redis, the rate-limit store, restarts while people log in and read pages.

A real gunicorn (2 workers) counts log-in attempts in a private redis-server. It is stopped in
the middle of a stream of log-ins and page views and started again: nobody gets a 5xx (each
worker counts in its own memory meanwhile, with one warning in the log), /healthz says
"degraded" while it is down, and once it is back the log-in limit is counted in Redis again.
"""

from __future__ import annotations

import itertools
import json
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.factories import DEFAULT_PASSWORD, create_community, create_user
from tests.faults.servers import AppServer, Browser

PEOPLE = 6
#: One visit: the log-in form, logging in (a redirect home), two pages.
STEPS = [
    ("GET /login", "/login", False),
    ("POST /login", "/login", True),
    ("GET /", "/", False),
    ("GET /c/northfield", "/c/northfield", False),
]
FALLBACK_WARNING = "Rate limit storage unreachable - falling back to in-memory storage"


@pytest.fixture
def app_server(app, database_url, tmp_path, redis_server):
    settings = {"RATELIMIT_ENABLED": True, "RATELIMIT_STORAGE_URI": redis_server.url, "PROXY_FIX_X_FOR": 1}
    server = AppServer(app, database_url, tmp_path, "gunicorn", settings, workers=2)
    try:
        yield server.wait()
    finally:
        server.stop()


def health(server: AppServer) -> dict:
    return json.loads(Browser(server.base, "10.0.0.1").get("/healthz")[1])


class Stream:
    """Threads that log people in and read pages until stopped; each answer is kept with when it
    was asked."""

    def __init__(self, base: str):
        self.base = base
        self.answers: list[tuple[float, str, int]] = []
        self.running = True
        self.addresses = (f"10.1.{n // 250}.{n % 250 + 1}" for n in itertools.count())
        self.lock = threading.Lock()

    def person(self, number: int) -> None:
        login = {"email": f"member{number}@example.org", "password": DEFAULT_PASSWORD}
        while self.running:
            with self.lock:
                browser = Browser(self.base, next(self.addresses))
            for name, path, form in STEPS:
                asked = time.monotonic()
                status = (browser.post(path, login) if form else browser.get(path))[0]
                with self.lock:
                    self.answers.append((asked, name, status))

    def codes(self, name: str, start: float = 0, end: float = float("inf")) -> list[int]:
        return [status for at, step, status in self.answers if step == name and start <= at <= end]


def test_a_redis_restart_fails_no_request_and_the_limits_come_back(app, app_server, redis_server):
    create_community(create_user(name="Olu Organizer"))
    for number in range(PEOPLE):
        create_user(email=f"member{number}@example.org", name=f"Person {number}")
    assert health(app_server)["rate_limit_store"] == "ok"

    stream = Stream(app_server.base)
    with ThreadPoolExecutor(max_workers=PEOPLE) as pool:
        running = [pool.submit(stream.person, number) for number in range(PEOPLE)]
        time.sleep(1.0)
        redis_server.stop()
        down_at = time.monotonic()
        time.sleep(1.5)
        during_outage = health(app_server)
        redis_server.start()
        back_at = time.monotonic()
        time.sleep(1.0)
        stream.running = False
        for person in running:
            person.result()

    # Nothing failed: every log-in went through (a redirect home), every page was served.
    assert [status for _, _, status in stream.answers if status >= 500] == []
    assert set(stream.codes("POST /login")) == {302}
    assert set(stream.codes("GET /")) == set(stream.codes("GET /c/northfield")) == {200}
    # The stream ran through the outage (a handful of log-ins even on a busy machine) and after it.
    assert len(stream.codes("POST /login", down_at, back_at)) >= 3
    assert len(stream.codes("POST /login", back_at)) >= 3
    assert during_outage["rate_limit_store"] == "degraded" and during_outage["status"] == "degraded"
    assert during_outage["database"] == "ok"

    # Each worker notices Redis is back at its next check (a few seconds at most here) ...
    deadline = time.monotonic() + 20
    recovered = 0
    for n in itertools.count():
        knocker = Browser(app_server.base, f"10.2.0.{n % 250 + 1}")  # a limited POST: the check
        knocker.get("/login")
        knocker.post("/login", {"email": "", "password": ""})
        recovered = recovered + 1 if health(app_server)["rate_limit_store"] == "ok" else 0
        if recovered == 12 or time.monotonic() > deadline:  # twelve answers in a row: both workers
            break
        time.sleep(0.1)
    assert recovered == 12, app_server.log()

    # ... and the log-in limit (10 a minute per address) is counted in Redis again, for all workers.
    guesser = Browser(app_server.base, "10.3.0.1")
    guesser.get("/login")
    codes = [
        guesser.post("/login", {"email": "member0@example.org", "password": "wrong"})[0] for _ in range(12)
    ]
    assert codes == [422] * 10 + [429] * 2
    assert any("10.3.0.1" in key for key in redis_server.keys())

    # One warning per worker for the outage, not one per request; no traceback.
    log = app_server.log()
    assert 1 <= log.count(FALLBACK_WARNING) <= 2  # at most one for each of the two workers
    assert "Traceback" not in log
