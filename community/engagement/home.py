"""The signed-in home at `/`: my upcoming events (those I answered first, with my answer), the
introductions waiting for me, my fading connections with a nudge each, and my goals' progress.

core's front page asks for it through the registry (SIGNED_IN_HOME), so core never imports
this feature. A fixed number of queries, however many events, connections and goals: events
1, introductions 1, fading 3 (+ names and their events, 2, when some fade), goals 1 (+ the
settings, 1 or 2, and every goal's current period in one UNION, 1, when there are goals)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask import Flask
from sqlalchemy import Integer, and_, case, cast, literal, null, or_, select, union_all
from sqlalchemy.orm import contains_eager

from community.auth.models import User
from community.communities.models import Membership, MembershipStatus
from community.core import sections
from community.core.models import utcnow
from community.engagement.models import GoalKind, GoalPeriod
from community.engagement.parts import ANSWERED, events_to_join
from community.engagement.periods import period_at
from community.engagement.progress import RECORDS, GoalProgress, PeriodCount, goals_of
from community.engagement.queries import ConnectionState, fading_connections, settings_of
from community.events.models import Event, EventStatus, EventVisibility
from community.events.timing import short_when
from community.extensions import db
from community.introductions.lists import waiting_for
from community.rsvps.models import RSVP, RSVPStatus

#: Events on the home; more are a click away in each community.
EVENTS_SHOWN = 5
#: Events read to fill EVENTS_SHOWN once later dates of series are folded away.
EVENTS_READ = EVENTS_SHOWN * 4
FADING_SHOWN = 3
INTRODUCTIONS_SHOWN = 3

#: What my answer to an event reads like on the home.
ANSWER_LABELS = {
    RSVPStatus.GOING: "You're going",
    RSVPStatus.WAITLISTED: "You're on the waitlist",
    RSVPStatus.OFFERED: "A seat is held for you",
    RSVPStatus.PENDING: "Waiting for the organizers",
    RSVPStatus.NOT_GOING: "You said you can't go",
    RSVPStatus.DECLINED: "The organizers said no",
}


@dataclass(frozen=True)
class HomeEvent:
    event: Event
    when: str
    #: My RSVP's status, or None when I haven't answered.
    answer: RSVPStatus | None

    @property
    def answer_label(self) -> str:
        return ANSWER_LABELS[self.answer] if self.answer is not None else ""

    @property
    def answered(self) -> bool:
        return self.answer in ANSWERED


@dataclass(frozen=True)
class FadingPerson:
    person: User
    state: ConnectionState
    #: Upcoming events of my communities they're going to that I haven't answered.
    events: list[Event]


def upcoming_events(user_id: int, now: datetime, limit: int = EVENTS_SHOWN) -> list[HomeEvent]:
    """Events still to come that I answered (going, waitlisted, offered, pending) first, then the
    public and members-only ones of my communities, soonest first; of a series I haven't
    answered, only its next date (one query)."""
    mine = select(Membership.community_id).where(
        Membership.user_id == user_id, Membership.status == MembershipStatus.ACTIVE
    )
    answered = RSVP.status.in_(ANSWERED)
    rows = db.session.execute(
        select(Event, RSVP.status)
        .join(Event.community)
        .options(contains_eager(Event.community))
        .outerjoin(RSVP, and_(RSVP.event_id == Event.id, RSVP.user_id == user_id))
        .where(
            Event.status == EventStatus.PUBLISHED,
            Event.ends_at > now,
            or_(
                answered,
                and_(
                    Event.community_id.in_(mine),
                    Event.visibility.in_([EventVisibility.PUBLIC, EventVisibility.MEMBERS]),
                ),
            ),
        )
        .order_by(case((answered, 0), else_=1), Event.starts_at, Event.id)
        .limit(EVENTS_READ)
    ).all()
    shown: list[HomeEvent] = []
    series_seen: set[int] = set()
    for event, status in rows:
        item = HomeEvent(
            event, short_when(event.starts_at, event.ends_at, event.timezone, event.all_day), status
        )
        if not item.answered and event.series_id is not None:
            if event.series_id in series_seen:
                continue
            series_seen.add(event.series_id)
        shown.append(item)
    return shown[:limit]


def _fading_people(user_id: int, now: datetime) -> list[FadingPerson]:
    states = fading_connections(user_id, now)[:FADING_SHOWN]
    if not states:
        return []
    ids = [state.other_id for state in states]
    people = {user.id: user for user in db.session.scalars(select(User).where(User.id.in_(ids)))}
    going = events_to_join(user_id, ids, now)
    return [
        FadingPerson(people[state.other_id], state, going.get(state.other_id, []))
        for state in states
        if state.other_id in people
    ]


def current_progress(user_id: int, now: datetime) -> list[GoalProgress]:
    """Each goal with its count in its current period only: one UNION for all the goals."""
    goals = goals_of(user_id)
    if not goals:
        return []
    zone = settings_of(user_id).timezone
    periods = {goal.id: period_at(now, GoalPeriod(goal.period), zone) for goal in goals}
    parts = []
    for goal in goals:
        period = periods[goal.id]
        records = RECORDS[GoalKind(goal.kind)](user_id, period.starts_at, period.ends_at, now).subquery()
        # A note's recipient counts once a period (the reconnect goal); other kinds count rows.
        who = records.c[1] if len(records.c) > 1 else cast(null(), Integer)
        parts.append(select(literal(goal.id).label("goal_id"), who.label("who")).select_from(records))
    counts: dict[int, int] = {goal.id: 0 for goal in goals}
    seen: set[tuple[int, int]] = set()
    for goal_id, who in db.session.execute(union_all(*parts)).all():
        if who is not None:
            if (goal_id, who) in seen:
                continue
            seen.add((goal_id, who))
        counts[goal_id] += 1
    return [GoalProgress(goal, [PeriodCount(periods[goal.id], counts[goal.id])]) for goal in goals]


def signed_in_home(user: User) -> dict[str, Any]:
    """The home's context, for core's `/` (SIGNED_IN_HOME)."""
    now = utcnow()
    waiting = waiting_for(user, now)
    return {
        "template": "engagement/home.html",
        "events": upcoming_events(user.id, now),
        "introductions": waiting[:INTRODUCTIONS_SHOWN],
        "introductions_waiting": len(waiting),
        "fading": _fading_people(user.id, now),
        "goals": current_progress(user.id, now),
    }


def register(app: Flask) -> None:
    sections.provide(app, sections.SIGNED_IN_HOME, signed_in_home)
