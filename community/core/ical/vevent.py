"""One CalendarEntry as a VEVENT component.

Public documents never carry an ATTENDEE, and the ORGANIZER is whatever no-reply or
community address the entry names, never a person. The online link is only written when
the entry has a `join_url` (someone going): a stable per-attendee URL that redirects to the
current meeting link, so a changed link needs no new invitation.

Speed: serialising a VEVENT costs icalendar ~0.25 ms, so `vevent_bytes` caches each
entry's PUBLISH VEVENT by value (DTSTAMP is added per document by document.py); a
1,000-event feed is rebuilt in a few ms (bench/feeds.py).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache

from icalendar import Event as VEvent
from icalendar import vCalAddress, vUri

from community.core.ical.entry import CANCELLED, CalendarEntry
from community.core.ical.timezones import resolve_zone


@lru_cache(maxsize=8192)
def vevent_bytes(entry: CalendarEntry) -> bytes:
    """An entry's PUBLISH VEVENT without DTSTAMP, for feeds and for callers that keep it
    (see document.feed_document). Cached by value: a changed event is a new key, never a
    stale entry."""
    return vevent(entry).to_ical()


def vevent(
    entry: CalendarEntry,
    *,
    stamp: datetime | None = None,
    status: str | None = None,
    attendee: vCalAddress | None = None,
) -> VEvent:
    """The VEVENT; `status` overrides the entry's (an iTIP CANCEL), `attendee` is only for
    an invitation."""
    component = VEvent()
    component.add("uid", entry.uid)
    if stamp is not None:
        component.add("dtstamp", stamp)
    component.add("sequence", entry.sequence)
    start, end = _bounds(entry)
    component.add("dtstart", start)
    component.add("dtend", end)
    if entry.created is not None:
        component.add("created", entry.created.astimezone(UTC))
    if entry.last_modified is not None:
        component.add("last-modified", entry.last_modified.astimezone(UTC))
    component.add("summary", entry.summary)
    description = _description(entry)
    if description:
        component.add("description", description)
    if entry.location:
        component.add("location", entry.location)
    if entry.geo is not None:
        component.add("geo", entry.geo)
    if entry.url:
        component.add("url", vUri(entry.url))
    status = status or entry.status
    component.add("status", status)
    if status == CANCELLED:
        component.add("transp", "TRANSPARENT")  # a cancelled event does not make anyone busy
    if entry.organizer_email:
        organizer = vCalAddress(f"mailto:{entry.organizer_email}")
        if entry.organizer_name:
            organizer.params["CN"] = entry.organizer_name
        component.add("organizer", organizer)
    if attendee is not None:
        component.add("attendee", attendee)
    if entry.join_url:
        component.add(
            "conference",
            vUri(entry.join_url),
            parameters={"VALUE": "URI", "FEATURE": "VIDEO", "LABEL": "Join online"},
        )
    return component


def _bounds(entry: CalendarEntry) -> tuple[date | datetime, date | datetime]:
    """DTSTART/DTEND values: DATEs (end exclusive) for all-day events, local times in the
    entry's zone (written with TZID), or UTC times when the zone is UTC or unknown."""
    zone = resolve_zone(entry.timezone) or UTC
    start, end = entry.starts_at.astimezone(zone), entry.ends_at.astimezone(zone)
    if entry.all_day:
        first = start.date()
        after_last = end.date() if end.time() == time(0) else end.date() + timedelta(days=1)
        return first, max(after_last, first + timedelta(days=1))
    return start, end


def _description(entry: CalendarEntry) -> str:
    """The entry's text, with the join link (if any) first and the event page's link last."""
    parts = []
    if entry.join_url:
        parts.append(f"Join online: {entry.join_url}")
    if entry.description.strip():
        parts.append(entry.description.strip())
    if entry.url:
        parts.append(f"Event page: {entry.url}")
    return "\n\n".join(parts)
