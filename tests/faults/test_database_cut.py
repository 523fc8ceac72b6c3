"""PostgreSQL cuts the app's connections (a restart, a failover, pg_terminate_backend) while
people read an event's page and press "Going" for its limited seats.

A real gunicorn with 3 workers serves the test database. First the cut lands on requests in the
middle of their transaction: the test holds the event's row lock, so the RSVPs wait inside theirs,
and the app's backends are terminated. Each of them answers the styled 503 page and wrote nothing;
pressing again works. Then backends are cut again and again during a stream of reads and RSVPs.
No request answers 500, no more fail than connections were cut, and the seats are exact: every
person has one RSVP and the one confirmation email that goes with it, and the capacity is filled.
"""

from __future__ import annotations

import os
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import psycopg
import pytest
from sqlalchemy import func, select, text

from community.auth.models import User
from community.core.mail.models import OutboxMessage
from community.core.models import utcnow
from community.extensions import db
from community.rsvps.models import RSVP, RSVPStatus
from tests.factories import DEFAULT_PASSWORD, create_community, create_event, create_user
from tests.faults.servers import AppServer, Browser, insert_people

#: The first wave is no bigger than the threads of one worker: a worker that takes every one of its
#: requests still runs them all at once.
PEOPLE, SEATS, FIRST_WAVE = 40, 20, 4
APPLICATION = f"roundtable-faults-{os.getpid()}"
UNAVAILABLE = "The site is briefly unavailable"
TERMINATE = (
    "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = current_database() "
    "AND pid <> pg_backend_pid() AND application_name = %s"
)
WAITING_FOR_THE_LOCK = (
    "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
    "AND application_name = %s AND wait_event_type = 'Lock'"
)


@pytest.fixture
def app_server(app, database_url, tmp_path):
    settings = {
        "SQLALCHEMY_ENGINE_OPTIONS": {
            "pool_pre_ping": True,
            "connect_args": {"application_name": APPLICATION},
        }
    }
    server = AppServer(app, database_url, tmp_path, "gunicorn", settings, workers=3)
    try:
        yield server.wait()
    finally:
        server.stop()


@pytest.fixture
def admin_connection(database_url):
    """The test's own connection to the database (not the app's: it is never cut)."""
    with psycopg.connect(
        database_url.replace("postgresql+psycopg://", "postgresql://"), autocommit=True
    ) as conn:
        yield conn


def test_cut_connections_answer_503_write_nothing_and_leave_the_seats_exact(
    app, app_server, admin_connection
):
    organizer = create_user(name="Olu Organizer")
    event = create_event(
        create_community(organizer), organizer, capacity=SEATS, day=(utcnow() + timedelta(days=7)).date()
    )
    insert_people("guest", PEOPLE)
    event_path = f"/c/northfield/events/{event.id}"

    def log_in(n: int) -> Browser:
        browser = Browser(app_server.base, "127.0.0.1")
        browser.get("/login")
        assert (
            browser.post("/login", {"email": f"guest{n}@example.org", "password": DEFAULT_PASSWORD})[0] == 302
        )
        assert browser.get(event_path)[0] == 200  # the token of the RSVP form
        return browser

    with ThreadPoolExecutor(max_workers=8) as pool:
        browsers = list(pool.map(log_in, range(PEOPLE)))
    answers: list[int] = []

    def press_going(browser: Browser) -> tuple[int, str]:
        status, page = browser.post(event_path + "/rsvp", {"response": "going", "listed": "y"})
        answers.append(status)
        return status, page

    def until_it_works(browser: Browser) -> int:
        for _ in range(20):
            status = press_going(browser)[0]
            if status != 503:
                return status
            time.sleep(0.1)
        return 503

    # 1. Cut in the middle of transactions: the RSVPs wait for the event's row lock, held here.
    admin_connection.execute("BEGIN")
    admin_connection.execute("SELECT id FROM event WHERE id = %s FOR UPDATE", (event.id,))
    with ThreadPoolExecutor(max_workers=FIRST_WAVE) as pool:
        first_wave = [pool.submit(press_going, browser) for browser in browsers[:FIRST_WAVE]]
        deadline = time.monotonic() + 20
        while admin_connection.execute(WAITING_FOR_THE_LOCK, (APPLICATION,)).fetchone()[0] < FIRST_WAVE:
            assert time.monotonic() < deadline, "the RSVPs never waited for the lock:\n" + app_server.log()
            time.sleep(0.05)
        cut_first = admin_connection.execute(TERMINATE, (APPLICATION,)).fetchone()[0]
        admin_connection.execute("ROLLBACK")
        cut_off = [answer.result() for answer in first_wave]

    assert cut_first >= FIRST_WAVE
    assert [status for status, _ in cut_off] == [503] * FIRST_WAVE
    assert all(UNAVAILABLE in page and "Nothing you sent was saved" in page for _, page in cut_off)
    db.session.expire_all()
    assert db.session.scalar(select(func.count(RSVP.id))) == 0  # nothing of theirs was written
    assert db.session.scalar(select(func.count(OutboxMessage.id))) == 0

    # 2. Cuts during a stream of reads and RSVPs: each person presses again until it works.
    reads: list[int] = []
    reading = threading.Event()
    reading.set()

    def read(browser: Browser) -> None:
        while reading.is_set():
            reads.append(browser.get(event_path)[0])
            reads.append(browser.get("/")[0])

    cut_later = 0
    with ThreadPoolExecutor(max_workers=3) as readers, ThreadPoolExecutor(max_workers=8) as pressers:
        for browser in browsers[-3:]:
            readers.submit(read, browser)
        finals = pressers.map(until_it_works, browsers)
        for _ in range(4):
            time.sleep(0.15)
            cut_later += admin_connection.execute(TERMINATE, (APPLICATION,)).fetchone()[0]
        finals = list(finals)
        reading.clear()

    assert finals == [302] * PEOPLE  # everyone's RSVP went through in the end
    assert 500 not in answers and 500 not in reads
    assert set(answers) <= {302, 503} and set(reads) <= {200, 503}
    failed_later = answers.count(503) - FIRST_WAVE + reads.count(503)
    assert failed_later <= cut_later  # a cut connection fails at most the request it was serving
    assert len(reads) > 20

    # The seats are exact, and every RSVP was written whole: its row and its one email.
    db.session.expire_all()
    rows = db.session.execute(select(RSVP.user_id, RSVP.status).where(RSVP.event_id == event.id)).all()
    statuses = [status for _, status in rows]
    assert len({user for user, _ in rows}) == len(rows) == PEOPLE
    assert (
        statuses.count(RSVPStatus.GOING) == SEATS and statuses.count(RSVPStatus.WAITLISTED) == PEOPLE - SEATS
    )
    emails = db.session.execute(select(OutboxMessage.to_address, OutboxMessage.kind)).all()
    guests = {
        user.id: user.email for user in db.session.scalars(select(User).where(User.email.like("guest%")))
    }
    assert sorted(emails) == sorted((guests[user], f"events.rsvp-{status}") for user, status in rows)
    assert app_server.answers()  # and the server is well


@pytest.mark.fresh_app  # adds a route
def test_a_connection_cut_before_the_commit_answers_503_and_the_next_request_works(
    app, client, admin_connection
):
    app.config["PROPAGATE_EXCEPTIONS"] = False  # as in production: the commit fails after the view

    def write_then_lose_the_connection():
        db.session.add(User(email="half@example.org", name="Half Written", password_hash="x"))
        db.session.flush()
        backend = db.session.scalar(text("SELECT pg_backend_pid()"))
        admin_connection.execute("SELECT pg_terminate_backend(%s, 5000)", (backend,))  # gone on return
        return "written"

    app.add_url_rule("/cut", view_func=write_then_lose_the_connection)
    response = client.get("/cut")

    assert response.status_code == 503
    assert UNAVAILABLE in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.scalar(select(User).where(User.email == "half@example.org")) is None
    assert client.get("/healthz").json["database"] == "ok"
