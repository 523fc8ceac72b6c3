"""Capacity holds when 200 people press "Going" at the same second.

A real gunicorn with several worker processes serves the app on the test database
(SQLite file or PostgreSQL); 200 logged-in people post their RSVP at once from as many
threads. Exactly 50 get a seat and 150 the waitlist: the seat count is guarded by the
database (a row lock), not by anything inside one Python process.
"""

from __future__ import annotations

import http.cookiejar
import os
import re
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, insert, select

from community.auth.models import User
from community.auth.passwords import hash_password
from community.core.models import utcnow
from community.extensions import db
from community.rsvps.models import RSVP, RSVPStatus
from tests.factories import DEFAULT_PASSWORD, create_community, create_event, create_user

ROOT = Path(__file__).resolve().parents[2]
PEOPLE, SEATS = 200, 50
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def gunicorn(app, database_url, tmp_path):
    """gunicorn with 4 worker processes (4 threads each) on the test database."""
    port = free_port()
    env = {
        **os.environ,
        "ROUNDTABLE_ENV": "testing",
        "DATABASE_URL": database_url,
        "SECRET_KEY": app.config["SECRET_KEY"],
        "MAIL_FILE_DIR": str(tmp_path / "mail"),
    }
    log = open(tmp_path / "gunicorn.log", "w")  # noqa: SIM115  (closed below)
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--workers", "4", "--threads", "4", "--worker-class", "gthread",
         "--bind", f"127.0.0.1:{port}", "--timeout", "120", "wsgi:app"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60  # a busy CI machine may take a while to fork workers
        while True:
            try:
                urllib.request.urlopen(base + "/healthz", timeout=5).close()
                break
            except OSError:  # refused, reset or timed out while starting
                if time.monotonic() > deadline or process.poll() is not None:
                    raise AssertionError(
                        "gunicorn did not start:\n" + (tmp_path / "gunicorn.log").read_text()
                    ) from None
                time.sleep(0.2)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=20)
        log.close()


class Browser:
    """One person's cookies and CSRF token against the live server."""

    def __init__(self, base: str):
        self.base = base
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )
        self.token = ""

    def get(self, path: str) -> str:
        with self.opener.open(self.base + path, timeout=60) as response:
            page = response.read().decode()
        match = CSRF.search(page)
        if match:
            self.token = match.group(1)
        return page

    def post(self, path: str, data: dict) -> int:
        body = urllib.parse.urlencode({"csrf_token": self.token, **data}).encode()
        try:
            with self.opener.open(self.base + path, data=body, timeout=120) as response:
                response.read()
                return response.status
        except urllib.error.HTTPError as error:
            return error.code


def test_two_hundred_people_pressing_going_at_once_fill_exactly_fifty_seats(app, gunicorn):
    organizer = create_user(name="Olu Organizer")
    community = create_community(organizer)
    event = create_event(community, organizer, capacity=SEATS, day=(utcnow() + timedelta(days=7)).date())
    password_hash = hash_password(DEFAULT_PASSWORD)
    now = utcnow()
    db.session.execute(
        insert(User),
        [
            {
                "email": f"guest{n}@example.org",
                "name": f"Guest {n}",
                "password_hash": password_hash,
                "email_verified_at": now,
                "created_at": now,
                "updated_at": now,
            }
            for n in range(PEOPLE)
        ],  # fmt: skip
    )
    db.session.commit()
    event_path = f"/c/northfield/events/{event.id}"

    def log_in(n: int) -> Browser:
        browser = Browser(gunicorn)
        browser.get("/login")
        assert browser.post("/login", {"email": f"guest{n}@example.org", "password": DEFAULT_PASSWORD}) == 200
        browser.get(event_path)  # the token of the RSVP form
        return browser

    with ThreadPoolExecutor(max_workers=16) as pool:
        browsers = list(pool.map(log_in, range(PEOPLE)))

    start_together = threading.Barrier(PEOPLE)

    def press_going(browser: Browser) -> int:
        start_together.wait()
        return browser.post(event_path + "/rsvp", {"response": "going", "listed": "y"})

    with ThreadPoolExecutor(max_workers=PEOPLE) as pool:
        codes = list(pool.map(press_going, browsers))

    assert codes == [200] * PEOPLE  # every request redirected to the event page, none failed
    db.session.expire_all()
    counts = dict(
        db.session.execute(
            select(RSVP.status, func.count(RSVP.id)).where(RSVP.event_id == event.id).group_by(RSVP.status)
        ).all()
    )
    assert counts == {RSVPStatus.GOING: SEATS, RSVPStatus.WAITLISTED: PEOPLE - SEATS}
    # The first to be counted got the seats: waitlist places follow the order of arrival.
    going_last = db.session.scalar(
        select(func.max(RSVP.queued_at)).where(RSVP.event_id == event.id, RSVP.status == RSVPStatus.GOING)
    )
    waiting_first = db.session.scalar(
        select(func.min(RSVP.queued_at)).where(
            RSVP.event_id == event.id, RSVP.status == RSVPStatus.WAITLISTED
        )
    )
    assert going_last <= waiting_first
