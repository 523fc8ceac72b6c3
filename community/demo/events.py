"""Demo events: reunions past and upcoming, a monthly roundtable series, a full event
with a waitlist, and RSVPs from the demo members (through the same RSVP service as the
site, with its emails turned off; past events' RSVPs are written as history)."""

from __future__ import annotations

import random
from datetime import date, time, timedelta

from sqlalchemy import select

from community.auth.models import User
from community.communities.models import Community, Membership, MembershipStatus
from community.core.models import utcnow
from community.demo.pictures import COVER_ALT, demo_cover
from community.events.models import Event, EventKind, EventVisibility
from community.events.services import EventDetails, Question, Recurrence, create_event, create_series
from community.events.timing import to_local
from community.extensions import db
from community.rsvps.models import RSVP, RSVPStatus
from community.rsvps.services import respond


def _members(community: Community) -> list[User]:
    return list(
        db.session.scalars(
            select(User)
            .join(Membership, Membership.user_id == User.id)
            .where(Membership.community_id == community.id, Membership.status == MembershipStatus.ACTIVE)
            .order_by(User.id)
        )
    )


def _rsvp_upcoming(event: Event, people: list[User], rng: random.Random, guests: int = 0) -> None:
    for person in people:
        respond(
            event,
            person,
            going=rng.random() > 0.1,
            guests=rng.randint(0, guests),
            answers={str(q.id): ("yes" if q.kind == "yes_no" else "") for q in event.questions if q.required},
            notify=False,  # demo people are made up: nobody to email
        )


def _rsvp_past(event: Event, people: list[User], rng: random.Random) -> None:
    for person in people:
        db.session.add(
            RSVP(
                event=event,
                user=person,
                status=RSVPStatus.GOING,
                queued_at=event.starts_at - timedelta(days=rng.randint(3, 40)),
                checked_in_at=event.starts_at + timedelta(minutes=rng.randint(0, 90))
                if rng.random() < 0.8
                else None,
            )
        )


def load_demo_events(organizer: User) -> int:
    """Create the demo events once (skipped when the demo communities already have events)."""
    communities = {c.slug: c for c in db.session.scalars(select(Community))}
    if not communities or db.session.scalar(select(Event.id).limit(1)) is not None:
        return 0
    rng = random.Random(7)
    today = to_local(utcnow(), "America/New_York").date()
    created: list[Event] = []

    alumni = communities["northfield-alumni"]
    alumni_people = _members(alumni)
    reunion_day = today + timedelta(days=(4 - today.weekday()) % 7 + 56)  # a Friday, 8 weeks on
    reunion = create_event(
        alumni,
        organizer,
        EventDetails(
            title="Class of 2016 · 10-year reunion weekend",
            kind=EventKind.REUNION,
            cohorts=("Class of 2016",),
            all_day=True,
            start_day=reunion_day,
            end_day=reunion_day + timedelta(days=2),
            timezone=alumni.timezone,
            venue_name="Northfield University, Old Quad",
            address="1 College Green, Northfield, MN 55057, USA",
            description=(
                "Ten years on! Join classmates for a weekend on campus.\n\n"
                "- **Friday:** welcome drinks at the Boathouse\n- **Saturday:** campus tours, "
                "class photo and dinner\n- **Sunday:** farewell brunch"
            ),
            capacity=120,
            guests_allowed=1,
            cover=demo_cover("quad"),
            cover_alt=COVER_ALT["quad"],
            questions=(
                Question(label="Dietary needs", kind="text"),
                Question(label="Will you join the Saturday dinner?", kind="yes_no", required=True),
            ),
        ),
        publish=True,
    )
    _rsvp_upcoming(reunion, alumni_people[:60], rng, guests=1)
    created.append(reunion)

    past = create_event(
        alumni,
        organizer,
        EventDetails(
            title="Class of 2011 · 15-year reunion dinner",
            kind=EventKind.REUNION,
            cohorts=("Class of 2011",),
            start_day=today - timedelta(days=90),
            end_day=today - timedelta(days=90),
            start_time=time(18, 30),
            end_time=time(23, 0),
            timezone=alumni.timezone,
            venue_name="The Harbor Room",
            address="200 Water Street, Boston, MA, USA",
            capacity=80,
        ),
        publish=True,
    )
    _rsvp_past(past, alumni_people[10:50], rng)
    created.append(past)

    circle = communities["product-circle"]
    circle_people = _members(circle)
    first_tuesday = date(today.year, today.month, 1) - timedelta(days=40)
    series = create_series(
        circle,
        organizer,
        EventDetails(
            title="Product Roundtable: discovery that sticks",
            kind=EventKind.ROUNDTABLE,
            start_day=first_tuesday + timedelta(days=(1 - first_tuesday.weekday()) % 7 + 7),
            end_day=first_tuesday + timedelta(days=(1 - first_tuesday.weekday()) % 7 + 7),
            start_time=time(19, 0),
            end_time=time(21, 0),
            timezone=circle.timezone,
            venue_name="Fernwood Capital, 4th floor",
            address="Torstraße 120, 10119 Berlin, Germany",
            online_url="https://meet.example.org/product-roundtable",
            description="Eight to a table, one question each, and a new face at every table.",
            capacity=24,
            cover=demo_cover("table"),
            cover_alt=COVER_ALT["table"],
        ),
        Recurrence(frequency="monthly", weekday_ordinal=2, count=8),
        publish=True,
    )
    now = utcnow()
    for occurrence in series:
        attendees = rng.sample(circle_people, k=min(len(circle_people), rng.randint(10, 22)))
        if occurrence.ends_at < now:
            _rsvp_past(occurrence, attendees, rng)
        else:
            _rsvp_upcoming(occurrence, attendees, rng)
    created += series

    full = create_event(
        circle,
        organizer,
        EventDetails(
            title="Pricing roundtable (small group)",
            kind=EventKind.ROUNDTABLE,
            start_day=today + timedelta(days=12),
            end_day=today + timedelta(days=12),
            start_time=time(18, 0),
            end_time=time(20, 0),
            timezone=circle.timezone,
            venue_name="Juniper Studio",
            address="Oranienstraße 25, 10999 Berlin, Germany",
            capacity=12,
            visibility=EventVisibility.MEMBERS,
            description="A small table to compare pricing experiments. Members only.",
        ),
        publish=True,
    )
    for person in circle_people[:18]:  # 12 seats, 6 waiting
        respond(full, person, going=True, notify=False)
    created.append(full)

    bootcamp = communities["launchpad-cohort-12"]
    social = create_event(
        bootcamp,
        organizer,
        EventDetails(
            title="Cohort 12 demo-day anniversary drinks",
            kind=EventKind.SOCIAL,
            start_day=today + timedelta(days=20),
            end_day=today + timedelta(days=20),
            start_time=time(18, 30),
            end_time=time(22, 0),
            timezone=bootcamp.timezone,
            venue_name="The Printworks Bar",
            address="12 Shoreditch High Street, London E1 6PG, UK",
            guests_allowed=1,
            cover=demo_cover("drinks", seed=12),
            cover_alt=COVER_ALT["drinks"],
        ),
        publish=True,
    )
    _rsvp_upcoming(social, _members(bootcamp), rng, guests=1)
    created.append(social)
    db.session.flush()
    return len(created)
