"""Latency of Manage → Insights at scale, in-process: 50,000 members and 2,000 events.

Run: .venv/bin/python bench/insights.py [--members 50000] [--events 2000] [--runs 20]
Builds a throwaway SQLite database in a temporary folder; with BENCH_DATABASE_URL set
(e.g. postgresql+psycopg://postgres@127.0.0.1:5432/test) it creates its own database
`roundtable_bench_insights` on that server instead, and drops it at the end.

Four years of events (a fifth of them reunions for one or two cohorts), 15 to 80 members
going to each, most events with check-in, connections made at events and introductions;
reports the median and p95 milliseconds of the whole page, rendered for an organizer, for each
period, with the number of SQL statements it ran: cold (the figures computed, the shared cache
emptied before each view) and warm (a repeat view of the same state: the figures come from the
cache after one statement reads the state's key). Target: under 200 ms.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("ROUNDTABLE_ENV", "testing")

from _support import drop_postgres_database, machine_description, postgres_database  # noqa: E402
from sqlalchemy import event as sa_event  # noqa: E402
from sqlalchemy import insert, text  # noqa: E402

from community import create_app  # noqa: E402
from community.auth.models import User  # noqa: E402
from community.auth.passwords import hash_password  # noqa: E402
from community.communities.models import Community, Membership  # noqa: E402
from community.core.audit import AuditEntry  # noqa: E402
from community.core.models import utcnow  # noqa: E402
from community.events.models import Event  # noqa: E402
from community.extensions import cache, db  # noqa: E402
from community.introductions.models import Connection, ConnectionMoment, Introduction  # noqa: E402
from community.rsvps.models import RSVP  # noqa: E402

BENCH_DATABASE = "roundtable_bench_insights"
PASSWORD = "bench password 1"
COHORTS = [f"Class of {year}" for year in range(1995, 2025)]
PERIODS = ("3", "12", "24", "all")


def build(members: int, events: int, rng: random.Random) -> Community:
    """Bulk-insert the community: user 1 is its owner, users 2.. its members."""
    now = utcnow()
    community = Community(slug="bench", name="Bench Alumni", created_at=now - timedelta(days=4 * 365 + 30))
    db.session.add(community)
    db.session.flush()
    users = [{"id": n, "email": f"person{n}@bench.example.org", "name": f"Person {n}", "password_hash": "!"}
             for n in range(1, members + 1)]  # fmt: skip
    db.session.execute(insert(User), users)
    memberships = [
        {"community_id": community.id, "user_id": n, "status": "active",
         "role": "owner" if n == 1 else "member", "cohort": rng.choice(COHORTS),
         "joined_at": now - timedelta(days=rng.randrange(1, 4 * 365))}
        for n in range(1, members + 1)
    ]  # fmt: skip
    db.session.execute(insert(Membership), memberships)
    span = 4 * 365 * 24  # hours
    event_rows, rsvps, connections, moments, intros = [], [], [], [], []
    pairs: set[tuple[int, int]] = set()
    for number in range(1, events + 1):
        starts = now - timedelta(hours=span * number / events)
        reunion = rng.random() < 0.2
        event_rows.append(
            {"id": number, "community_id": community.id, "title": f"Event {number}", "starts_at": starts,
             "ends_at": starts + timedelta(hours=3), "status": "published",
             "capacity": rng.choice([None, 60, 100]),
             "cohorts": rng.sample(COHORTS, rng.randrange(1, 3)) if reunion else [],
             "kind": "reunion" if reunion else "meetup"}
        )  # fmt: skip
        checks = rng.random() < 0.8
        people = rng.sample(range(2, members + 1), rng.randrange(15, 80))
        for person in people:
            rsvps.append(
                {"event_id": number, "user_id": person, "status": "going", "guests": 0, "answers": {},
                 "queued_at": starts - timedelta(days=5), "created_at": starts - timedelta(days=5),
                 "updated_at": starts, "checked_in_at": starts if checks and rng.random() < 0.75 else None}
            )  # fmt: skip
        for _ in range(rng.randrange(0, 12)):
            low, high = sorted(rng.sample(people, 2))
            if (low, high) in pairs:
                continue
            pairs.add((low, high))
            connections.append(
                {"id": len(connections) + 1, "first_id": low, "second_id": high, "created_at": starts}
            )
            moment = {"connection_id": len(connections), "event_id": number, "happened_at": starts}
            moments.append({**moment, "event_title": f"Event {number}", "how": "met"})
            intros.append(
                {"community_id": community.id, "event_id": number, "event_key": number, "asker_id": low,
                 "recipient_id": high, "note": "Hello", "reasons": "", "status": "accepted",
                 "created_at": starts - timedelta(days=2), "updated_at": starts, "answered_at": starts,
                 "expires_at": starts + timedelta(days=12)}
            )  # fmt: skip
    for table, rows in ((Event, event_rows), (RSVP, rsvps), (Connection, connections),
                        (ConnectionMoment, moments), (Introduction, intros)):  # fmt: skip
        for start in range(0, len(rows), 5000):
            db.session.execute(insert(table), rows[start : start + 5000])
    left = [{"community_id": community.id, "action": "member.left", "detail": "",
             "created_at": now - timedelta(days=rng.randrange(1, 4 * 365))} for _ in range(800)]  # fmt: skip
    db.session.execute(insert(AuditEntry), left)
    db.session.get(User, 1).password_hash = hash_password(PASSWORD)
    if db.engine.dialect.name == "postgresql":
        for table, column, value in (("user_account", "id", members), ("event", "id", events),
                                     ("connection", "id", len(connections))):  # fmt: skip
            db.session.execute(text(f"SELECT setval('{table}_{column}_seq', :n)"), {"n": value})
    db.session.commit()
    print(f"{members} members, {events} events, {len(rsvps)} RSVPs, {len(connections)} connections")
    return community


def _timings(call, runs: int, before=None) -> tuple[float, float]:
    """Median and p95 milliseconds of `runs` calls, `before()` (untimed) ahead of each."""
    timings = []
    for _ in range(runs):
        if before is not None:
            before()
        started = time.perf_counter()
        call()
        timings.append((time.perf_counter() - started) * 1000)
    timings.sort()
    return statistics.median(timings), timings[max(0, int(len(timings) * 0.95) - 1)]


def report(app, runs: int) -> None:
    """Cold: the figures computed (the shared cache emptied before each view); warm: a repeat
    view of the same state, the figures read from the cache."""
    client = app.test_client()
    with app.app_context():
        client.post("/login", data={"email": "person1@bench.example.org", "password": PASSWORD})
    statements: list[str] = []
    sa_event.listen(db.engine, "before_cursor_execute", lambda *args: statements.append(args[2]))
    print(f"{db.engine.dialect.name}, {machine_description()}")
    print(f"{'period':>8} {'cold median':>12} {'p95':>7} {'statements':>11} "
          f"{'warm median':>12} {'p95':>7} {'statements':>11}")  # fmt: skip
    for period in PERIODS:
        url = f"/c/bench/manage/insights?period={period}"

        def page(url=url):
            response = client.get(url)
            assert response.status_code == 200, response.status_code

        def forget():
            with app.app_context():
                cache.clear()

        forget()
        page()  # the first view of all also warms the database's caches
        forget()
        statements.clear()
        page()
        cold_count = len(statements)
        statements.clear()
        page()
        warm_count = len(statements)
        cold, cold_p95 = _timings(page, max(3, runs // 4), before=forget)
        warm, warm_p95 = _timings(page, runs)
        print(f"{period:>8} {cold:>12.1f} {cold_p95:>7.1f} {cold_count:>11} "
              f"{warm:>12.1f} {warm_p95:>7.1f} {warm_count:>11}")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--members", type=int, default=50_000)
    parser.add_argument("--events", type=int, default=2_000)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    base_url = os.environ.get("BENCH_DATABASE_URL")
    url = (
        postgres_database(base_url, BENCH_DATABASE)
        if base_url
        else f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite3"
    )
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "WTF_CSRF_ENABLED": False, "RATELIMIT_ENABLED": False})
    try:
        with app.app_context():
            db.create_all()
            started = time.perf_counter()
            build(args.members, args.events, random.Random(args.seed))
            with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                conn.execute(text("VACUUM ANALYZE" if db.engine.dialect.name == "postgresql" else "ANALYZE"))
            print(f"loaded in {time.perf_counter() - started:.1f} s")
            report(app, args.runs)
            db.session.remove()
            db.drop_all()
    finally:
        if base_url:
            with app.app_context():
                db.engine.dispose()
            drop_postgres_database(base_url, BENCH_DATABASE)


if __name__ == "__main__":
    main()
