"""Fading connections: when each of a person's connections last had a shared event, an
introduction or a note, against the person's setting or the connection's own rhythm.

The last contact of every connection is one aggregate query (a UNION of the five kinds of
contact, grouped by the other person); with the person's settings and their per-connection
preferences that makes three queries however many connections there are."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, func, or_, select, type_coerce, union_all
from sqlalchemy.orm import aliased

from community.communities.models import Community, Membership, MembershipStatus
from community.core.models import UTCDateTime
from community.core.timezones import is_timezone
from community.engagement.models import (
    DEFAULT_FADING_MONTHS,
    CatchUpNote,
    ConnectionPreference,
    EngagementSettings,
)
from community.engagement.periods import months_before
from community.events.models import Event, EventStatus
from community.extensions import db
from community.introductions.models import Connection, ConnectionMoment, Introduction
from community.rsvps.models import RSVP, RSVPStatus


@dataclass(frozen=True)
class Settings:
    fading_months: int
    timezone: str
    #: Whether the zone is the person's own choice (else their first community's, or UTC).
    chosen_zone: bool


@dataclass(frozen=True)
class ConnectionState:
    """How one connection stands for one person."""

    other_id: int
    last_contact: datetime
    months: int  # fading after this many months (their rhythm, else the person's setting)
    rhythm_months: int | None
    snoozed_until: datetime | None
    fading: bool  # past the months without contact

    @property
    def nudged(self) -> bool:
        """Fading and not snoozed: shown with a nudge."""
        return self.fading and self.snoozed_until is None


def settings_of(user_id: int) -> Settings:
    """The person's fading setting and goal time zone (one query, two without a chosen zone)."""
    row = db.session.get(EngagementSettings, user_id)
    months = row.fading_months if row is not None else DEFAULT_FADING_MONTHS
    if row is not None and is_timezone(row.timezone):
        return Settings(months, row.timezone, True)
    zone = db.session.scalar(
        select(Community.timezone)
        .join(Membership, Membership.community_id == Community.id)
        .where(Membership.user_id == user_id, Membership.status == MembershipStatus.ACTIVE)
        .order_by(Membership.id)
        .limit(1)
    )
    return Settings(months, zone if is_timezone(zone) else "UTC", False)


def fading_months_of(user_id: int) -> int:
    """After how many months without contact the person's connections fade (one query)."""
    months = db.session.scalar(
        select(EngagementSettings.fading_months).where(EngagementSettings.user_id == user_id)
    )
    return months or DEFAULT_FADING_MONTHS


def _other(user_id: int, first, second):
    return func.coalesce(
        func.nullif(first, user_id), second
    )  # the column that is not `user_id` (first unless first is the user)


def last_contacts(user_id: int, now: datetime) -> dict[int, datetime]:
    """Each connection's latest contact: the connection made, a moment of its history, an event
    both went to (both checked in, or both going) that has ended, an introduction between them,
    or a note either way (one query)."""
    other = _other(user_id, Connection.first_id, Connection.second_id).label("other_id")
    mine_side = or_(Connection.first_id == user_id, Connection.second_id == user_id)
    made = select(other, Connection.created_at.label("at")).where(mine_side)
    moments = (
        select(other, ConnectionMoment.happened_at.label("at"))
        .join(Connection, Connection.id == ConnectionMoment.connection_id)
        .where(mine_side)
    )
    mine, theirs = aliased(RSVP), aliased(RSVP)
    together = (
        select(theirs.user_id.label("other_id"), Event.ends_at.label("at"))
        .join(mine, and_(mine.event_id == theirs.event_id, mine.user_id == user_id))
        .join(Event, Event.id == theirs.event_id)
        .where(
            theirs.user_id != user_id,
            Event.status == EventStatus.PUBLISHED,
            Event.ends_at <= now,
            or_(
                and_(mine.checked_in_at.is_not(None), theirs.checked_in_at.is_not(None)),
                and_(mine.status == RSVPStatus.GOING, theirs.status == RSVPStatus.GOING),
            ),
        )
    )
    introductions = select(
        _other(user_id, Introduction.asker_id, Introduction.recipient_id).label("other_id"),
        Introduction.created_at.label("at"),
    ).where(or_(Introduction.asker_id == user_id, Introduction.recipient_id == user_id))
    notes = select(
        _other(user_id, CatchUpNote.sender_id, CatchUpNote.recipient_id).label("other_id"),
        CatchUpNote.created_at.label("at"),
    ).where(or_(CatchUpNote.sender_id == user_id, CatchUpNote.recipient_id == user_id))
    contact = union_all(made, moments, together, introductions, notes).subquery()
    connected = select(other).where(mine_side)
    rows = db.session.execute(
        select(contact.c.other_id, type_coerce(func.max(contact.c.at), UTCDateTime))
        .where(contact.c.other_id.in_(connected))
        .group_by(contact.c.other_id)
    ).all()
    return {other_id: at for other_id, at in rows}


def preferences(user_id: int) -> dict[int, ConnectionPreference]:
    """The person's rhythm and snooze for each connection that has one (one query)."""
    rows = db.session.scalars(select(ConnectionPreference).where(ConnectionPreference.user_id == user_id))
    return {row.other_id: row for row in rows}


def connection_states(user_id: int, now: datetime) -> dict[int, ConnectionState]:
    """Every connection of the person and whether it is fading (three queries)."""
    months = fading_months_of(user_id)
    prefs = preferences(user_id)
    states = {}
    for other_id, last in last_contacts(user_id, now).items():
        pref = prefs.get(other_id)
        rhythm = pref.rhythm_months if pref is not None else None
        snooze = pref.snoozed_until if pref is not None and pref.snoozed_until else None
        due = rhythm or months
        states[other_id] = ConnectionState(
            other_id=other_id,
            last_contact=last,
            months=due,
            rhythm_months=rhythm,
            snoozed_until=snooze if snooze is not None and snooze > now else None,
            fading=last <= months_before(now, due),
        )
    return states


def fading_connections(user_id: int, now: datetime) -> list[ConnectionState]:
    """The person's fading connections that are not snoozed, longest without contact first
    (three queries, whatever the number of connections)."""
    states = connection_states(user_id, now)
    return sorted(
        (state for state in states.values() if state.nudged), key=lambda s: (s.last_contact, s.other_id)
    )


def notes_sent_since(user_id: int, since: datetime) -> int:
    return (
        db.session.scalar(
            select(func.count())
            .select_from(CatchUpNote)
            .where(CatchUpNote.sender_id == user_id, CatchUpNote.created_at >= since)
        )
        or 0
    )
