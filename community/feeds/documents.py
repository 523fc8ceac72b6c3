"""Feeds for real events: rows -> CalendarEntries (events.calendar) -> iCalendar bytes (core.ical).

Each feed has a *state*: the rows it is built from. The ETag is a hash of that state, and
the document's DTSTAMP is the state's last change, so the same state always gives the same
bytes (a strong ETag is honest) and a conditional GET is answered from one query, without
building anything.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache

from flask import current_app, url_for
from sqlalchemy import Row, select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from community.auth.models import User
from community.communities.models import Community
from community.core.ical.document import feed_document, feed_state_key, single_event_document
from community.core.ical.entry import CONFIRMED, TENTATIVE, CalendarEntry
from community.core.ical.vevent import vevent_bytes
from community.events.calendar import calendar_entry, organizer_address
from community.events.models import Event
from community.extensions import db
from community.feeds.models import StoredVEvent
from community.feeds.queries import FeedVersion, PersonalEntry, events_by_id
from community.rsvps.join import join_url
from community.rsvps.models import RSVPStatus

EPOCH = datetime(2020, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class FeedState:
    etag: str
    last_modified: datetime


def _state(rows: list[tuple], times: list[datetime], *context) -> FeedState:
    return FeedState(etag=feed_state_key(rows, *context), last_modified=max(times, default=EPOCH))


# -- one event ---------------------------------------------------------------------------


def event_state(event: Event) -> FeedState:
    return _state([(event.id, event.sequence, event.updated_at, event.status)], [event.updated_at], "event")


def event_document(event: Event, state: FeedState) -> bytes:
    return single_event_document(calendar_entry(event), now=state.last_modified)


# -- a community's feed ------------------------------------------------------------------


def feed_day(now: datetime) -> datetime:
    """The first moment (UTC) of the day a community feed is built for: its window of past
    events moves once a day, so its state is its calendar version and the day."""
    return now.astimezone(UTC).replace(hour=0, minute=0, second=0, microsecond=0)


def community_state(version: FeedVersion, day: datetime, config: Mapping) -> FeedState:
    """From the feed's version and the day alone (a conditional GET costs one small query).
    It changed last at the later of its last change and the day's start (an event may have
    left it then)."""
    return _community_state(
        version.community_id, version.calendar_version, version.changed_at, day,
        config["SERVER_NAME"], organizer_address(config),
    )  # fmt: skip


@lru_cache(maxsize=1024)  # every conditional GET asks it again, of a few states
def _community_state(
    community_id: int, calendar_version: int, changed_at: datetime | None, day: datetime, *site: str
) -> FeedState:
    row = (community_id, calendar_version, day.date().isoformat())
    return _state([row], [changed_at or EPOCH, day], "community", *site)


def community_document(community: Community, rows: list[Row], state: FeedState) -> bytes:
    return feed_document(
        community.name,
        [_timing(row) for row in rows],
        timezone_hint=community.timezone,
        description=community.tagline,
        source_url=url_for("feeds.community_feed", slug=community.slug, _external=True),
        now=state.last_modified,
        vevents=stored_vevents(community, rows),
    )


def _timing(row: Row) -> CalendarEntry:
    """Just what the VTIMEZONEs are chosen from; the VEVENTs themselves come stored."""
    return CalendarEntry(
        uid=str(row.id), sequence=0, summary="", starts_at=row.starts_at, ends_at=row.ends_at,
        timezone=row.timezone, all_day=row.all_day,
    )  # fmt: skip


def _vevent_state(row: Row, community: Community, site: tuple[str, str]) -> str:
    """Everything a public VEVENT is made from, hashed: the event's row state and what the
    site writes around it (its address, the organizer's name and address, the format)."""
    return feed_state_key(
        [(row.id, row.sequence, row.updated_at, row.status)],
        community.slug, community.name, community.updated_at, *site,
    )  # fmt: skip


def stored_vevents(community: Community, rows: list[Row]) -> list[bytes]:
    """The events' public VEVENTs: read from the database in one query, serialised (and
    stored, in the request's transaction) only for events new or changed since."""
    site = (current_app.config["SERVER_NAME"], organizer_address())
    states = {row.id: _vevent_state(row, community, site) for row in rows}
    stored = {
        event_id: vevent
        for event_id, state, vevent in db.session.execute(
            select(StoredVEvent.event_id, StoredVEvent.state, StoredVEvent.vevent).where(
                StoredVEvent.event_id.in_(list(states))
            )
        )
        if state == states[event_id]
    }
    stale = events_by_id([row.id for row in rows if row.id not in stored])
    fresh = []
    for event_id, event in stale.items():
        stored[event_id] = vevent_bytes(calendar_entry(event))
        fresh.append({"event_id": event_id, "state": states[event_id], "vevent": stored[event_id]})
    if fresh:
        _upsert(fresh)
    return [stored[row.id] for row in rows]


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
        return CONFIRMED
    return TENTATIVE  # waitlisted, offered a seat, or waiting for approval


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
    return feed_document(
        f"Roundtable: {user.name}",
        [
            calendar_entry(entry.event, status=_personal_status(entry), join=_personal_join(entry))
            for entry in entries
        ],
        timezone_hint=entries[0].event.timezone if entries else "UTC",
        description="Events you're going to (and waiting for) on Roundtable.",
        now=state.last_modified,
    )
