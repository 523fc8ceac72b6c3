"""One event's VEVENT, read back by three real parsers (icalendar, the strict `ical` package
and Mozilla's ical.js): text escaped and folded as RFC 5545 says, all-day events as DATE
values, wall-clock times across a change of the clocks.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from community.core.ical.document import feed_document, invitation_document, single_event_document
from community.core.ical.entry import REQUEST
from tests.core.ical.samples import EVENT_PAGE, NOW, all_day_bounds, at, make, unfolded


def test_a_three_day_event_across_the_clocks_going_forward(read):
    # The clocks in London go forward at 01:00 UTC on Sunday 28 March 2027 (last Sunday of March).
    timed = make(
        1,
        summary="Reunion weekend",
        starts_at=at(date(2027, 3, 26), 18),  # Friday, GMT
        ends_at=at(date(2027, 3, 28), 16),  # Sunday, BST
    )
    first, last = all_day_bounds(date(2027, 3, 26), date(2027, 3, 28), "Europe/London")
    all_day = make(2, summary="Reunion weekend (all days)", all_day=True, starts_at=first, ends_at=last)

    parsed = read(feed_document("N", [timed, all_day], timezone_hint="Europe/London"))

    seen = parsed.event("event-1@roundtable.example")
    assert (seen.start, seen.end) == ("2027-03-26T18:00:00", "2027-03-28T16:00:00")
    assert seen.start_utc == datetime(2027, 3, 26, 18, tzinfo=UTC)
    assert seen.end_utc == datetime(2027, 3, 28, 15, tzinfo=UTC)
    days = parsed.event("event-2@roundtable.example")
    assert days.all_day
    assert (days.start, days.end) == ("2027-03-26", "2027-03-29")  # three DATE days, not 71 hours


TRICKY_TITLE = 'Reunion 🎉, "Class of \'16"; bring snacks \\ drinks'
TRICKY_TEXT = "Line one, with commas; and semicolons.\nLine two: C:\\path\\to\\file 🥂\n\nΖωή and 東京 Alumni"


def test_emoji_punctuation_backslashes_and_newlines_round_trip_exactly(read):
    event = make(
        summary=TRICKY_TITLE,
        description=TRICKY_TEXT,
        location="Café Zoë; 2nd floor, \\ back room",
        organizer_name="東京 Alumni",
    )

    parsed = read(
        invitation_document(
            event, method=REQUEST, attendee_email="zoe@example.org", attendee_name="Ζωή", partstat="TENTATIVE"
        )
    )

    (seen,) = parsed.events
    assert seen.summary == TRICKY_TITLE
    assert seen.description == f"{TRICKY_TEXT}\n\nEvent page: {EVENT_PAGE}"
    assert seen.location == "Café Zoë; 2nd floor, \\ back room"
    assert seen.organizer.cn == "東京 Alumni"
    assert seen.attendees[0].cn == "Ζωή"
    assert seen.attendees[0].partstat == "TENTATIVE"


def test_text_is_escaped_exactly_as_the_rfc_says():
    document = unfolded(single_event_document(make(summary=TRICKY_TITLE, description="a,b;c\\d\ne"), now=NOW))
    assert 'SUMMARY:Reunion 🎉\\, "Class of \'16"\\; bring snacks \\\\ drinks\r\n'.encode() in document
    assert b"DESCRIPTION:a\\,b\\;c\\\\d\\ne\\n\\nEvent page: " in document


def test_lines_are_crlf_and_folded_at_75_octets_without_splitting_a_character():
    long_text = "東京の同窓会🎉 " * 60 + "Ζωή " * 50
    document = single_event_document(make(summary="東京 " * 40, description=long_text), now=NOW)

    assert document.endswith(b"\r\n")
    assert b"\n" not in document.replace(b"\r\n", b"")  # no bare LF
    assert b"\r" not in document.replace(b"\r\n", b"")  # no bare CR
    lines = document.split(b"\r\n")[:-1]
    assert max(len(line) for line in lines) <= 75
    for line in lines:
        line.decode("utf-8")  # every physical line is whole UTF-8: no character split by a fold
    assert sum(line.startswith(b" ") for line in lines) > 10  # the long ones really were folded


def test_all_day_events_are_date_values():
    first, last = all_day_bounds(date(2027, 6, 11), date(2027, 6, 13), "Asia/Tokyo")
    document = single_event_document(make(all_day=True, timezone="Asia/Tokyo", starts_at=first, ends_at=last))

    assert b"DTSTART;VALUE=DATE:20270611\r\n" in document
    assert b"DTEND;VALUE=DATE:20270614\r\n" in document
    assert b"VTIMEZONE" not in document  # DATE values need no zone
