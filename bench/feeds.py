"""Build time of a community calendar feed with 1,000 events (budget: well under 100 ms).

Run: .venv/bin/python bench/feeds.py [--events 1000] [--runs 50]
No database: the builders are pure functions, so this times exactly what a feed route
spends after its query. Events are spread over two years in four zones (plus UTC), with
some all-day, some cancelled, and Markdown descriptions.

Reports median and p95 milliseconds for what a feed route does after its query, rows ->
entry_of() -> feed_document() -> bytes:
- in a fresh worker, nothing cached: every description rendered, every VEVENT and VTIMEZONE
  serialised by icalendar (~0.25 ms an event; icalendar's line folding is most of it);
- again, as for the next client polling: descriptions, VEVENTs (by value) and VTIMEZONEs
  come from the builders' caches; only DTSTAMP and the joining are new;
- with one event changed (one VEVENT serialised again);
and feed_state_key() over (id, sequence, updated_at, status) rows: what a route computes to
answer 304 Not Modified without building anything.
"""

from __future__ import annotations

import argparse
import os
import sys
from copy import copy
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("ROUNDTABLE_ENV", "testing")

from _support import timed  # noqa: E402

from community.core.ical.document import clear_caches as clear_builder_caches  # noqa: E402
from community.core.ical.document import feed_document, feed_state_key  # noqa: E402
from community.events.calendar import entry_of, plain_text  # noqa: E402

ZONES = ["Europe/London", "America/New_York", "Asia/Tokyo", "Australia/Sydney", "UTC"]
DESCRIPTION = """Our annual reunion: drinks, a short talk from the class of 2016 and time to catch up.

- Doors open at 18:30
- Talk at 19:15
- **Dinner** from 20:00

Bring a friend if you have a guest place. [Directions](https://example.org/directions)."""


def rows(count: int) -> list[SimpleNamespace]:
    """Event-like objects with the attributes entry_of reads."""
    community = SimpleNamespace(name="Northfield Alumni 東京")
    first = datetime(2027, 1, 4, 18, tzinfo=UTC)
    events = []
    for n in range(count):
        starts_at = first + timedelta(hours=17 * n)
        all_day = n % 10 == 0
        events.append(
            SimpleNamespace(
                id=n + 1,
                title=f"Roundtable #{n + 1}: careers, coffee & café talk 🎉",
                description=DESCRIPTION,
                starts_at=starts_at,
                ends_at=starts_at + (timedelta(days=2) if all_day else timedelta(hours=3)),
                all_day=all_day,
                timezone=ZONES[n % len(ZONES)],
                venue_name="The Crown",
                address="1 High Street, Northfield",
                latitude=51.5072 if n % 2 else None,
                longitude=-0.1276 if n % 2 else None,
                online_url="",
                status="cancelled" if n % 25 == 0 else "published",
                cancel_reason="The venue flooded.",
                sequence=n % 4,
                created_at=first,
                updated_at=first + timedelta(minutes=n),
                community=community,
            )
        )
    return events


def to_calendar(events: list[SimpleNamespace], texts: dict[int, str] | None = None):
    return [
        entry_of(
            event,
            server_name="roundtable.example",
            event_url=f"https://roundtable.example/c/northfield/events/{event.id}",
            organizer_email="no-reply@roundtable.example",
            description_text=None if texts is None else texts[event.id],
        )
        for event in events
    ]


def clear_caches() -> None:
    """As in a worker that has just started: nothing serialised or rendered yet."""
    clear_builder_caches()
    plain_text.cache_clear()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=50)
    args = parser.parse_args()

    events = rows(args.events)
    now = datetime(2027, 1, 1, tzinfo=UTC)

    def route_build(source=events):
        """What a feed route does after its query: rows -> CalendarEntries -> bytes."""
        calendar_events = to_calendar(source)
        return feed_document("Northfield Alumni", calendar_events, timezone_hint="Europe/London", now=now)

    def cold_build():
        clear_caches()
        return route_build()

    cold = timed(cold_build, max(3, args.runs // 5))
    document = route_build()
    warm = timed(route_build, args.runs)
    calendar_events = to_calendar(events)
    builder_only = timed(
        lambda: feed_document("Northfield Alumni", calendar_events, timezone_hint="Europe/London", now=now),
        args.runs,
    )
    changed = [copy(event) if n == 500 else event for n, event in enumerate(events)]

    def one_changed():
        changed[500].sequence += 1  # a new value each run: this event is serialised again
        return route_build(changed)

    after_change = timed(one_changed, args.runs)
    state_rows = [(e.id, e.sequence, e.updated_at, e.status) for e in events]
    state = timed(lambda: feed_state_key(state_rows, "Northfield Alumni", "Europe/London"), args.runs * 10)

    print(f"community feed: {args.events} events in {len(ZONES)} zones, {len(document) / 1024:.0f} KiB")
    print("                                                   median /   p95 ms")
    print(f"  rows -> bytes, fresh worker (nothing cached):  {cold[0]:8.1f} / {cold[1]:5.1f}")
    print(f"  rows -> bytes, again (the next poll):          {warm[0]:8.1f} / {warm[1]:5.1f}")
    print(f"  rows -> bytes, one event changed:              {after_change[0]:8.1f} / {after_change[1]:5.1f}")
    print(f"  feed_document only (CalendarEntries given):    {builder_only[0]:8.1f} / {builder_only[1]:5.1f}")
    print(f"  feed_state_key (ETag for a 304, no build):     {state[0]:8.2f} / {state[1]:5.2f}")
    if warm[0] >= 100:
        sys.exit(f"too slow: {warm[0]:.1f} ms for {args.events} events (budget: under 100 ms)")


if __name__ == "__main__":
    main()
