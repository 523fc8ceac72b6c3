"""Two app servers (two gunicorn masters, as two machines would be) share one PostgreSQL and one
Redis. Newcomers press "Going" on both at once for an event with five seats left, and one
server dies mid-run (master and workers killed, nothing finished). Whoever it dropped presses
again on the other, as a load balancer would send them: exactly the capacity goes, nobody has
two RSVPs or two confirmations, and the survivor answers every request throughout.
"""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from sqlalchemy import select

from community.auth.models import User
from community.core.mail.models import OutboxMessage
from community.core.models import utcnow
from community.extensions import db
from community.rsvps.models import RSVP, RSVPStatus
from tests.factories import DEFAULT_PASSWORD, create_community, create_event, create_rsvp, create_user
from tests.faults.servers import NO_ANSWER, AppServer, Browser, insert_people

SEATS, TAKEN, NEWCOMERS = 25, 20, 30


@pytest.fixture
def servers(app, database_url, tmp_path, redis_server):
    settings = {"RATELIMIT_ENABLED": True, "RATELIMIT_STORAGE_URI": redis_server.url, "PROXY_FIX_X_FOR": 1}
    pair = [AppServer(app, database_url, tmp_path, name, settings, workers=1) for name in ("first", "second")]
    try:
        yield [server.wait() for server in pair]
    finally:
        for server in pair:
            server.stop()


def test_two_servers_fill_exactly_the_seats_when_one_dies_mid_run(app, servers):
    survivor, doomed = servers
    organizer = create_user(name="Olu Organizer")
    event = create_event(
        create_community(organizer), organizer, capacity=SEATS, day=(utcnow() + timedelta(days=7)).date()
    )
    insert_people("early", TAKEN)
    for user in db.session.scalars(select(User).where(User.email.like("early%"))):
        create_rsvp(event, user)
    db.session.commit()
    insert_people("newcomer", NEWCOMERS)
    event_path = f"/c/northfield/events/{event.id}"

    def log_in(n: int) -> Browser:  # on the survivor; the session is good on both servers
        browser = Browser(survivor.base, f"10.4.0.{n + 1}")
        browser.get("/login")
        assert (
            browser.post("/login", {"email": f"newcomer{n}@example.org", "password": DEFAULT_PASSWORD})[0]
            == 302
        )
        return browser

    with ThreadPoolExecutor(max_workers=8) as pool:
        browsers = list(pool.map(log_in, range(NEWCOMERS)))

    answers: dict[str, list[int]] = {"survivor": [], "doomed": []}
    dropped = []
    finished = threading.Event()

    def ask(browser: Browser, n: int, call) -> tuple[int, str]:
        """To this person's server (half on each); when that one is gone, to the survivor."""
        server = doomed if n % 2 else survivor
        status, page = call(server.base)
        answers["doomed" if server is doomed else "survivor"].append(status)
        if status == NO_ANSWER and server is doomed:
            dropped.append(n)
            status, page = call(survivor.base)
            answers["survivor"].append(status)
        return status, page

    def newcomer(n: int) -> int:
        browser = browsers[n]
        for _ in range(2):  # read the page, then press "Going"; twice, as people do
            assert ask(browser, n, lambda base: browser.get(event_path, base))[0] == 200
            status, _ = ask(browser, n, lambda base: browser.post(
                event_path + "/rsvp", {"response": "going", "listed": "y"}, base))  # fmt: skip
        return status

    def watch_the_survivor() -> list[int]:
        seen = []
        while not finished.is_set():
            seen.append(Browser(survivor.base, "10.5.0.1").get("/healthz")[0])
            time.sleep(0.05)
        return seen

    with ThreadPoolExecutor(max_workers=1) as watcher, ThreadPoolExecutor(max_workers=10) as pool:
        health = watcher.submit(watch_the_survivor)
        finals = pool.map(newcomer, range(NEWCOMERS))
        deadline = time.monotonic() + 20
        while len(answers["doomed"]) < NEWCOMERS // 2 and time.monotonic() < deadline:
            time.sleep(0.01)  # a quarter of the way through the second server's share
        doomed.kill()
        try:
            finals = list(finals)
        finally:
            finished.set()  # a failed newcomer fails the test; it must not leave the watcher running
        health = health.result()

    assert finals == [302] * NEWCOMERS
    assert set(answers["survivor"]) == {200, 302}  # no error, nothing unanswered
    assert set(health) == {200} and len(health) >= 10  # asked all along, well all along
    assert dropped, "the second server was killed after every request was answered"
    before_the_kill = [status for status in answers["doomed"] if status != NO_ANSWER]
    assert set(before_the_kill) <= {200, 302}

    db.session.expire_all()
    rows = db.session.execute(select(RSVP.user_id, RSVP.status).where(RSVP.event_id == event.id)).all()
    statuses = [status for _, status in rows]
    assert len({user for user, _ in rows}) == len(rows) == TAKEN + NEWCOMERS
    assert statuses.count(RSVPStatus.GOING) == SEATS
    assert statuses.count(RSVPStatus.WAITLISTED) == TAKEN + NEWCOMERS - SEATS
    newcomers = {
        user.id: user.email for user in db.session.scalars(select(User).where(User.email.like("newcomer%")))
    }
    emails = db.session.execute(select(OutboxMessage.to_address, OutboxMessage.kind)).all()
    assert sorted(emails) == sorted(
        (newcomers[user], f"events.rsvp-{status}") for user, status in rows if user in newcomers
    )  # one confirmation each, whichever server wrote it
