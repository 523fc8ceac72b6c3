"""The dashboard's per-event figures, each one SQL statement of aggregates (GROUP BY and window
functions both SQLite and PostgreSQL run), never rows loaded into Python to be counted.

Who counts: members only. A community's owners and organizers are left out of every attendance
and member figure, so its own hosts don't make it look alive. Who *attended* an event: those
checked in; at an event where nobody was checked in, those going (the rule "Who did you meet?"
follows too).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import (
    CTE,
    ColumnElement,
    Integer,
    and_,
    case,
    cast,
    exists,
    extract,
    func,
    literal,
    literal_column,
    or_,
    select,
    tuple_,
    union_all,
)
from sqlalchemy.orm import aliased

from community.communities.models import Membership, MembershipStatus, Role
from community.events.models import Event, EventStatus
from community.extensions import db
from community.introductions.models import Connection, ConnectionMoment
from community.rsvps.models import RSVP, RSVPStatus


def month_index(column: ColumnElement[datetime]) -> ColumnElement[int]:
    """year * 12 + month - 1 of a UTC datetime column, the same number on both databases."""
    if db.engine.dialect.name == "postgresql":
        column = func.timezone(literal_column("'UTC'"), column)
    # Constants written inline, so that GROUP BY repeats the SELECT's expression word for word.
    year, month = cast(extract("year", column), Integer), cast(extract("month", column), Integer)
    return year * literal_column("12") + month - literal_column("1")


def not_an_organizer(community_id: int, user_id: ColumnElement[int]) -> ColumnElement[bool]:
    """The person is not an owner or organizer of the community (those who left count as members).
    An uncorrelated subquery: the database reads the few organizers once, not once a row."""
    organizers = select(Membership.user_id).where(
        Membership.community_id == community_id, Membership.role != Role.MEMBER
    )
    return user_id.not_in(organizers)


def past_events(community_id: int, now: datetime) -> list[ColumnElement[bool]]:
    return [Event.community_id == community_id, Event.status == EventStatus.PUBLISHED, Event.starts_at <= now]


def attendance(community_id: int, now: datetime) -> CTE:
    """(event_id, user_id, starts_at): one row per member who attended a past event of the community."""
    checked_events = (
        select(RSVP.event_id)
        .join(Event, Event.id == RSVP.event_id)
        .where(*past_events(community_id, now), RSVP.checked_in_at.is_not(None))
    )
    return (
        select(RSVP.event_id, RSVP.user_id, Event.starts_at)
        .join(Event, Event.id == RSVP.event_id)
        .where(
            *past_events(community_id, now),
            not_an_organizer(community_id, RSVP.user_id),
            or_(
                RSVP.checked_in_at.is_not(None),
                and_(RSVP.status == RSVPStatus.GOING, RSVP.event_id.not_in(checked_events)),
            ),
        )
        .cte("attendance")
    )


def first_moments() -> ColumnElement[bool]:
    """A connection moment that made its connection: none of the pair's moments came before it."""
    earlier = aliased(ConnectionMoment)
    return ~exists().where(
        earlier.connection_id == ConnectionMoment.connection_id,
        earlier.happened_at < ConnectionMoment.happened_at,
    )


@dataclass
class EventFigures:
    """One past event's row of the attendance, newcomers and connections charts."""

    id: int
    title: str
    starts_at: datetime
    capacity: int | None
    cohorts: list[str]
    going: int = 0
    checked_in: int = 0
    attended: int = 0
    newcomers: int = 0
    connected: int = 0  # attendees who made at least one new connection there

    @property
    def no_show_rate(self) -> float | None:
        """(going - checked in) / going; None when nobody was going or nobody was checked in."""
        if not self.going or not self.checked_in:
            return None
        return max(self.going - self.checked_in, 0) / self.going

    @property
    def returning(self) -> int:
        return self.attended - self.newcomers

    @property
    def connected_share(self) -> float | None:
        return self.connected / self.attended if self.attended else None


def event_figures(community_id: int, since: datetime | None, now: datetime) -> list[EventFigures]:
    """Every published event of the period that has started, oldest first (three statements)."""
    in_period = [*past_events(community_id, now)]
    if since is not None:
        in_period.append(Event.starts_at >= since)
    member = and_(RSVP.event_id == Event.id, not_an_organizer(community_id, RSVP.user_id))
    rows = db.session.execute(
        select(
            Event.id, Event.title, Event.starts_at, Event.capacity, Event.cohorts,
            func.count(case((RSVP.status == RSVPStatus.GOING, 1))),
            func.count(RSVP.checked_in_at),
        )
        .outerjoin(RSVP, member)
        .where(*in_period)
        .group_by(Event.id)  # the other columns depend on the primary key
        .order_by(Event.starts_at, Event.id)
    ).all()  # fmt: skip
    events = {
        row[0]: EventFigures(
            row[0], row[1], row[2], row[3], list(row[4] or []), going=row[5], checked_in=row[6]
        )
        for row in rows
    }
    attended = attendance(community_id, now)
    ranked = select(
        attended.c.event_id,
        attended.c.starts_at,
        func.row_number()
        .over(partition_by=attended.c.user_id, order_by=(attended.c.starts_at, attended.c.event_id))
        .label("visit"),
    ).subquery()
    newcomer_rows = db.session.execute(
        select(ranked.c.event_id, func.count(), func.count(case((ranked.c.visit == 1, 1))))
        .where(ranked.c.starts_at >= since if since is not None else literal(True))
        .group_by(ranked.c.event_id)
    )
    for event_id, count, newcomers in newcomer_rows:
        if event_id in events:
            events[event_id].attended, events[event_id].newcomers = count, newcomers
    for event_id, connected in db.session.execute(_connected_attendees(attended, since)):
        if event_id in events:
            events[event_id].connected = connected
    return list(events.values())


def _connected_attendees(attended: CTE, since: datetime | None):
    """(event_id, attendees who made a new connection there)."""
    made = (
        select(
            ConnectionMoment.event_id, Connection.first_id.label("one"), Connection.second_id.label("other")
        )
        .join(Connection, Connection.id == ConnectionMoment.connection_id)
        .where(ConnectionMoment.event_id.in_(select(attended.c.event_id)), first_moments())
        .cte("made")
    )
    people = union_all(
        select(made.c.event_id, made.c.one.label("user_id")), select(made.c.event_id, made.c.other)
    ).subquery()
    query = (
        select(attended.c.event_id, func.count(func.distinct(attended.c.user_id)))
        .join(people, and_(people.c.event_id == attended.c.event_id, people.c.user_id == attended.c.user_id))
        .group_by(attended.c.event_id)
    )
    return query.where(attended.c.starts_at >= since) if since is not None else query


@dataclass(frozen=True)
class CohortTurnout:
    """ "Class of 2016: 34% going, 28% attended", at the events for that cohort in the period."""

    cohort: str
    members: int
    going: int
    attended: int

    @property
    def going_share(self) -> float:
        return self.going / self.members if self.members else 0.0

    @property
    def attended_share(self) -> float:
        return self.attended / self.members if self.members else 0.0


def cohort_turnout(community_id: int, events: list[EventFigures], now: datetime) -> list[CohortTurnout]:
    """Per cohort named by an event of the period: of its members, how many were going to (and
    attended) at least one event for their cohort (two statements, whatever the number of events)."""
    pairs = [(event.id, cohort) for event in events for cohort in event.cohorts]
    members = dict(
        db.session.execute(
            select(Membership.cohort, func.count())
            .where(*current_members(community_id), Membership.cohort.is_not(None))
            .group_by(Membership.cohort)
        ).all()
    )
    attended = attendance(community_id, now)
    counted = db.session.execute(
        select(
            Membership.cohort,
            func.count(func.distinct(case((RSVP.status == RSVPStatus.GOING, RSVP.user_id)))),
            func.count(func.distinct(attended.c.user_id)),
        )
        .join(RSVP, RSVP.user_id == Membership.user_id)
        .outerjoin(attended, and_(attended.c.event_id == RSVP.event_id, attended.c.user_id == RSVP.user_id))
        .where(*current_members(community_id), tuple_(RSVP.event_id, Membership.cohort).in_(pairs))
        .group_by(Membership.cohort)
    ).all()
    figures = {cohort: (going, came) for cohort, going, came in counted}
    named = sorted({cohort for _, cohort in pairs})
    return [CohortTurnout(cohort, members.get(cohort, 0), *figures.get(cohort, (0, 0))) for cohort in named]


def current_members(community_id: int) -> list[ColumnElement[bool]]:
    return [
        Membership.community_id == community_id,
        Membership.status == MembershipStatus.ACTIVE,
        Membership.role == Role.MEMBER,
    ]
