"""Two years of Mia Member's history, so that staying in touch means something on a fresh demo:
past events of her three communities (she was checked in at each), the people she met at them
(connections with their "met at" moment), some of whom she has not seen for more than six months
(fading, one of them on an "every 3 months" rhythm), two catch-up notes, and two goals with past
periods to chart. Two of the fading connections are going to a later product roundtable she
hasn't answered, so their nudge reads "... is going to ...; you could go too".

Everything is relative to today and seeded, so every fresh demo tells the same story."""

from __future__ import annotations

import random
from datetime import date, time, timedelta

from sqlalchemy import select

from community.auth.models import User
from community.communities.models import Community, Membership, MembershipStatus
from community.core.models import utcnow
from community.engagement.digests import set_frequency
from community.engagement.models import (
    CatchUpNote,
    ConnectionPreference,
    DigestFrequency,
    Goal,
    GoalKind,
    GoalPeriod,
)
from community.events.models import Event, EventKind, EventStatus
from community.events.services import EventDetails, create_event
from community.events.timing import to_local
from community.extensions import db
from community.introductions import connections
from community.rsvps.models import RSVP, RSVPStatus
from community.rsvps.services import respond

ALUMNI, CIRCLE, BOOTCAMP = "northfield-alumni", "product-circle", "launchpad-cohort-12"

#: (months ago, community, title, kind, people Mia met there). Titles start unlike the demo's
#: other events (tests and browser checks find those by the start of their title).
PAST_EVENTS = [
    (23, CIRCLE, "Roadmaps without dates: a product roundtable", EventKind.ROUNDTABLE, 2),
    (21, ALUMNI, "Northfield summer picnic", EventKind.SOCIAL, 1),
    (18, CIRCLE, "Hiring your first product manager", EventKind.TALK, 1),
    (15, ALUMNI, "Career evening: moving into climate tech", EventKind.ROUNDTABLE, 1),
    (12, BOOTCAMP, "Launchpad demo day", EventKind.SOCIAL, 1),
    (10, CIRCLE, "Packaging and tiers: a pricing workshop", EventKind.MEETUP, 1),
    (8, CIRCLE, "Metrics that matter: a product roundtable", EventKind.ROUNDTABLE, 1),
    (5, ALUMNI, "Boston chapter drinks", EventKind.SOCIAL, 1),
    (4, CIRCLE, "Onboarding teardown night", EventKind.MEETUP, 1),
    (3, ALUMNI, "Alumni founders' breakfast", EventKind.TALK, 1),
    (2, CIRCLE, "Discovery interviews clinic", EventKind.MEETUP, 0),
]
#: Others at each past event besides Mia and the people she met there.
OTHERS_AT_EACH = 8
#: The connection on an "every 3 months" rhythm: met at Boston chapter drinks, five months ago.
RHYTHM_MONTHS, RHYTHM_EVENT = 3, "Boston chapter drinks"
#: Notes that refreshed a connection: (where they met, whether Mia sent it, days ago, the note).
NOTES = [
    ("Career evening: moving into climate tech", True, 50, "Loved your climate talk online. Coffee soon?"),
    ("Packaging and tiers: a pricing workshop", False, 20, "How did the new pricing page do? Catch up?"),
]
#: Fading connections from these events are going to a later roundtable Mia hasn't answered.
GOING_LATER = ("Roadmaps without dates: a product roundtable",)


def _day(today: date, months: int) -> date:
    """The second Thursday of the calendar month `months` before today's: each past event in a
    month of its own, whatever today's date."""
    index = today.year * 12 + today.month - 1 - months
    eighth = date(index // 12, index % 12 + 1, 8)
    return eighth + timedelta(days=(3 - eighth.weekday()) % 7)


def _strangers(community: Community, member: User, skip: set[int]) -> list[int]:
    """Active members of `community` Mia has not been to a past event with, nor connected to,
    by id (one query)."""
    now = utcnow()
    hers = (
        select(RSVP.event_id)
        .join(Event, Event.id == RSVP.event_id)
        .where(RSVP.user_id == member.id, Event.ends_at <= now)
    )
    together = select(RSVP.user_id).where(RSVP.event_id.in_(hers))
    ids = db.session.scalars(
        select(Membership.user_id)
        .where(
            Membership.community_id == community.id,
            Membership.status == MembershipStatus.ACTIVE,
            Membership.user_id.not_in(together),
        )
        .order_by(Membership.user_id)
    )
    return [user_id for user_id in ids if user_id not in skip]


def _attend(event: Event, user_id: int, rng: random.Random, *, checked_in: bool) -> None:
    db.session.add(
        RSVP(
            event_id=event.id,
            user_id=user_id,
            status=RSVPStatus.GOING,
            queued_at=event.starts_at - timedelta(days=rng.randint(3, 30)),
            checked_in_at=event.starts_at + timedelta(minutes=rng.randint(0, 45)) if checked_in else None,
        )
    )


def _past_event(community: Community, organizer: User, day: date, title: str, kind: EventKind) -> Event:
    return create_event(
        community,
        organizer,
        EventDetails(
            title=title,
            kind=kind,
            start_day=day,
            end_day=day,
            start_time=time(18, 30),
            end_time=time(21, 0),
            timezone=community.timezone,
            venue_name="Members' room" if kind != EventKind.SOCIAL else "The Boathouse",
            capacity=40,
        ),
        publish=True,
    )


def _going_later(circle: Community, member: User, people: list[User]) -> None:
    """Each of `people` going to a product roundtable still to come that Mia hasn't answered."""
    answered = select(RSVP.event_id).where(RSVP.user_id == member.id)
    later = list(
        db.session.scalars(
            select(Event)
            .where(
                Event.community_id == circle.id,
                Event.kind == EventKind.ROUNDTABLE,
                Event.status == EventStatus.PUBLISHED,
                Event.starts_at > utcnow(),
                Event.id.not_in(answered),
            )
            .order_by(Event.starts_at)
        )
    )
    for person in people:
        for event in later:
            if respond(event, person, going=True, notify=False).rsvp.status == RSVPStatus.GOING:
                break


def load_demo_history(logins: dict[str, User]) -> int:
    """Once (skipped when Mia has goals). Returns the number of past events added."""
    organizer, member = logins["organizer"], logins["member"]
    if db.session.scalar(select(Goal.id).where(Goal.user_id == member.id).limit(1)) is not None:
        return 0
    communities = {c.slug: c for c in db.session.scalars(select(Community))}
    if not all(slug in communities for slug in (ALUMNI, CIRCLE, BOOTCAMP)):
        return 0
    rng = random.Random(14)
    today = to_local(utcnow(), communities[CIRCLE].timezone).date()
    skip = {organizer.id, member.id}
    skip |= connections.connected_ids(member.id)
    strangers = {slug: _strangers(community, member, skip) for slug, community in communities.items()}
    met_at: dict[str, list[User]] = {}
    for months, slug, title, kind, met in PAST_EVENTS:
        community = communities[slug]
        event = _past_event(community, organizer, _day(today, months), title, kind)
        pool = [user_id for user_id in strangers[slug] if user_id not in skip]
        people = pool[:met]  # each person met once, at one event only: they fade as planned
        skip.update(people)
        others = rng.sample(pool[met:], k=min(OTHERS_AT_EACH, len(pool) - met))
        _attend(event, member.id, rng, checked_in=True)
        for user_id in people:
            _attend(event, user_id, rng, checked_in=True)
        for user_id in others:
            _attend(event, user_id, rng, checked_in=rng.random() < 0.8)
        db.session.flush()
        met_at[title] = [db.session.get(User, user_id) for user_id in people]
        for person in met_at[title]:
            connections.connect(member, person, how=connections.MET, event=event, at=event.ends_at)
    now = utcnow()
    (rhythm,) = met_at[RHYTHM_EVENT]
    db.session.add(ConnectionPreference(user_id=member.id, other_id=rhythm.id, rhythm_months=RHYTHM_MONTHS))
    for title, from_mia, days, message in NOTES:
        (other,) = met_at[title]
        sender, recipient = (member, other) if from_mia else (other, member)
        db.session.add(
            CatchUpNote(
                sender_id=sender.id,
                recipient_id=recipient.id,
                message=message,
                to_fading=True,
                created_at=now - timedelta(days=days),
            )
        )
    db.session.add(Goal(user_id=member.id, kind=GoalKind.ATTEND_EVENTS, target=1, period=GoalPeriod.MONTH))
    db.session.add(
        Goal(user_id=member.id, kind=GoalKind.NEW_CONNECTIONS, target=2, period=GoalPeriod.QUARTER)
    )
    _going_later(communities[CIRCLE], member, [person for title in GOING_LATER for person in met_at[title]])
    # She reads a weekly digest and last came by nine days ago: `flask digests` has news for her.
    set_frequency(member.id, DigestFrequency.WEEKLY, now=now - timedelta(days=60))
    member.last_seen_at = now - timedelta(days=9)
    db.session.flush()
    return len(PAST_EVENTS)
