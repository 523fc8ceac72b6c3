"""VCALENDAR documents made of CalendarEntries:

- `single_event_document`: one event, METHOD:PUBLISH ("add to calendar" download);
- `feed_document`: a subscribable calendar, METHOD:PUBLISH with NAME, X-WR-CALNAME,
  X-WR-TIMEZONE, REFRESH-INTERVAL and X-PUBLISHED-TTL (community feed, personal feed);
- `invitation_document`: an iTIP METHOD:REQUEST or METHOD:CANCEL for one attendee, for
  the RSVP emails; same UID and SEQUENCE as the feeds, so mail clients update in place.

DTSTAMP is the build time (`now`). With METHOD present, RFC 5545 (3.8.7.2) says DTSTAMP is
when the object was created (the "last revised" reading is only for objects without
METHOD), and iTIP uses it to order two messages with the same SEQUENCE; so the bytes
differ from one build to the next and an ETag must not hash them. Use `feed_state_key`
over the rows a feed is built from as a weak ETag instead: every other byte is a function
of the inputs (same inputs and `now`, same bytes).

PUBLISH documents reuse each entry's serialised VEVENT (vevent.vevent_bytes, DTSTAMP added
per build) and each serialised VTIMEZONE.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime, timedelta
from functools import lru_cache

from icalendar import Calendar, vCalAddress, vDDDTypes, vDuration, vText, vUri
from icalendar.parser import Contentline, Parameters

from community.core.ical.entry import CANCEL, CANCELLED, PARTSTATS, REQUEST, CalendarEntry
from community.core.ical.timezones import resolve_zone, vtimezone, zone_years
from community.core.ical.vevent import vevent, vevent_bytes

PRODID = "-//Roundtable//Roundtable calendar feeds//EN"
#: Part of every `feed_state_key`: raise it when the builders' output changes, so cached
#: copies (and 304 answers, and stored VEVENTs) from the old format expire.
FORMAT_VERSION = "2"  # 2: NAME, X-WR-CALNAME and X-WR-CALDESC escaped as TEXT
MEDIA_TYPE = "text/calendar; charset=utf-8"
DEFAULT_REFRESH = timedelta(hours=1)


def single_event_document(entry: CalendarEntry, *, now: datetime | None = None) -> bytes:
    """One event to download and add (METHOD:PUBLISH, no calendar name, so clients add it
    to an existing calendar instead of making a new one)."""
    return _publish(_calendar("PUBLISH"), [entry], _stamp(now))


def feed_document(
    name: str,
    entries: Iterable[CalendarEntry],
    *,
    timezone_hint: str,
    refresh: timedelta = DEFAULT_REFRESH,
    description: str = "",
    source_url: str = "",
    now: datetime | None = None,
    vevents: Sequence[bytes] | None = None,
) -> bytes:
    """A calendar to subscribe to: METHOD:PUBLISH, one VTIMEZONE per zone the entries use.

    `vevents`, when given, are the entries' serialised VEVENTs (from `vevent_bytes`, e.g.
    kept in the database), in the same order; the entries then only decide the VTIMEZONEs.

    `timezone_hint` (X-WR-TIMEZONE) is the zone clients show the calendar in, usually the
    community's. `refresh` is how often clients should fetch it again. Entries keep the
    order given (callers sort them by start).
    """
    calendar = _calendar("PUBLISH")
    # icalendar escapes only the TEXT properties it knows (not NAME or the X-WR- ones):
    # every TEXT value is passed as vText, so all are written as DESCRIPTION is.
    calendar.add("name", vText(name))
    calendar.add("x-wr-calname", vText(name))
    if description:
        calendar.add("description", vText(description))
        calendar.add("x-wr-caldesc", vText(description))
    calendar.add("x-wr-timezone", timezone_hint if resolve_zone(timezone_hint) else "UTC")
    calendar.add("refresh-interval", vDuration(refresh), parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", vDuration(refresh))
    if source_url:
        calendar.add("source", vUri(source_url), parameters={"VALUE": "URI"})
    return _publish(calendar, list(entries), _stamp(now), vevents)


def invitation_document(
    entry: CalendarEntry,
    *,
    method: str,
    attendee_email: str,
    attendee_name: str = "",
    partstat: str,
    now: datetime | None = None,
) -> bytes:
    """An iTIP message (RFC 5546) for one attendee's email: METHOD:REQUEST to add or update
    the event, METHOD:CANCEL when it is cancelled or they are no longer going.

    Same UID and SEQUENCE as the feeds; a later DTSTAMP breaks the tie between two messages
    with the same SEQUENCE. RSVP=FALSE: answers belong on the site, not in a reply mail to
    the no-reply organizer. `partstat` is the attendee's: ACCEPTED (going), TENTATIVE
    (waitlist), NEEDS-ACTION, DECLINED (not going).

    :raises ValueError: for an unknown method or partstat, a REQUEST for a cancelled event,
        or an entry without an organizer address.
    """
    if method not in (REQUEST, CANCEL):
        raise ValueError(f"method must be REQUEST or CANCEL, not {method!r}")
    if partstat not in PARTSTATS:
        raise ValueError(f"partstat must be one of {PARTSTATS}, not {partstat!r}")
    if not entry.organizer_email:
        raise ValueError("an invitation needs the organizer's (no-reply) address")
    if method == REQUEST and entry.status == CANCELLED:
        raise ValueError("a cancelled event is sent as METHOD:CANCEL")
    calendar = _calendar(method)
    status = CANCELLED if method == CANCEL else entry.status
    attendee = vCalAddress(f"mailto:{attendee_email}")
    attendee.params.update(
        {"CUTYPE": "INDIVIDUAL", "ROLE": "REQ-PARTICIPANT", "PARTSTAT": partstat, "RSVP": "FALSE"}
    )
    if attendee_name:
        attendee.params["CN"] = attendee_name
    for span in _zone_spans([entry]):
        calendar.add_component(vtimezone(*span))
    calendar.add_component(vevent(entry, stamp=_stamp(now), status=status, attendee=attendee))
    return calendar.to_ical()


def invitation_content_type(method: str) -> str:
    """The Content-Type of an iTIP attachment or alternative part (mail clients look for
    the method parameter before offering "add to calendar")."""
    return f"text/calendar; charset=utf-8; method={method}"


def ics_filename(title: str) -> str:
    """A download name for an event's document: "class-of-2016-reunion.ics"."""
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_title.lower()).strip("-")[:60].strip("-")
    return f"{slug or 'event'}.ics"


def feed_state_key(rows: Iterable[Sequence[object]], *context: object) -> str:
    """A weak ETag for a feed, without building it: a hash of the rows the feed is made from
    (e.g. event id, sequence, updated_at, status; for a personal feed the RSVP status too)
    and of `context` (feed name, zone, anything else written into it).

    Equal keys mean documents that differ at most in DTSTAMP: answer W/"<key>" and 304.
    """
    digest = hashlib.blake2b(digest_size=16)
    digest.update("\x1f".join(map(str, (FORMAT_VERSION, *context))).encode())
    for row in rows:
        digest.update(b"\x1e")
        digest.update("\x1f".join(map(str, row)).encode())
    return digest.hexdigest()


def clear_caches() -> None:
    """Forget every serialised VEVENT and VTIMEZONE, as in a worker that has just started."""
    for cached in (vevent_bytes, _timezone_bytes, vtimezone):
        cached.cache_clear()


# -- pieces ------------------------------------------------------------------------------


def _stamp(now: datetime | None) -> datetime:
    return (now or datetime.now(UTC)).astimezone(UTC)


def _calendar(method: str) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", method)
    return calendar


def _zone_spans(entries: list[CalendarEntry]) -> list[tuple[str, int, int]]:
    """(zone, first year, last year) of the VTIMEZONE each zone the timed entries use needs."""
    instants: dict[str, list[datetime]] = {}
    for entry in entries:
        if not entry.all_day and resolve_zone(entry.timezone) is not None:
            instants.setdefault(entry.timezone, []).extend((entry.starts_at, entry.ends_at))
    return [(name, *zone_years(instants[name])) for name in sorted(instants)]


def _publish(
    calendar: Calendar, entries: list[CalendarEntry], stamp: datetime, vevents: Sequence[bytes] | None = None
) -> bytes:
    """The calendar's properties, its VTIMEZONEs, then its VEVENTs with DTSTAMP added right
    after BEGIN:VEVENT. Every line is icalendar's; only whole serialised parts are joined."""
    envelope = calendar.to_ical()
    end = b"END:VCALENDAR\r\n"
    assert envelope.endswith(end)
    stamp_line = Contentline.from_parts("DTSTAMP", Parameters(), vDDDTypes(stamp)).to_ical() + b"\r\n"
    parts = [envelope[: -len(end)]]
    parts.extend(_timezone_bytes(*span) for span in _zone_spans(entries))
    for serialised in vevents if vevents is not None else map(vevent_bytes, entries):
        begin, rest = serialised.split(b"\r\n", 1)
        parts.extend((begin, b"\r\n", stamp_line, rest))
    parts.append(end)
    return b"".join(parts)


@lru_cache(maxsize=256)
def _timezone_bytes(name: str, first_year: int, last_year: int) -> bytes:
    """A serialised VTIMEZONE, cached: feeds of the same zones share it."""
    return vtimezone(name, first_year, last_year).to_ical()
