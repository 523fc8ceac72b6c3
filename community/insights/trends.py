"""The dashboard's month-by-month figures and the "drifting away" list, in SQL aggregates.

Months are calendar months in UTC, numbered year * 12 + month - 1 (queries.month_index).
Leaving a community deletes the membership row (the audit log keeps "member.left" or
"member.removed"), so members at a month's end are today's members who had joined by then, and
"left" counts those audit entries.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, case, func, select, union, union_all

from community.auth.models import User
from community.communities.models import Membership
from community.core.audit import AuditEntry
from community.engagement.periods import months_before
from community.events.models import Event
from community.extensions import db
from community.insights.queries import (
    attendance,
    current_members,
    first_moments,
    month_index,
)
from community.introductions.models import Connection, ConnectionMoment, Introduction, IntroductionStatus
from community.rsvps.models import RSVP

#: How long an RSVP, an attendance or a connection keeps a member active, in months.
ACTIVE_MONTHS = 6
LEFT_ACTIONS = ("member.left", "member.removed")
MONTH_NAMES = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def month_label(index: int) -> str:
    return f"{MONTH_NAMES[index % 12]} {index // 12}"


def month_of(moment: datetime) -> int:
    return moment.year * 12 + moment.month - 1


@dataclass(frozen=True)
class MonthFigures:
    """One month of the member and introduction charts (active and dormant at its end)."""

    month: int
    members: int
    active: int
    joined: int
    left: int
    requested: int
    accepted: int
    connections: int

    @property
    def label(self) -> str:
        return month_label(self.month)

    @property
    def dormant(self) -> int:
        return max(self.members - self.active, 0)


def _by_month(query) -> Counter[int]:
    return Counter({int(month): count for month, count in db.session.execute(query)})


def monthly(community_id: int, first_month: int, now: datetime) -> list[MonthFigures]:
    """From `first_month` to the month of `now`, oldest first (six statements)."""
    joined = _by_month(
        select(month_index(Membership.joined_at), func.count())
        .where(*current_members(community_id), Membership.joined_at.is_not(None))
        .group_by(month_index(Membership.joined_at))
    )
    left = _by_month(
        select(month_index(AuditEntry.created_at), func.count())
        .where(AuditEntry.community_id == community_id, AuditEntry.action.in_(LEFT_ACTIONS))
        .group_by(month_index(AuditEntry.created_at))
    )
    requested = _by_month(
        select(month_index(Introduction.created_at), func.count())
        .where(Introduction.community_id == community_id)
        .group_by(month_index(Introduction.created_at))
    )
    accepted = _by_month(
        select(month_index(Introduction.answered_at), func.count())
        .where(Introduction.community_id == community_id, Introduction.status == IntroductionStatus.ACCEPTED)
        .group_by(month_index(Introduction.answered_at))
    )
    connections = _by_month(
        select(month_index(ConnectionMoment.happened_at), func.count())
        .join(Event, Event.id == ConnectionMoment.event_id)
        .where(Event.community_id == community_id, first_moments())
        .group_by(month_index(ConnectionMoment.happened_at))
    )
    active = _active_by_month(community_id, now)
    last_month = month_of(now)
    base = sum(count for month, count in joined.items() if month < first_month)
    running_active = sum(count for month, count in active.items() if month < first_month)
    figures = []
    for month in range(first_month, last_month + 1):
        base += joined[month]
        running_active += active[month]
        figures.append(
            MonthFigures(month, base, running_active, joined[month], left[month], requested[month],
                         accepted[month], connections[month])
        )  # fmt: skip
    return figures


def _active_by_month(community_id: int, now: datetime) -> Counter[int]:
    """How the number of active members changes at each month (a running sum gives the count).

    Each month with activity keeps a member active for ACTIVE_MONTHS months; a member's months in
    order (LAG) give the months each one adds beyond the one before, so spans never overlap."""
    attended = attendance(community_id, now)
    event_month = month_index(attended.c.starts_at)
    rsvp_month = month_index(RSVP.created_at)
    moment_month = month_index(ConnectionMoment.happened_at)
    at_events = and_(Event.id == ConnectionMoment.event_id, Event.community_id == community_id)
    activity = union(
        select(RSVP.user_id, rsvp_month.label("month"))
        .join(Event, Event.id == RSVP.event_id)
        .where(Event.community_id == community_id, RSVP.created_at <= now),
        select(attended.c.user_id, event_month),
        select(Connection.first_id, moment_month)
        .join(ConnectionMoment, ConnectionMoment.connection_id == Connection.id)
        .join(Event, at_events),
        select(Connection.second_id, moment_month)
        .join(ConnectionMoment, ConnectionMoment.connection_id == Connection.id)
        .join(Event, at_events),
    ).subquery()
    mine = (
        select(
            activity.c.user_id,
            activity.c.month,
            func.lag(activity.c.month)
            .over(partition_by=activity.c.user_id, order_by=activity.c.month)
            .label("before"),
        )
        .join(Membership, Membership.user_id == activity.c.user_id)
        .where(*current_members(community_id))
        .subquery()
    )
    starts = func.coalesce(func.max(mine.c.month, mine.c.before + ACTIVE_MONTHS), mine.c.month)
    if db.engine.dialect.name == "postgresql":
        starts = func.greatest(mine.c.month, func.coalesce(mine.c.before + ACTIVE_MONTHS, mine.c.month))
    # A CTE, read twice below: both databases compute it once.
    spans = select(starts.label("first"), (mine.c.month + ACTIVE_MONTHS).label("after")).cte("spans")
    deltas = union_all(
        select(spans.c.first.label("month"), func.count().label("change")).group_by(spans.c.first),
        select(spans.c.after, -func.count()).group_by(spans.c.after),
    ).subquery()
    rows = db.session.execute(select(deltas.c.month, func.sum(deltas.c.change)).group_by(deltas.c.month))
    return Counter({int(month): int(change) for month, change in rows})


@dataclass(frozen=True)
class DriftingMember:
    user_id: int
    name: str
    cohort: str | None
    earlier_events: int
    last_event_id: int
    last_event_title: str
    last_attended_at: datetime


def drifting_away(community_id: int, now: datetime) -> list[DriftingMember]:
    """Members who attended at least two events in the 12 months before the last 6 and none in
    the last 6 (an event exactly 6 months ago is in the last 6), latest last-attended first."""
    recent_from = months_before(now, ACTIVE_MONTHS)
    earlier_from = months_before(now, ACTIVE_MONTHS + 12)
    attended = attendance(community_id, now)
    ranked = select(
        attended.c.user_id,
        attended.c.event_id,
        attended.c.starts_at,
        func.row_number()
        .over(
            partition_by=attended.c.user_id,
            order_by=(attended.c.starts_at.desc(), attended.c.event_id.desc()),
        )
        .label("latest"),
        func.sum(
            case((and_(attended.c.starts_at >= earlier_from, attended.c.starts_at < recent_from), 1), else_=0)
        )
        .over(partition_by=attended.c.user_id)
        .label("earlier"),
    ).subquery()
    rows = db.session.execute(
        select(
            User.id, User.name, Membership.cohort, ranked.c.earlier, Event.id, Event.title, ranked.c.starts_at
        )
        .join(Membership, and_(Membership.user_id == ranked.c.user_id, *current_members(community_id)))
        .join(User, User.id == ranked.c.user_id)
        .join(Event, Event.id == ranked.c.event_id)
        .where(ranked.c.latest == 1, ranked.c.earlier >= 2, ranked.c.starts_at < recent_from)
        .order_by(ranked.c.starts_at.desc(), User.name, User.id)
    )
    return [DriftingMember(*row) for row in rows]
