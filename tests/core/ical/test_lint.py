"""Every kind of document the builders make passes the strict lint (tests/core/ical/lint.py),
with commas, semicolons, backslashes and new lines in every text the site puts in one."""

from __future__ import annotations

import pytest

from community.core.ical.document import feed_document, invitation_document, single_event_document
from community.core.ical.entry import CANCELLED
from tests.core.ical.lint import lint, unescape_text
from tests.core.ical.samples import NOW, make, unfolded

AWKWARD = "Twelve weeks of code, a lifetime of friends; C:\\ and\nmore"
NAME = "Northfield Alumni, Class of 2016; Lyon"


def awkward_entry(event_id: int = 7, **overrides):
    values = dict(
        summary=f"Reunion {event_id}, dinner; drinks",
        description=AWKWARD,
        location="The Crown, 1 High St; Lyon",
    )
    values.update(overrides)
    return make(event_id, **values)


def property_value(document: bytes, name: bytes) -> bytes:
    """The value of the first `name` property: the calendar's own, as they come before VEVENTs."""
    line = next(line for line in unfolded(document).split(b"\r\n") if line.startswith(name + b":"))
    return line.partition(b":")[2]


DOCUMENTS = {
    "feed": lambda: feed_document(
        NAME,
        [awkward_entry(1), awkward_entry(2, timezone="America/New_York")],
        timezone_hint="Europe/London",
        description=AWKWARD,
        source_url="https://roundtable.example/c/northfield/calendar.ics",
        now=NOW,
    ),
    "empty feed": lambda: feed_document(NAME, [], timezone_hint="Nowhere/Special", now=NOW),
    "single event": lambda: single_event_document(awkward_entry(), now=NOW),
    "request": lambda: invitation_document(
        awkward_entry(),
        method="REQUEST",
        attendee_email="mia@example.org",
        attendee_name="Mia, the; Member",
        partstat="ACCEPTED",
        now=NOW,
    ),  # fmt: skip
    "cancel": lambda: invitation_document(
        awkward_entry(status=CANCELLED),
        method="CANCEL",
        attendee_email="mia@example.org",
        partstat="DECLINED",
        now=NOW,
    ),  # fmt: skip
}


@pytest.mark.parametrize("kind", DOCUMENTS)
def test_every_built_document_passes_the_strict_lint(kind):
    assert lint(DOCUMENTS[kind]()) == []


def test_the_feed_header_is_escaped_exactly_like_description():
    document = DOCUMENTS["feed"]()
    escaped = b"Twelve weeks of code\\, a lifetime of friends\\; C:\\\\ and\\nmore"
    assert property_value(document, b"DESCRIPTION") == escaped
    assert property_value(document, b"X-WR-CALDESC") == escaped
    assert property_value(document, b"NAME") == property_value(document, b"X-WR-CALNAME")
    assert property_value(document, b"NAME") == b"Northfield Alumni\\, Class of 2016\\; Lyon"


def test_the_escaped_feed_header_reads_back_as_written():
    """RFC 5545 3.8.8.2: an X- property is TEXT unless it says otherwise; RFC 7986: NAME is TEXT."""
    document = DOCUMENTS["feed"]()
    assert unescape_text(property_value(document, b"X-WR-CALDESC").decode()) == AWKWARD
    assert unescape_text(property_value(document, b"X-WR-CALNAME").decode()) == NAME


@pytest.mark.parametrize(
    ("document", "problem"),
    [
        (b"BEGIN:VCALENDAR\r\nX-WR-CALDESC:code, friends\r\nEND:VCALENDAR\r\n", "unescaped ','"),
        (b"BEGIN:VCALENDAR\r\nSUMMARY:a; b\r\nEND:VCALENDAR\r\n", "unescaped ';'"),
        (b"BEGIN:VCALENDAR\r\nSUMMARY:C:\\temp\r\nEND:VCALENDAR\r\n", "backslash"),
        (b"BEGIN:VCALENDAR\r\nSUMMARY:" + b"x" * 80 + b"\r\nEND:VCALENDAR\r\n", "octets"),
        (b"BEGIN:VCALENDAR\nEND:VCALENDAR\r\n", "bare CR or LF"),
        (b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nEND:VCALENDAR\r\n", "does not close"),
        (b"BEGIN:VCALENDAR\r\nno colon here\r\nEND:VCALENDAR\r\n", "not a content line"),
    ],
)
def test_the_lint_catches_what_parsers_forgive(document, problem):
    assert any(problem in found for found in lint(document))
