"""Helpers for the introductions page tests: many opted-in attendees in a few statements, and
a page's text as a reader sees it."""

from __future__ import annotations

import re
from html import unescape

from sqlalchemy import insert, select

from community.auth.models import User
from community.communities.models import Membership, MembershipStatus, Role
from community.core.models import utcnow
from community.events.models import Event
from community.extensions import db
from community.introductions.models import Connection, ConnectionMoment, OptIn
from community.members.models import Profile
from community.rsvps.models import RSVP, RSVPStatus

_INLINE = re.compile(r"</?(?:em|strong|a|span|abbr)\b[^>]*>")


def text(html: str) -> str:
    """The page's words: inline tags dropped in place, other tags as spaces, whitespace collapsed."""
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", _INLINE.sub("", html))).split())


def bulk_people(count: int, *, prefix: str, community_id: int, **profile) -> list[int]:
    """`count` members of the community, each with a profile (`profile` fields), by insert."""
    now = utcnow()
    db.session.execute(
        insert(User),
        [
            {"email": f"{prefix}{n}@example.org", "name": f"{prefix.title()} {n:03d}", "password_hash": "x",
             "email_verified_at": now}
            for n in range(count)
        ],
    )  # fmt: skip
    ids = list(
        db.session.scalars(select(User.id).where(User.email.like(f"{prefix}%@example.org")).order_by(User.id))
    )
    db.session.execute(
        insert(Membership),
        [
            {"community_id": community_id, "user_id": uid, "role": Role.MEMBER,
             "status": MembershipStatus.ACTIVE, "joined_at": now}
            for uid in ids
        ],
    )  # fmt: skip
    db.session.execute(insert(Profile), [{"user_id": uid, **profile} for uid in ids])
    db.session.commit()
    return ids


def bulk_opted_in(event: Event, count: int, *, prefix: str = "bulk", **profile) -> list[int]:
    """`count` members going to `event` who opted in to introductions there."""
    ids = bulk_people(count, prefix=prefix, community_id=event.community_id, **profile)
    now = utcnow()
    db.session.execute(
        insert(RSVP),
        [
            {"event_id": event.id, "user_id": uid, "status": RSVPStatus.GOING, "guests": 0, "listed": True,
             "answers": {}, "queued_at": now}
            for uid in ids
        ],
    )  # fmt: skip
    db.session.execute(
        insert(OptIn), [{"event_id": event.id, "user_id": uid, "talk_about": ""} for uid in ids]
    )
    db.session.commit()
    return ids


def bulk_connections(user: User, other_ids: list[int], *, event: Event | None = None) -> None:
    """`user` connected with each of `other_ids`, each with one moment of history."""
    now = utcnow()
    pairs = [tuple(sorted((user.id, other))) for other in other_ids]
    db.session.execute(
        insert(Connection), [{"first_id": low, "second_id": high, "created_at": now} for low, high in pairs]
    )
    connection_ids = db.session.scalars(
        select(Connection.id).where((Connection.first_id == user.id) | (Connection.second_id == user.id))
    ).all()
    db.session.execute(
        insert(ConnectionMoment),
        [
            {"connection_id": cid, "happened_at": now, "event_id": event.id if event else None,
             "event_title": event.title if event else "", "how": "introduced"}
            for cid in connection_ids
        ],
    )  # fmt: skip
    db.session.commit()
