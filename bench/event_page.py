"""Render time of the public event page with 500 RSVPs, in-process (budget: under 20 ms).

Run: .venv/bin/python bench/event_page.py [--rsvps 500] [--runs 200]
Builds a throwaway SQLite database in a temporary folder; with BENCH_DATABASE_URL set
(e.g. postgresql+psycopg://postgres@127.0.0.1:5432/test) it creates its own database
`roundtable_bench_events` on that server instead, and drops it at the end.

Reports median and p95 milliseconds per render, and the SQL statements per render, for an
anonymous visitor, a member (who sees who's going) and a member who is going, and for the
community's list of events and the front page.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from dataclasses import replace
from datetime import time as clock
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("ROUNDTABLE_ENV", "testing")

from _support import drop_postgres_database, postgres_database, timed  # noqa: E402
from sqlalchemy import event, insert, select, text  # noqa: E402

from community import create_app  # noqa: E402
from community.auth.models import User  # noqa: E402
from community.auth.passwords import hash_password  # noqa: E402
from community.communities.models import Community, Membership, MembershipStatus, Role  # noqa: E402
from community.core.models import utcnow  # noqa: E402
from community.events.services import EventDetails, Question, create_event  # noqa: E402
from community.extensions import db  # noqa: E402
from community.members.models import Profile  # noqa: E402
from community.rsvps.models import RSVP, RSVPStatus  # noqa: E402

BENCH_DATABASE = "roundtable_bench_events"
PASSWORD = "bench password 1"
DESCRIPTION = """Our annual reunion: drinks, a short talk from the class of 2016 and time to catch up.

- Doors open at 18:30
- Talk at 19:15
- **Dinner** from 20:00

Bring a friend if you have a guest place. [Directions](https://example.org/directions)."""


def build(rsvps: int) -> tuple[str, int]:
    """A community, an organizer, one public event with `rsvps` people going (bulk-inserted,
    each a member with a profile), and a member who is not going. Returns the event's URL."""
    now = utcnow()
    community = Community(slug="bench", name="Bench Alumni", timezone="Europe/London")
    db.session.add(community)
    password_hash = hash_password(PASSWORD)
    db.session.execute(
        insert(User),
        [
            {"email": f"person{i}@bench.example.org", "name": f"Person {i}", "password_hash": password_hash,
             "email_verified_at": now}
            for i in range(rsvps + 2)
        ],
    )  # fmt: skip
    db.session.flush()
    ids = list(db.session.scalars(select(User.id).order_by(User.id)))
    organizer_id, viewer_id, going_ids = ids[0], ids[1], ids[2:]
    db.session.execute(
        insert(Membership),
        [
            {"community_id": community.id, "user_id": uid, "status": MembershipStatus.ACTIVE,
             "joined_at": now, "role": Role.OWNER if uid == organizer_id else Role.MEMBER}
            for uid in ids
        ],
    )  # fmt: skip
    db.session.execute(
        insert(Profile),
        [{"user_id": uid, "headline": f"Engineer number {uid} at a very good company"} for uid in ids],
    )
    organizer = db.session.get(User, organizer_id)
    day = (now + timedelta(days=20)).date()
    details = EventDetails(
        title="Class of 2016 reunion",
        start_day=day,
        end_day=day,
        start_time=clock(18, 30),
        end_time=clock(23, 0),
        timezone="Europe/London",
        description=DESCRIPTION,
        venue_name="The Old Library",
        address="1 High Street, Northfield",
        capacity=rsvps + 50,
        guests_allowed=2,
        questions=(Question("Dietary needs?"), Question("Staying for dinner?", kind="yes_no")),
    )
    reunion = create_event(community, organizer, details, publish=True)
    for n in range(5):
        roundtable = replace(details, title=f"Roundtable {n}", questions=())
        create_event(community, organizer, roundtable, publish=True)
    db.session.flush()
    db.session.execute(
        insert(RSVP),
        [
            {"event_id": reunion.id, "user_id": uid, "status": RSVPStatus.GOING, "guests": i % 2,
             "listed": i % 7 != 0, "answers": {}, "queued_at": now}
            for i, uid in enumerate(going_ids)
        ],
    )  # fmt: skip
    db.session.commit()
    return f"/c/bench/events/{reunion.id}", viewer_id


def report(app, url: str, args) -> None:
    statements = [0]
    with app.app_context():  # only to reach the engine: each request below has its own context
        engine = db.engine
    event.listen(engine, "before_cursor_execute", lambda *a: statements.__setitem__(0, statements[0] + 1))
    anonymous, viewer, attendee = app.test_client(), app.test_client(), app.test_client()
    for client, email in ((viewer, "person1@bench.example.org"), (attendee, "person2@bench.example.org")):
        response = client.post("/login", data={"email": email, "password": PASSWORD})
        assert response.status_code == 302, response.status_code

    print(f"{engine.dialect.name} {engine.dialect.server_version_info or ''}, "
          f"{args.rsvps} RSVPs on the event, {args.runs} renders each")  # fmt: skip
    print(f"{'page':<44}{'median ms':>10}{'p95 ms':>8}{'SQL':>5}")
    for label, client, path in [
        ("event page, anonymous", anonymous, url),
        ("event page, member (sees who's going)", viewer, url),
        ("event page, member who is going", attendee, url),
        ("community events list, member", viewer, "/c/bench/events"),
        ("front page, anonymous", anonymous, "/"),
    ]:

        def render(client=client, path=path):
            response = client.get(path)
            assert response.status_code == 200, response.status_code

        render()  # warm up
        statements[0] = 0
        render()
        count = statements[0]
        median, p95 = timed(render, args.runs)
        print(f"{label:<44}{median:>10.2f}{p95:>8.2f}{count:>5}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rsvps", type=int, default=500)
    parser.add_argument("--runs", type=int, default=200)
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
            event_url, _ = build(args.rsvps)
            with db.engine.begin() as conn:
                conn.execute(text("ANALYZE"))
            db.session.remove()
        report(app, event_url, args)
        with app.app_context():
            db.session.remove()
            db.drop_all()
    finally:
        if base_url:
            with app.app_context():
                db.engine.dispose()
            drop_postgres_database(base_url, BENCH_DATABASE)


if __name__ == "__main__":
    main()
