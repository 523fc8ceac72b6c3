"""Goal progress, counted from the records (never self-reported): events attended, connections
made, fading connections written to, introductions made between two of one's connections.

One query per kind of goal the person has, over all the periods shown, bucketed here."""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, exists, or_, select
from sqlalchemy.orm import aliased

from community.engagement.models import CatchUpNote, Goal, GoalKind, GoalPeriod
from community.engagement.periods import Period, recent_periods
from community.engagement.queries import settings_of
from community.events.models import Event, EventStatus
from community.extensions import db
from community.introductions.models import Connection, Introduction, IntroductionStatus
from community.rsvps.models import RSVP, RSVPStatus

#: Periods in a goal's history, the current one included.
HISTORY_PERIODS = 6

KIND_LABELS = {
    GoalKind.ATTEND_EVENTS: "Attend events",
    GoalKind.NEW_CONNECTIONS: "Make new connections",
    GoalKind.RECONNECT_FADING: "Reconnect with fading connections",
    GoalKind.INTRODUCE_PEOPLE: "Introduce two of my connections to each other",
}
UNITS = {
    GoalKind.ATTEND_EVENTS: ("event", "events"),
    GoalKind.NEW_CONNECTIONS: ("connection", "connections"),
    GoalKind.RECONNECT_FADING: ("fading connection", "fading connections"),
    GoalKind.INTRODUCE_PEOPLE: ("introduction", "introductions"),
}


@dataclass(frozen=True)
class PeriodCount:
    period: Period
    count: int


@dataclass(frozen=True)
class GoalProgress:
    goal: Goal
    history: list[PeriodCount]  # oldest first; the last is the current period

    @property
    def current(self) -> PeriodCount:
        return self.history[-1]

    @property
    def done(self) -> int:
        return self.current.count

    @property
    def met(self) -> bool:
        return self.done >= self.goal.target

    @property
    def label(self) -> str:
        return KIND_LABELS[self.goal.kind]

    def unit(self, count: int) -> str:
        singular, plural = UNITS[self.goal.kind]
        return singular if count == 1 else plural


def _attended(user_id: int, start: datetime, end: datetime, now: datetime):
    """When each event the person attended started: checked in, or going to one that ended."""
    return (
        select(Event.starts_at)
        .join(RSVP, and_(RSVP.event_id == Event.id, RSVP.user_id == user_id))
        .where(
            Event.status == EventStatus.PUBLISHED,
            Event.starts_at >= start,
            Event.starts_at < end,
            or_(RSVP.checked_in_at.is_not(None), and_(RSVP.status == RSVPStatus.GOING, Event.ends_at <= now)),
        )
    )


def _connected(user_id: int, start: datetime, end: datetime, now: datetime):
    return select(Connection.created_at).where(
        or_(Connection.first_id == user_id, Connection.second_id == user_id),
        Connection.created_at >= start,
        Connection.created_at < end,
    )


def _reconnected(user_id: int, start: datetime, end: datetime, now: datetime):
    """The first note of each period to each fading connection is what counts; one time per
    recipient is kept here and the rest deduplicated when bucketed (see _counts)."""
    return select(CatchUpNote.created_at, CatchUpNote.recipient_id).where(
        CatchUpNote.sender_id == user_id,
        CatchUpNote.to_fading.is_(True),
        CatchUpNote.created_at >= start,
        CatchUpNote.created_at < end,
    )


def _knows(user_id: int, other_id_column):
    first = aliased(Connection)
    return exists().where(
        or_(
            and_(first.first_id == user_id, first.second_id == other_id_column),
            and_(first.second_id == user_id, first.first_id == other_id_column),
        )
    )


def _introduced(user_id: int, start: datetime, end: datetime, now: datetime):
    """Introductions the person made (both sides said yes) between two of their connections."""
    return select(Introduction.answered_at).where(
        Introduction.introducer_id == user_id,
        Introduction.status == IntroductionStatus.ACCEPTED,
        Introduction.answered_at >= start,
        Introduction.answered_at < end,
        _knows(user_id, Introduction.asker_id),
        _knows(user_id, Introduction.recipient_id),
    )


RECORDS = {
    GoalKind.ATTEND_EVENTS: _attended,
    GoalKind.NEW_CONNECTIONS: _connected,
    GoalKind.RECONNECT_FADING: _reconnected,
    GoalKind.INTRODUCE_PEOPLE: _introduced,
}


def _counts(kind: GoalKind, rows, periods: list[Period]) -> list[int]:
    starts = [period.starts_at for period in periods]
    counts = [0] * len(periods)
    seen: set[tuple[int, int]] = set()
    for row in rows:
        index = bisect_right(starts, row[0]) - 1
        if index < 0:
            continue
        if kind == GoalKind.RECONNECT_FADING:  # each person once a period
            if (index, row[1]) in seen:
                continue
            seen.add((index, row[1]))
        counts[index] += 1
    return counts


def count_in(user_id: int, kind: GoalKind, periods: list[Period], now: datetime) -> list[int]:
    """How many records of `kind` fall in each of `periods` (consecutive, oldest first; one query)."""
    rows = db.session.execute(RECORDS[kind](user_id, periods[0].starts_at, periods[-1].ends_at, now)).all()
    return _counts(kind, rows, periods)


def goals_of(user_id: int) -> list[Goal]:
    return list(
        db.session.scalars(select(Goal).where(Goal.user_id == user_id).order_by(Goal.kind, Goal.period))
    )


def goal_progress(user_id: int, now: datetime, history: int = HISTORY_PERIODS) -> list[GoalProgress]:
    """Each of the person's goals with its count in the current period and the ones before, in
    the person's time zone. Queries: the goals, the settings (two without a chosen zone), then
    one per goal."""
    goals = goals_of(user_id)
    if not goals:
        return []
    zone = settings_of(user_id).timezone
    progress = []
    for goal in goals:
        periods = recent_periods(now, GoalPeriod(goal.period), zone, history)
        counts = count_in(user_id, goal.kind, periods, now)
        history_rows = [PeriodCount(period, count) for period, count in zip(periods, counts, strict=True)]
        progress.append(GoalProgress(goal, history_rows))
    return progress
