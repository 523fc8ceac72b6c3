"""Connections: two people who know each other, stored once per pair, with their history."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import ColumnElement, and_, or_, select
from sqlalchemy.exc import IntegrityError

from community.auth.models import User
from community.core.models import utcnow
from community.events.models import Event
from community.extensions import db
from community.introductions.models import Connection, ConnectionMoment, MetTick

INTRODUCED = "introduced"
MET = "met"


def ordered(first_id: int, second_id: int) -> tuple[int, int]:
    return (first_id, second_id) if first_id < second_id else (second_id, first_id)


def joins(user_id: int, other_id: ColumnElement[int]) -> ColumnElement[bool]:
    """A join condition: the connection between `user_id` and the person in `other_id`."""
    return or_(
        and_(Connection.first_id == user_id, Connection.second_id == other_id),
        and_(Connection.second_id == user_id, Connection.first_id == other_id),
    )


def connection_between(first_id: int, second_id: int) -> Connection | None:
    low, high = ordered(first_id, second_id)
    return db.session.scalar(
        select(Connection).where(Connection.first_id == low, Connection.second_id == high)
    )


def connected_ids(user_id: int, among: Iterable[int] | None = None) -> set[int]:
    """The ids of `user_id`'s connections (only those in `among`, when given)."""
    query = select(Connection.first_id, Connection.second_id).where(
        or_(Connection.first_id == user_id, Connection.second_id == user_id)
    )
    ids = {first if second == user_id else second for first, second in db.session.execute(query)}
    return ids if among is None else ids & set(among)


def connect(
    first: User, second: User, *, how: str, event: Event | None = None, at: datetime | None = None
) -> Connection:
    """The pair's connection (made if new) with this moment added to its history, once: the
    same event and way of meeting is not written twice."""
    low, high = ordered(first.id, second.id)
    connection = connection_between(low, high)
    if connection is None:
        try:
            with db.session.begin_nested():
                connection = Connection(first_id=low, second_id=high, created_at=at or utcnow())
                db.session.add(connection)
        except IntegrityError:  # made at the same moment by another request
            connection = connection_between(low, high)
            assert connection is not None
    event_id = event.id if event is not None else None
    if not any(moment.event_id == event_id and moment.how == how for moment in connection.moments):
        connection.moments.append(
            ConnectionMoment(
                event_id=event_id,
                event_title=event.title if event else "",
                how=how,
                happened_at=at or utcnow(),
            )
        )
    db.session.flush()
    return connection


def tick(event: Event, user: User, others: Iterable[User]) -> list[Connection]:
    """After `event`, `user` says they met `others`; a pair who ticked each other connects.
    Returns the connections made or refreshed by these ticks."""
    made = []
    for other in others:
        if other.id == user.id:
            continue
        if db.session.get(MetTick, (event.id, user.id, other.id)) is None:
            db.session.add(MetTick(event_id=event.id, user_id=user.id, other_id=other.id))
        if db.session.get(MetTick, (event.id, other.id, user.id)) is not None:
            made.append(connect(user, other, how=MET, event=event))
    db.session.flush()
    return made


def ticked_ids(event: Event, user: User) -> set[int]:
    return set(
        db.session.scalars(
            select(MetTick.other_id).where(MetTick.event_id == event.id, MetTick.user_id == user.id)
        )
    )
