"""What a calendar shows of one event: the value every iCalendar builder takes.

A plain frozen dataclass, so whoever knows the event (events/calendar.py) decides what the
calendar shows (the title of a cancelled event, the place, the status for someone on the
waitlist), and the builders only write it. Equal entries serialise to equal bytes, which is
what lets `vevent.vevent_bytes` cache by value.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

CONFIRMED, TENTATIVE, CANCELLED = "CONFIRMED", "TENTATIVE", "CANCELLED"
STATUSES = (CONFIRMED, TENTATIVE, CANCELLED)
#: iTIP methods of an invitation (RFC 5546): add or update, or remove.
REQUEST, CANCEL = "REQUEST", "CANCEL"
#: An attendee's participation status in an invitation.
PARTSTATS = ("NEEDS-ACTION", "ACCEPTED", "DECLINED", "TENTATIVE")


@dataclass(frozen=True, slots=True)
class CalendarEntry:
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
