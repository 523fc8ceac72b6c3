"""Latency of "Meet people" for an event with many opted-in attendees, in-process.

Run: .venv/bin/python bench/meet_page.py [--attendees 500] [--runs 30]
Builds a throwaway SQLite database in a temporary folder; with BENCH_DATABASE_URL set
(e.g. postgresql+psycopg://postgres@127.0.0.1:5432/test) it creates its own database
`roundtable_bench_meet` on that server instead, and drops it at the end.

Reports the median and p95 milliseconds of the suggestions alone (queries and matching) and
of the whole page rendered for a signed-in attendee, with the number of SQL statements.
The target (issue 11): the page under 100 ms at 500 opted-in attendees.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("ROUNDTABLE_ENV", "testing")

from _support import drop_postgres_database, postgres_database, timed  # noqa: E402
from sqlalchemy import event as sa_event  # noqa: E402
from sqlalchemy import text  # noqa: E402

from community import create_app  # noqa: E402
from community.auth.models import User  # noqa: E402
from community.auth.passwords import hash_password  # noqa: E402
from community.communities.models import Community, Membership, Role  # noqa: E402
from community.core.models import utcnow  # noqa: E402
from community.events.models import Event, EventKind, EventStatus  # noqa: E402
from community.extensions import db  # noqa: E402
from community.introductions.models import OptIn, OptInTopic, Topic, TopicSide  # noqa: E402
from community.introductions.suggestions import meet_page  # noqa: E402
from community.members.models import Profile  # noqa: E402
from community.rsvps.models import RSVP, RSVPStatus  # noqa: E402

BENCH_DATABASE = "roundtable_bench_meet"
PASSWORD = "bench password 1"
HELP = (
    "product management|fundraising|hiring a first designer|UX research|machine learning|pricing|"
    "B2B sales|public speaking|climate finance|career change|negotiating salary|PM interviews|"
    "data engineering|brand strategy|angel investing|legal questions for startups|remote teams"
).split("|")
LOOKING = (
    "moving into product management|raising a seed round|finding a cofounder|ML career advice|"
    "first sales hire|design feedback|mentoring|board roles|climate tech jobs|working abroad"
).split("|")
INTERESTS = "climate tech|running|jazz|chess|urbanism|cooking|open source|poetry|cycling".split("|")
INDUSTRIES = "Fintech|Healthcare|Energy|Education|Retail|Media|Government|Nonprofit".split("|")
TOPICS = ("Product management", "Fundraising", "Hiring", "Climate tech", "Career change", "Design")


def build(attendees: int, rng: random.Random) -> tuple[str, int, int]:
    owner = User(name="Organizer", email="owner@example.org", password_hash="!", email_verified_at=utcnow())
    community = Community(slug="bench", name="Bench Alumni", timezone="Europe/London")
    db.session.add_all([owner, community])
    db.session.flush()
    db.session.add(
        Membership(community_id=community.id, user_id=owner.id, role=Role.OWNER, joined_at=utcnow())
    )
    topics = [Topic(community_id=community.id, name=name) for name in TOPICS]
    start = utcnow() + timedelta(days=7)
    event = Event(
        community_id=community.id,
        title="Product roundtable",
        kind=EventKind.ROUNDTABLE,
        status=EventStatus.PUBLISHED,
        starts_at=start,
        ends_at=start + timedelta(hours=3),
        timezone="Europe/London",
    )
    db.session.add_all([*topics, event])
    db.session.flush()
    viewer_id = None
    for number in range(attendees):
        user = User(
            name=f"Person {number}",
            email=f"person{number}@example.org",
            password_hash="!",
            email_verified_at=utcnow(),
        )
        db.session.add(user)
        db.session.flush()
        viewer_id = viewer_id or user.id
        db.session.add(
            Membership(
                community_id=community.id,
                user_id=user.id,
                joined_at=utcnow(),
                cohort=f"Class of {rng.randrange(2005, 2024)}",
            )
        )
        db.session.add(
            Profile(
                user_id=user.id,
                headline="Alumna",
                industry=rng.choice(INDUSTRIES),
                organisation=f"Company {rng.randrange(60)}",
                can_help_with=rng.sample(HELP, rng.randrange(0, 4)),
                looking_for=rng.sample(LOOKING, rng.randrange(0, 3)),
                interests=rng.sample(INTERESTS, 2),
                skills=rng.sample(HELP, 2),
            )
        )
        db.session.add(RSVP(event_id=event.id, user_id=user.id, status=RSVPStatus.GOING))
        opt_in = OptIn(event_id=event.id, user_id=user.id, talk_about=rng.choice(["", *LOOKING]))
        opt_in.topics = [OptInTopic(topic_id=rng.choice(topics).id, side=side) for side in TopicSide]
        db.session.add(opt_in)
    viewer = db.session.get(User, viewer_id)
    viewer.password_hash = hash_password(PASSWORD)
    db.session.commit()
    return community.slug, event.id, viewer_id


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--attendees", type=int, default=500)
    parser.add_argument("--runs", type=int, default=30)
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
            slug, event_id, viewer_id = build(args.attendees, random.Random(7))
            # Statistics, as autovacuum keeps them on a live database (see bench/directory.py).
            with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                conn.execute(text("VACUUM ANALYZE" if db.engine.dialect.name == "postgresql" else "ANALYZE"))
            event, viewer = db.session.get(Event, event_id), db.session.get(User, viewer_id)
            median, p95 = timed(lambda: meet_page(event, viewer), args.runs)
            dialect = db.engine.dialect.name
            print(f"{dialect}, {args.attendees} opted in: suggestions {median:.1f} ms (p95 {p95:.1f})")
            email = viewer.email
        client = app.test_client()
        client.post("/login", data={"email": email, "password": PASSWORD})
        path = f"/c/{slug}/events/{event_id}/meet"
        statements = []
        with app.app_context():
            sa_event.listen(db.engine, "before_cursor_execute", lambda *a: statements.append(1))
        response = client.get(path)
        assert response.status_code == 200, response.status_code
        statements.clear()
        client.get(path)
        count = len(statements)
        median, p95 = timed(lambda: client.get(path), args.runs)
        print(f"page for a signed-in attendee: {median:.1f} ms (p95 {p95:.1f}), {count} SQL statements")
    finally:
        if base_url:
            drop_postgres_database(base_url, BENCH_DATABASE)


if __name__ == "__main__":
    main()
