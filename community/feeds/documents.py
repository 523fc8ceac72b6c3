"""Feeds and invitations for real events: rows -> CalendarEvents -> iCalendar bytes.

Each feed has a *state*: the rows it is built from. The ETag is a hash of that state, and
the document's DTSTAMP is the state's last change, so the same state always gives the same
bytes (a strong ETag is honest) and a conditional GET is answered from one query, without
building anything.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from flask import current_app, url_for
from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from community.auth.models import User
from community.communities.models import Community
from community.events.calendar import calendar_event, organizer_address
from community.events.join import join_url
from community.events.models import Event, RSVPStatus
from community.extensions import db
from community.feeds import ical
from community.feeds.models import StoredVEvent
from community.feeds.queries import PersonalEntry

EPOCH = datetime(2020, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class FeedState:
    etag: str
    last_modified: datetime


def _state(rows: list[tuple], times: list[datetime], *context) -> FeedState:
    return FeedState(etag=ical.feed_state_key(rows, *context), last_modified=max(times, default=EPOCH))


# -- one event ---------------------------------------------------------------------------


def event_state(event: Event) -> FeedState:
    return _state([(event.id, event.sequence, event.updated_at, event.status)], [event.updated_at], "event")


def event_document(event: Event, state: FeedState) -> bytes:
    return ical.single_event_document(calendar_event(event), now=state.last_modified)


# -- a community's feed ------------------------------------------------------------------


def community_state(community: Community, events: list[Event]) -> FeedState:
    rows = [(e.id, e.sequence, e.updated_at, e.status) for e in events]
    times = [e.updated_at for e in events] + [community.updated_at]
    return _state(rows, times, "community", community.name, community.timezone)


def community_document(community: Community, events: list[Event], state: FeedState) -> bytes:
    return ical.feed_document(
        community.name,
        # Only times and zones are needed next to stored VEVENTs: skip rendering descriptions.
        [calendar_event(event, description_text="") for event in events],
        timezone_hint=community.timezone,
        description=community.tagline,
        source_url=url_for("feeds.community_feed", slug=community.slug, _external=True),
        now=state.last_modified,
        vevents=stored_vevents(community, events),
    )


def _vevent_state(event: Event, community: Community) -> str:
    """Everything a public VEVENT is made from, hashed: the event's row state and what the
    site writes around it (its address, the organizer's name and address, the format)."""
    return ical.feed_state_key(
        [(event.id, event.sequence, event.updated_at, event.status)],
        community.slug, community.name, community.updated_at, current_app.config["SERVER_NAME"],
        organizer_address(),
    )  # fmt: skip


def stored_vevents(community: Community, events: list[Event]) -> list[bytes]:
    """The events' public VEVENTs: read from the database in one query, serialised (and
    stored, in the request's transaction) only for events new or changed since."""
    states = {event.id: _vevent_state(event, community) for event in events}
    stored = {
        row.event_id: row
        for row in db.session.scalars(select(StoredVEvent).where(StoredVEvent.event_id.in_(list(states))))
    }
    result, fresh = [], []
    for event in events:
        row = stored.get(event.id)
        if row is not None and row.state == states[event.id]:
            result.append(row.vevent)
            continue
        serialised = ical.vevent_bytes(calendar_event(event))
        result.append(serialised)
        fresh.append({"event_id": event.id, "state": states[event.id], "vevent": serialised})
    if fresh:
        _upsert(fresh)
    return result


def _upsert(rows: list[dict]) -> None:
    """Insert or replace stored VEVENTs; two workers storing the same event at once is fine."""
    insert = postgresql_insert if db.session.get_bind().dialect.name == "postgresql" else sqlite_insert
    for start in range(0, len(rows), 500):
        statement = insert(StoredVEvent).values(rows[start : start + 500])
        db.session.execute(
            statement.on_conflict_do_update(
                index_elements=[StoredVEvent.event_id],
                set_={"state": statement.excluded.state, "vevent": statement.excluded.vevent},
            )
        )


# -- a person's feed ---------------------------------------------------------------------


def _personal_status(entry: PersonalEntry) -> str:
    if entry.rsvp is None or entry.rsvp.status == RSVPStatus.GOING:
        return ical.CONFIRMED
    return ical.TENTATIVE  # waitlisted, offered a seat, or waiting for approval


def _personal_join(entry: PersonalEntry) -> str:
    going = entry.rsvp is not None and entry.rsvp.status == RSVPStatus.GOING
    return join_url(entry.rsvp) if going and entry.event.online_url else ""


def personal_state(user: User, entries: list[PersonalEntry], include_all: bool) -> FeedState:
    rows = [
        (e.event.id, e.event.sequence, e.event.updated_at, e.event.status, e.rsvp.status if e.rsvp else "",
         bool(e.event.online_url))
        for e in entries
    ]  # fmt: skip
    times = [e.event.updated_at for e in entries] + [e.rsvp.updated_at for e in entries if e.rsvp]
    return _state(rows, times, "personal", user.id, user.name, include_all)


def personal_document(user: User, entries: list[PersonalEntry], state: FeedState) -> bytes:
    return ical.feed_document(
        f"Roundtable: {user.name}",
        [
            calendar_event(entry.event, status=_personal_status(entry), join=_personal_join(entry))
            for entry in entries
        ],
        timezone_hint=entries[0].event.timezone if entries else "UTC",
        description="Events you're going to (and waiting for) on Roundtable.",
        now=state.last_modified,
    )
