"""The community feed route with 1,000 events, as a freshly started worker serves it.

Run: .venv/bin/python bench/feed_route.py [--events 1000]
SQLite in a temp dir, or PostgreSQL when BENCH_DATABASE_URL is set (a database of your own).
Reports, for a full GET (no If-None-Match): the first request ever (everything serialised
and stored), a fresh worker with VEVENTs stored (in-process caches cleared), and a warm one;
and the cost of a conditional GET answered with 304.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("ROUNDTABLE_ENV", "testing")

from _support import timed  # noqa: E402

from community import create_app  # noqa: E402
from community.communities.models import Community  # noqa: E402
from community.core.ical.document import clear_caches as clear_builder_caches  # noqa: E402
from community.core.models import utcnow  # noqa: E402
from community.events.calendar import plain_text  # noqa: E402
from community.events.models import Event, EventStatus  # noqa: E402
from community.extensions import db  # noqa: E402

ZONES = ["Europe/London", "America/New_York", "Asia/Tokyo", "Australia/Sydney", "UTC"]
DESCRIPTION = (
    "Ten years on! **Join classmates** for a weekend on campus.\n\n- Friday: drinks\n- Saturday: dinner"
)


def clear_caches() -> None:
    clear_builder_caches()
    plain_text.cache_clear()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    url = os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{tempfile.mkdtemp()}/feed.sqlite3"
    app = create_app({"SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        db.drop_all()
        db.create_all()
        community = Community(slug="northfield", name="Northfield Alumni", timezone="Europe/London")
        db.session.add(community)
        start = utcnow() - timedelta(days=300)
        for n in range(args.events):
            begins = start + timedelta(days=n // 2, hours=n % 5)
            db.session.add(
                Event(community=community, title=f"Roundtable no. {n}: café; tables", description=DESCRIPTION,
                      starts_at=begins, ends_at=begins + timedelta(hours=2), timezone=ZONES[n % len(ZONES)],
                      venue_name="The Crown", address="1 High Street", status=EventStatus.PUBLISHED)
            )  # fmt: skip
        db.session.commit()
        client = app.test_client()
        path = "/c/northfield/calendar.ics"

        def get():
            response = client.get(path)
            assert response.status_code == 200
            return response

        first = timed(lambda: (clear_caches(), db.session.execute(db.text("DELETE FROM stored_vevent")),
                               db.session.commit(), get()), 3)  # fmt: skip
        get()  # stores the VEVENTs
        fresh_worker = timed(lambda: (clear_caches(), get()), args.runs)
        warm = timed(get, args.runs)
        etag = get().headers["ETag"]
        not_modified = timed(lambda: client.get(path, headers={"If-None-Match": etag}), args.runs * 5)
        print(f"{db.engine.dialect.name}: community feed route, {args.events} events, median / p95 ms")
        for label, (median, p95) in (
            ("first request ever (serialise and store all)", first),
            ("fresh worker, VEVENTs stored", fresh_worker),
            ("warm worker", warm),
            ("conditional GET -> 304", not_modified),
        ):
            print(f"  {label:<48}{median:7.1f} / {p95:6.1f}")
        db.drop_all()


if __name__ == "__main__":
    main()
