"""iCalendar documents: pure builders, objects in, bytes out (RFC 5545, RFC 7986, iTIP RFC 5546).

Everything is written by the `icalendar` package, never by hand, so escaping (backslash,
comma, semicolon, newline), parameter quoting and line folding at 75 octets (never inside
a UTF-8 character) are the RFC's. Lines end in CRLF.

What goes in: a `CalendarEvent` (built from an Event by `calendar_event`, or directly in
tests). What comes out:

- `single_event_document`: one event, METHOD:PUBLISH ("add to calendar" download);
- `feed_document`: a subscribable calendar, METHOD:PUBLISH with NAME, X-WR-CALNAME,
  X-WR-TIMEZONE, REFRESH-INTERVAL and X-PUBLISHED-TTL (community feed, personal feed);
- `invitation_document`: an iTIP METHOD:REQUEST or METHOD:CANCEL for one attendee, for
  the RSVP emails; same UID and SEQUENCE as the feeds, so mail clients update in place.

Public documents never carry an ATTENDEE, and the ORGANIZER is the community at the
site's no-reply address, never a person. The online link is only written when the caller
sets `join_url` (someone going): a stable per-attendee URL on the site that redirects to
the current meeting link, so a changed link needs no new invitation.

DTSTAMP is the build time (`now`). With METHOD present, RFC 5545 (3.8.7.2) says DTSTAMP is
when the object was created (the "last revised" reading is only for objects without
METHOD), and iTIP uses it to order two messages with the same SEQUENCE; so the bytes
differ from one build to the next and an ETag must not hash them. Use `feed_state_key`
over the rows a feed is built from as a weak ETag instead: every other byte is a function
of the inputs (same inputs and `now`, same bytes).

Speed: serialising a VEVENT costs icalendar ~0.25 ms, so PUBLISH documents reuse each
event's serialised VEVENT (cached by the CalendarEvent's value, DTSTAMP added per build)
and each VTIMEZONE; a 1,000-event feed is rebuilt in a few ms (bench/feeds.py).
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from typing import TYPE_CHECKING

from icalendar import Calendar, vCalAddress, vDDDTypes, vDuration, vUri
from icalendar import Event as VEvent
from icalendar.parser import Contentline, Parameters

from community.core.markdown import markdown_to_text
from community.feeds.timezones import resolve_zone, vtimezone, zone_years

if TYPE_CHECKING:
    from community.events.models import Event

PRODID = "-//Roundtable//Roundtable calendar feeds//EN"
#: Part of every `feed_state_key`: raise it when the builders' output changes, so cached
#: copies (and 304 answers) from the old format expire.
FORMAT_VERSION = "1"
MEDIA_TYPE = "text/calendar; charset=utf-8"

CONFIRMED, TENTATIVE, CANCELLED = "CONFIRMED", "TENTATIVE", "CANCELLED"
STATUSES = (CONFIRMED, TENTATIVE, CANCELLED)
REQUEST, CANCEL = "REQUEST", "CANCEL"
PARTSTATS = ("NEEDS-ACTION", "ACCEPTED", "DECLINED", "TENTATIVE")
DEFAULT_REFRESH = timedelta(hours=1)


@dataclass(frozen=True, slots=True)
class CalendarEvent:
    """One event as calendars see it. Times are aware; `timezone` is the IANA zone they
    are shown in ("UTC" or an unknown name: written as UTC times, no VTIMEZONE)."""

    uid: str
    sequence: int
    summary: str
    starts_at: datetime
    ends_at: datetime
    timezone: str = "UTC"
    #: All-day and multi-day events: written as DATE values, the end day exclusive.
    all_day: bool = False
    status: str = CONFIRMED
    #: Plain text (Markdown already rendered); the builder adds the links after it.
    description: str = ""
    #: The event's page on the site.
    url: str = ""
    location: str = ""
    geo: tuple[float, float] | None = None
    created: datetime | None = None
    last_modified: datetime | None = None
    organizer_name: str = ""
    #: A no-reply or community address, never a person's.
    organizer_email: str = ""
    #: Only for someone going: the site's stable per-attendee join link.
    join_url: str = ""

    def __post_init__(self) -> None:
        if self.status not in STATUSES:
            raise ValueError(f"status must be one of {STATUSES}, not {self.status!r}")
        for value in (self.starts_at, self.ends_at, self.created, self.last_modified):
            if value is not None and value.tzinfo is None:
                raise ValueError(f"naive datetime {value!r}: calendar times must be aware")
        if self.ends_at < self.starts_at:
            raise ValueError("an event cannot end before it starts")


#: Markdown -> text, cached by the Markdown: a feed renders the same descriptions on every poll.
plain_text = lru_cache(maxsize=4096)(markdown_to_text)


def event_uid(event_id: int, server_name: str) -> str:
    """The UID an event keeps for ever, in every document: event-<id>@<server name>."""
    return f"event-{event_id}@{server_name}"


def calendar_event(
    event: Event,
    *,
    server_name: str,
    event_url: str,
    organizer_email: str,
    description_text: str | None = None,
    status: str | None = None,
    join_url: str = "",
) -> CalendarEvent:
    """An Event as calendars see it.

    `description_text` defaults to the event's Markdown rendered as text (pass it in to
    reuse a cached rendering). `status` is CONFIRMED, or TENTATIVE for someone on the
    waitlist; a cancelled event is always CANCELLED and its title says so, for calendars
    that ignore STATUS. `join_url` only for someone going. The organizer is the community.
    """
    text = plain_text(event.description) if description_text is None else description_text
    summary = event.title
    if event.status == "cancelled":
        status = CANCELLED
        summary = f"Cancelled: {event.title}"
        note = "This event has been cancelled."
        if event.cancel_reason.strip():
            note = f"{note}\n{event.cancel_reason.strip()}"
        text = f"{note}\n\n{text}" if text else note
    place = ", ".join(part for part in (event.venue_name.strip(), event.address.strip()) if part)
    if not place and event.online_url:
        place = join_url or "Online"
    geo = None
    if event.latitude is not None and event.longitude is not None:
        geo = (event.latitude, event.longitude)
    return CalendarEvent(
        uid=event_uid(event.id, server_name),
        sequence=event.sequence,
        summary=summary,
        starts_at=event.starts_at,
        ends_at=event.ends_at,
        timezone=event.timezone,
        all_day=event.all_day,
        status=status or CONFIRMED,
        description=text,
        url=event_url,
        location=place,
        geo=geo,
        created=event.created_at,
        last_modified=event.updated_at,
        organizer_name=event.community.name,
        organizer_email=organizer_email,
        join_url=join_url,
    )


# -- documents ---------------------------------------------------------------------------


def single_event_document(event: CalendarEvent, *, now: datetime | None = None) -> bytes:
    """One event to download and add (METHOD:PUBLISH, no calendar name, so clients add it
    to an existing calendar instead of making a new one)."""
    return _publish(_calendar("PUBLISH"), [event], _stamp(now))


def feed_document(
    name: str,
    events: Iterable[CalendarEvent],
    *,
    timezone_hint: str,
    refresh: timedelta = DEFAULT_REFRESH,
    description: str = "",
    source_url: str = "",
    now: datetime | None = None,
    vevents: Sequence[bytes] | None = None,
) -> bytes:
    """A calendar to subscribe to: METHOD:PUBLISH, one VTIMEZONE per zone the events use.

    `vevents`, when given, are the events' serialised VEVENTs (from `vevent_bytes`, e.g. kept
    in the database), in the same order; the events then only decide the VTIMEZONEs.

    `timezone_hint` (X-WR-TIMEZONE) is the zone clients show the calendar in, usually the
    community's. `refresh` is how often clients should fetch it again. Events keep the
    order given (callers sort them by start).
    """
    calendar = _calendar("PUBLISH")
    calendar.add("name", name)
    calendar.add("x-wr-calname", name)
    if description:
        calendar.add("description", description)
        calendar.add("x-wr-caldesc", description)
    calendar.add("x-wr-timezone", timezone_hint if resolve_zone(timezone_hint) else "UTC")
    calendar.add("refresh-interval", vDuration(refresh), parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", vDuration(refresh))
    if source_url:
        calendar.add("source", vUri(source_url), parameters={"VALUE": "URI"})
    return _publish(calendar, list(events), _stamp(now), vevents)


def invitation_document(
    event: CalendarEvent,
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
        or an event without an organizer address.
    """
    if method not in (REQUEST, CANCEL):
        raise ValueError(f"method must be REQUEST or CANCEL, not {method!r}")
    if partstat not in PARTSTATS:
        raise ValueError(f"partstat must be one of {PARTSTATS}, not {partstat!r}")
    if not event.organizer_email:
        raise ValueError("an invitation needs the organizer's (no-reply) address")
    if method == REQUEST and event.status == CANCELLED:
        raise ValueError("a cancelled event is sent as METHOD:CANCEL")
    calendar = _calendar(method)
    status = CANCELLED if method == CANCEL else event.status
    attendee = vCalAddress(f"mailto:{attendee_email}")
    attendee.params.update(
        {"CUTYPE": "INDIVIDUAL", "ROLE": "REQ-PARTICIPANT", "PARTSTAT": partstat, "RSVP": "FALSE"}
    )
    if attendee_name:
        attendee.params["CN"] = attendee_name
    for span in _zone_spans([event]):
        calendar.add_component(vtimezone(*span))
    calendar.add_component(_vevent(event, stamp=_stamp(now), status=status, attendee=attendee))
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


def _zone_spans(events: list[CalendarEvent]) -> list[tuple[str, int, int]]:
    """(zone, first year, last year) of the VTIMEZONE each zone the timed events use needs."""
    instants: dict[str, list[datetime]] = {}
    for event in events:
        if not event.all_day and resolve_zone(event.timezone) is not None:
            instants.setdefault(event.timezone, []).extend((event.starts_at, event.ends_at))
    return [(name, *zone_years(instants[name])) for name in sorted(instants)]


def _publish(
    calendar: Calendar, events: list[CalendarEvent], stamp: datetime, vevents: Sequence[bytes] | None = None
) -> bytes:
    """The calendar's properties, its VTIMEZONEs, then its VEVENTs with DTSTAMP added right
    after BEGIN:VEVENT. Every line is icalendar's; only whole serialised parts are joined."""
    envelope = calendar.to_ical()
    end = b"END:VCALENDAR\r\n"
    assert envelope.endswith(end)
    stamp_line = Contentline.from_parts("DTSTAMP", Parameters(), vDDDTypes(stamp)).to_ical() + b"\r\n"
    parts = [envelope[: -len(end)]]
    parts.extend(_timezone_bytes(*span) for span in _zone_spans(events))
    for serialised in vevents if vevents is not None else map(_vevent_bytes, events):
        begin, rest = serialised.split(b"\r\n", 1)
        parts.extend((begin, b"\r\n", stamp_line, rest))
    parts.append(end)
    return b"".join(parts)


@lru_cache(maxsize=256)
def _timezone_bytes(name: str, first_year: int, last_year: int) -> bytes:
    return vtimezone(name, first_year, last_year).to_ical()


def vevent_bytes(event: CalendarEvent) -> bytes:
    """An event's PUBLISH VEVENT without DTSTAMP, for callers that keep it (see feed_document)."""
    return _vevent_bytes(event)


@lru_cache(maxsize=8192)
def _vevent_bytes(event: CalendarEvent) -> bytes:
    """A PUBLISH VEVENT without DTSTAMP. Equal CalendarEvents give equal bytes, so the cache
    is keyed by value: a changed event is a new key, never a stale entry."""
    return _vevent(event).to_ical()


def _vevent(
    event: CalendarEvent,
    *,
    stamp: datetime | None = None,
    status: str | None = None,
    attendee: vCalAddress | None = None,
) -> VEvent:
    component = VEvent()
    component.add("uid", event.uid)
    if stamp is not None:
        component.add("dtstamp", stamp)
    component.add("sequence", event.sequence)
    start, end = _bounds(event)
    component.add("dtstart", start)
    component.add("dtend", end)
    if event.created is not None:
        component.add("created", event.created.astimezone(UTC))
    if event.last_modified is not None:
        component.add("last-modified", event.last_modified.astimezone(UTC))
    component.add("summary", event.summary)
    description = _description(event)
    if description:
        component.add("description", description)
    if event.location:
        component.add("location", event.location)
    if event.geo is not None:
        component.add("geo", event.geo)
    if event.url:
        component.add("url", vUri(event.url))
    status = status or event.status
    component.add("status", status)
    if status == CANCELLED:
        component.add("transp", "TRANSPARENT")  # a cancelled event does not make anyone busy
    if event.organizer_email:
        organizer = vCalAddress(f"mailto:{event.organizer_email}")
        if event.organizer_name:
            organizer.params["CN"] = event.organizer_name
        component.add("organizer", organizer)
    if attendee is not None:
        component.add("attendee", attendee)
    if event.join_url:
        component.add(
            "conference",
            vUri(event.join_url),
            parameters={"VALUE": "URI", "FEATURE": "VIDEO", "LABEL": "Join online"},
        )
    return component


def _bounds(event: CalendarEvent) -> tuple[date | datetime, date | datetime]:
    """DTSTART/DTEND values: DATEs (end exclusive) for all-day events, local times in the
    event's zone (written with TZID), or UTC times when the zone is UTC or unknown."""
    zone = resolve_zone(event.timezone) or UTC
    start, end = event.starts_at.astimezone(zone), event.ends_at.astimezone(zone)
    if event.all_day:
        first = start.date()
        after_last = end.date() if end.time() == time(0) else end.date() + timedelta(days=1)
        return first, max(after_last, first + timedelta(days=1))
    return start, end


def _description(event: CalendarEvent) -> str:
    """The event's text, with the join link (if any) first and the event page's link last."""
    parts = []
    if event.join_url:
        parts.append(f"Join online: {event.join_url}")
    if event.description.strip():
        parts.append(event.description.strip())
    if event.url:
        parts.append(f"Event page: {event.url}")
    return "\n\n".join(parts)
