"""Inputs for the document tests, and the `read` fixture that runs a document through each
parser in turn (tests/core/ical/conftest.py and tests/feeds/conftest.py provide both fixtures)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from community.core.ical.entry import CalendarEntry
from tests.conftest import require
from tests.core.ical.parsers import PARSERS, install_icaljs, node, parse

NOW = datetime(2027, 1, 15, 9, 30, tzinfo=UTC)
SERVER = "roundtable.example"
NO_REPLY = "no-reply@roundtable.example"
EVENT_PAGE = "https://roundtable.example/c/northfield/events/7"


@pytest.fixture(scope="session")
def icaljs():
    """ical.js, installed from the npm registry (package-lock.json) on first use."""
    require(node() is not None, "ical.js checks need Node.js (node)")
    install_icaljs()


@pytest.fixture(params=PARSERS)
def read(request, tmp_path):
    """read(document) -> ParsedCalendar, once per parser."""
    if request.param == "icaljs":
        request.getfixturevalue("icaljs")
    return lambda document: parse(request.param, document, tmp_path)


def at(day: date, hour: int, minute: int = 0, zone: str = "Europe/London") -> datetime:
    """The UTC instant of a wall-clock time in a zone."""
    return datetime.combine(day, time(hour, minute), tzinfo=ZoneInfo(zone)).astimezone(UTC)


def all_day_bounds(first_day: date, last_day: date, zone: str) -> tuple[datetime, datetime]:
    """An all-day event's instants, as events store them: local midnight of the first day to
    local midnight after the last (the exclusive end of iCalendar DATE values)."""
    return at(first_day, 0, zone=zone), at(last_day + timedelta(days=1), 0, zone=zone)


def make(event_id: int = 7, **overrides) -> CalendarEntry:
    values = dict(
        uid=f"event-{event_id}@{SERVER}",
        sequence=0,
        summary="Class of 2016 reunion",
        starts_at=at(date(2027, 6, 12), 18, 30),
        ends_at=at(date(2027, 6, 12), 22),
        timezone="Europe/London",
        description="Drinks and dinner.",
        url=EVENT_PAGE,
        location="The Crown, 1 High Street",
        created=datetime(2027, 1, 2, 10, tzinfo=UTC),
        last_modified=datetime(2027, 1, 3, 11, 15, tzinfo=UTC),
        organizer_name="Northfield Alumni",
        organizer_email=NO_REPLY,
    )
    values.update(overrides)
    return CalendarEntry(**values)


def unfolded(document: bytes) -> bytes:
    """The document with its folded lines joined again (RFC 5545 3.1)."""
    return document.replace(b"\r\n ", b"")
