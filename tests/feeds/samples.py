"""Inputs for the document tests, and the `read` fixture that runs a document through each
parser in turn (import both fixtures into a test module that uses them)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest

from community.events.timing import local_to_utc
from community.feeds.ical import CalendarEvent
from tests.conftest import require
from tests.feeds.parsers import PARSERS, install_icaljs, node, parse

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
    return local_to_utc(day, time(hour, minute), zone)


def make(event_id: int = 7, **overrides) -> CalendarEvent:
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
    return CalendarEvent(**values)
