"""Events and RSVPs for `demo --scale N`: the data the load benchmark (bench/load.py) measures.

Everything is bulk-inserted (no service call per row), so 50,000 members and 1,000 events
load in seconds. Seat counts are not stored anywhere: the app sums the seat-holding RSVPs,
so the rows below are consistent as long as every event's going seats fit its capacity.
"""

from __future__ import annotations

import random
from datetime import timedelta

from sqlalchemy import func, insert, select

from community.core.models import utcnow
from community.events.models import Event, EventKind, EventStatus, EventVisibility
from community.extensions import db
from community.rsvps.models import RSVP, RSVPStatus

#: One event for every this many members: 1,000 events at 50,000 members.
MEMBERS_PER_EVENT = 50
#: People going to the big reunion (everyone but the organizer when there are fewer members).
REUNION_GOING = 500
REUNION_CAPACITY = 600
REUNION_TITLE = "Class of 2016 · 10-year reunion weekend"
#: The other events get up to this many people going each.
MOST_GOING_TO_OTHERS = 20
#: The feed lists upcoming events and those of the past year: spread the events inside it.
SPREAD_DAYS = 350

KINDS = [EventKind.ROUNDTABLE, EventKind.MEETUP, EventKind.TALK, EventKind.SOCIAL]
ZONES = ["America/New_York", "Europe/London", "Europe/Berlin", "Asia/Tokyo", "UTC"]
DESCRIPTION = (
    "An evening with classmates and friends.\n\n- Doors open at 18:30\n- **Talk** at 19:15\n"
    "- Time to catch up afterwards"
)


def default_event_count(members: int) -> int:
    return max(1, members // MEMBERS_PER_EVENT)


def load_scale_events(
    community_id: int, member_ids: list[int], event_count: int, rng: random.Random
) -> dict[str, int]:
    """`event_count` published public events in the community, the first a reunion with
    REUNION_GOING people going (member_ids[1:], member_ids[0] organizes everything), the
    others with a few people going each. Skipped when the community already has events."""
    has_events = db.session.scalar(select(func.count(Event.id)).where(Event.community_id == community_id))
    if has_events or not member_ids:
        return {"events": 0, "RSVPs": 0}
    now = utcnow().replace(minute=0, second=0, microsecond=0)
    organizer_id = member_ids[0]
    reunion_start = now + timedelta(days=56)
    rows = [
        _event_row(community_id, organizer_id, now)
        | {
            "kind": EventKind.REUNION,
            "title": REUNION_TITLE,
            "cohorts": ["Class of 2016"],
            "starts_at": reunion_start,
            "ends_at": reunion_start + timedelta(days=2),
            "capacity": REUNION_CAPACITY,
            "venue_name": "Northfield University, Old Quad",
        }
    ]
    for number in range(1, event_count):
        day = -SPREAD_DAYS + 2 * SPREAD_DAYS * number // event_count
        starts_at = now + timedelta(days=day, hours=number % 5)
        rows.append(
            _event_row(community_id, organizer_id, now)
            | {
                "kind": KINDS[number % len(KINDS)],
                "title": f"Roundtable no. {number}: careers, café and tables",
                "starts_at": starts_at,
                "ends_at": starts_at + timedelta(hours=2),
                "timezone": ZONES[number % len(ZONES)],
            }
        )
    event_ids = list(
        db.session.scalars(insert(Event).returning(Event.id, sort_by_parameter_order=True), rows)
    )
    rsvps = [
        _rsvp_row(event_ids[0], user_id, reunion_start, now, rng)
        for user_id in member_ids[1 : REUNION_GOING + 1]
    ]
    for event_id, row in zip(event_ids[1:], rows[1:], strict=True):
        going = rng.sample(member_ids, k=min(len(member_ids), rng.randint(0, MOST_GOING_TO_OTHERS)))
        rsvps.extend(_rsvp_row(event_id, user_id, row["starts_at"], now, rng) for user_id in going)
    for start in range(0, len(rsvps), 2000):
        db.session.execute(insert(RSVP), rsvps[start : start + 2000])
    return {"events": len(event_ids), "RSVPs": len(rsvps)}


def _event_row(community_id: int, organizer_id: int, now) -> dict:
    return {
        "community_id": community_id,
        "created_by_id": organizer_id,
        "description": DESCRIPTION,
        "cohorts": [],
        "timezone": "America/New_York",
        "venue_name": "The Crown",
        "address": "1 High Street, Northfield",
        "status": EventStatus.PUBLISHED,
        "visibility": EventVisibility.PUBLIC,
        "capacity": None,
        "created_at": now,
        "updated_at": now,
    }


def _rsvp_row(event_id: int, user_id: int, starts_at, now, rng: random.Random) -> dict:
    checked_in = starts_at < now and rng.random() < 0.8  # most of those who went, at past events
    return {
        "event_id": event_id,
        "user_id": user_id,
        "status": RSVPStatus.GOING,
        "guests": 0,
        "listed": True,
        "answers": {},
        "queued_at": min(now, starts_at) - timedelta(days=rng.randint(1, 40)),
        "checked_in_at": starts_at + timedelta(minutes=rng.randint(0, 90)) if checked_in else None,
        "created_at": now,
        "updated_at": now,
    }
