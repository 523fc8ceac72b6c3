"""Builders for the organizer screen tests: members and RSVPs (tests/factories.py), RSVPs in bulk."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import insert

from community.auth.models import User
from community.communities.models import Community, Role
from community.core.models import utcnow
from community.events.models import Event
from community.extensions import db
from community.rsvps.models import RSVP, RSVPStatus
from tests.factories import create_membership, create_rsvp


def member_of(community: Community, *, name: str | None = None, role: Role = Role.MEMBER) -> User:
    return create_membership(community, role=role, name=name).user


def add_rsvp(event: Event, person: User, status: RSVPStatus = RSVPStatus.GOING, **fields) -> RSVP:
    """create_rsvp, with the status as third argument: guests, answers, minutes_ago, checked_in."""
    return create_rsvp(event, person, status=status, **fields)


def many_rsvps(event: Event, count: int, status: RSVPStatus = RSVPStatus.GOING) -> None:
    """`count` people and their RSVPs in two bulk inserts (no password hashing per person)."""
    start = db.session.query(User).count()
    db.session.execute(
        insert(User),
        [
            {
                "email": f"bulk{start + i}@example.org",
                "name": f"Bulk Person {start + i}",
                "password_hash": "x",
            }
            for i in range(count)
        ],
    )
    ids = db.session.scalars(
        db.select(User.id).where(User.email.like("bulk%@example.org")).order_by(User.id)
    ).all()[-count:]
    now = utcnow()
    db.session.execute(
        insert(RSVP),
        [
            {
                "event_id": event.id,
                "user_id": user_id,
                "status": status,
                "guests": i % 2,
                "answers": {},
                "listed": True,
                "queued_at": now - timedelta(minutes=count - i),
            }
            for i, user_id in enumerate(ids)
        ],
    )
    db.session.commit()


def rsvp_status(rsvp_id: int) -> str:
    db.session.expire_all()
    return db.session.get(RSVP, rsvp_id).status.value
