"""Every kind of document the site serves, read back by three real parsers: icalendar, the
strict `ical` package and Mozilla's ical.js (Thunderbird's parser, through Node.js).

Each test taking `read` runs once per parser. Times are checked twice: the wall-clock value
written in the event's zone, and the UTC instant the parser computes from the document's own
VTIMEZONE, so a wrong VTIMEZONE (say, a missing DST change) fails the test.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

import pytest

from community.events.timing import all_day_bounds
from community.feeds.ical import (
    CANCEL,
    CANCELLED,
    REQUEST,
    TENTATIVE,
    feed_document,
    invitation_document,
    single_event_document,
)
from tests.feeds import samples
from tests.feeds.samples import EVENT_PAGE, NO_REPLY, NOW, at, make

icaljs, read = samples.icaljs, samples.read  # fixtures: pytest finds them here

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")


def test_single_event(read):
    event = make(geo=(51.5072, -0.1276), sequence=3)

    parsed = read(single_event_document(event, now=NOW))

    assert parsed.method == "PUBLISH"
    assert parsed.timezones == ["Europe/London"]
    (seen,) = parsed.events
    assert seen.uid == "event-7@roundtable.example"
    assert seen.sequence == 3
    assert seen.summary == "Class of 2016 reunion"
    assert seen.description == f"Drinks and dinner.\n\nEvent page: {EVENT_PAGE}"
    assert seen.location == "The Crown, 1 High Street"
    assert seen.url == EVENT_PAGE
    assert seen.status == "CONFIRMED"
    assert seen.geo == (51.5072, -0.1276)
    assert (seen.start, seen.end, seen.start_zone) == (
        "2027-06-12T18:30:00",
        "2027-06-12T22:00:00",
        "Europe/London",
    )
    assert seen.start_utc == datetime(2027, 6, 12, 17, 30, tzinfo=UTC)  # BST is UTC+1
    assert seen.end_utc == datetime(2027, 6, 12, 21, tzinfo=UTC)
    assert seen.organizer.value == f"mailto:{NO_REPLY}"
    assert seen.organizer.cn == "Northfield Alumni"
    assert seen.attendees == []


def test_community_feed_with_events_in_two_zones_utc_and_all_day(read):
    london = make(1, summary="London drinks")
    new_york = make(
        2,
        summary="New York chapter dinner",
        starts_at=at(date(2027, 11, 20), 19, zone="America/New_York"),
        ends_at=at(date(2027, 11, 20), 22, zone="America/New_York"),
        timezone="America/New_York",
    )
    webinar = make(
        3,
        summary="Careers webinar",
        starts_at=datetime(2027, 7, 1, 12, tzinfo=UTC),
        ends_at=datetime(2027, 7, 1, 13, tzinfo=UTC),
        timezone="UTC",
    )
    picnic = make(
        4,
        summary="Summer picnic",
        all_day=True,
        timezone="America/New_York",
        starts_at=all_day_bounds(date(2027, 7, 4), date(2027, 7, 4), "America/New_York")[0],
        ends_at=all_day_bounds(date(2027, 7, 4), date(2027, 7, 4), "America/New_York")[1],
    )

    document = feed_document(
        "Northfield Alumni", [london, webinar, picnic, new_york], timezone_hint="Europe/London", now=NOW
    )
    parsed = read(document)

    assert parsed.method == "PUBLISH"
    assert parsed.name == "Northfield Alumni"
    assert parsed.timezone == "Europe/London"
    assert parsed.timezones == ["America/New_York", "Europe/London"]  # one each, none for UTC
    assert [event.summary for event in parsed.events] == [
        "London drinks",
        "Careers webinar",
        "Summer picnic",
        "New York chapter dinner",
    ]
    dinner = parsed.event("event-2@roundtable.example")
    assert (dinner.start, dinner.start_zone) == ("2027-11-20T19:00:00", "America/New_York")
    assert dinner.start_utc == datetime(2027, 11, 21, 0, tzinfo=UTC)  # EST is UTC-5
    webinar_seen = parsed.event("event-3@roundtable.example")
    assert (webinar_seen.start, webinar_seen.start_zone) == ("2027-07-01T12:00:00", "UTC")
    assert webinar_seen.start_utc == datetime(2027, 7, 1, 12, tzinfo=UTC)
    picnic_seen = parsed.event("event-4@roundtable.example")
    assert picnic_seen.all_day
    assert (picnic_seen.start, picnic_seen.end) == ("2027-07-04", "2027-07-05")  # the end is exclusive
    b = document.decode()
    assert "REFRESH-INTERVAL;VALUE=DURATION:PT1H\r\n" in b
    assert "X-PUBLISHED-TTL:PT1H\r\n" in b
    assert "NAME:Northfield Alumni\r\n" in b
    assert "CALSCALE:GREGORIAN\r\n" in b and "VERSION:2.0\r\n" in b and "PRODID:" in b


def test_refresh_interval_is_configurable():
    document = feed_document("N", [make()], timezone_hint="UTC", refresh=timedelta(hours=6), now=NOW)
    assert b"REFRESH-INTERVAL;VALUE=DURATION:PT6H\r\n" in document
    assert b"X-PUBLISHED-TTL:PT6H\r\n" in document
    assert b"X-WR-TIMEZONE:UTC\r\n" in document


def test_personal_feed_with_a_waitlisted_event_and_a_join_link(read):
    join = "https://roundtable.example/join/7/k3y"
    going = make(7, summary="Online roundtable", location=join, join_url=join)
    waitlisted = make(
        8,
        summary="Dinner",
        status=TENTATIVE,
        starts_at=at(date(2027, 6, 19), 19),
        ends_at=at(date(2027, 6, 19), 22),
    )

    document = feed_document("Ruth's Roundtable events", [going, waitlisted], timezone_hint="Europe/London")
    parsed = read(document)

    assert parsed.name == "Ruth's Roundtable events"
    seen = parsed.event("event-7@roundtable.example")
    assert seen.status == "CONFIRMED"
    assert seen.location == join
    assert seen.description == f"Join online: {join}\n\nDrinks and dinner.\n\nEvent page: {EVENT_PAGE}"
    assert parsed.event("event-8@roundtable.example").status == "TENTATIVE"
    assert parsed.event("event-8@roundtable.example").start == "2027-06-19T19:00:00"
    assert f"CONFERENCE;FEATURE=VIDEO;LABEL=Join online;VALUE=URI:{join}".encode() in _unfolded(document)
    assert all(event.attendees == [] for event in parsed.events)


def test_invitation_request(read):
    event = make(sequence=2)

    document = invitation_document(
        event,
        method=REQUEST,
        attendee_email="ruth@example.org",
        attendee_name="Ruth Okafor",
        partstat="ACCEPTED",
    )
    parsed = read(document)

    assert parsed.method == "REQUEST"
    (seen,) = parsed.events
    feed_seen = read(feed_document("N", [event], timezone_hint="Europe/London")).events[0]
    assert (
        (seen.uid, seen.sequence) == (feed_seen.uid, feed_seen.sequence) == ("event-7@roundtable.example", 2)
    )
    assert seen.status == "CONFIRMED"
    assert seen.organizer.value == f"mailto:{NO_REPLY}"
    assert seen.organizer.cn == "Northfield Alumni"
    (attendee,) = seen.attendees
    assert (attendee.value, attendee.cn) == ("mailto:ruth@example.org", "Ruth Okafor")
    assert (attendee.partstat, attendee.rsvp) == ("ACCEPTED", "FALSE")
    assert seen.start_utc == datetime(2027, 6, 12, 17, 30, tzinfo=UTC)


def test_invitation_cancel_for_someone_no_longer_going(read):
    event = make(sequence=2)

    parsed = read(
        invitation_document(
            event, method=CANCEL, attendee_email="ruth@example.org", attendee_name="Ruth", partstat="DECLINED"
        )
    )

    assert parsed.method == "CANCEL"
    (seen,) = parsed.events
    assert (seen.uid, seen.sequence, seen.status) == ("event-7@roundtable.example", 2, "CANCELLED")
    assert seen.attendees[0].partstat == "DECLINED"


def test_cancelled_event_stays_in_the_feed_and_is_cancelled_by_invitation(read):
    event = make(3, summary="Cancelled: Boat trip", status=CANCELLED, sequence=4)
    other = make(4, summary="Quiz night")

    parsed = read(feed_document("N", [event, other], timezone_hint="Europe/London"))
    cancel = read(
        invitation_document(event, method=CANCEL, attendee_email="ruth@example.org", partstat="ACCEPTED")
    )

    seen = parsed.event("event-3@roundtable.example")
    assert (seen.summary, seen.status, seen.sequence) == ("Cancelled: Boat trip", "CANCELLED", 4)
    assert parsed.event("event-4@roundtable.example").status == "CONFIRMED"
    assert (cancel.method, cancel.events[0].status, cancel.events[0].sequence) == ("CANCEL", "CANCELLED", 4)


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


@pytest.mark.parametrize(
    ("zone", "days", "utc_hours"),
    [
        # Weekly at 19:00 London: GMT, GMT, then BST from 28 March.
        (
            "Europe/London",
            [date(2027, 3, 14), date(2027, 3, 21), date(2027, 3, 28), date(2027, 4, 4)],
            [19, 19, 18, 18],
        ),
        # Weekly at 19:00 New York across 7 November 2027, when EDT (UTC-4) ends.
        ("America/New_York", [date(2027, 10, 31), date(2027, 11, 7), date(2027, 11, 14)], [23, 0, 0]),
        # Sydney: daylight time ends on 4 April 2027 (UTC+11 -> UTC+10).
        ("Australia/Sydney", [date(2027, 3, 28), date(2027, 4, 4)], [8, 9]),
    ],
)
def test_a_weekly_series_keeps_its_wall_clock_time_across_a_dst_change(read, zone, days, utc_hours):
    events = [
        make(n, starts_at=at(day, 19, zone=zone), ends_at=at(day, 21, zone=zone), timezone=zone)
        for n, day in enumerate(days, start=1)
    ]

    parsed = read(feed_document("N", events, timezone_hint=zone))

    assert parsed.timezones == [zone]
    for day, hour, seen in zip(days, utc_hours, parsed.events, strict=True):
        assert (seen.start, seen.start_zone) == (f"{day}T19:00:00", zone)
        assert seen.start_utc.hour == hour
        assert seen.start_utc == at(day, 19, zone=zone)
        assert seen.end_utc == at(day, 21, zone=zone)


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


def _unfolded(document: bytes) -> bytes:
    return document.replace(b"\r\n ", b"")


def test_text_is_escaped_exactly_as_the_rfc_says():
    document = _unfolded(
        single_event_document(make(summary=TRICKY_TITLE, description="a,b;c\\d\ne"), now=NOW)
    )
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


def test_publish_documents_never_list_attendees_or_a_personal_email():
    event = make(join_url="")
    for document in (
        single_event_document(event),
        feed_document("N", [event, make(8, status=TENTATIVE)], timezone_hint="Europe/London"),
    ):
        assert b"ATTENDEE" not in document
        assert b"METHOD:PUBLISH\r\n" in document
        addresses = set(EMAIL.findall(_unfolded(document).decode()))
        assert addresses <= {NO_REPLY, "event-7@roundtable.example", "event-8@roundtable.example"}
        assert f"mailto:{NO_REPLY}" in document.decode()


def test_same_inputs_give_the_same_bytes_except_dtstamp():
    events = [make(1), make(2, timezone="America/New_York")]
    one = feed_document("N", events, timezone_hint="Europe/London", now=NOW)
    again = feed_document("N", events, timezone_hint="Europe/London", now=NOW)
    later = feed_document("N", events, timezone_hint="Europe/London", now=NOW + timedelta(hours=2))

    assert one == again
    differing = [(a, b) for a, b in zip(one.split(b"\r\n"), later.split(b"\r\n"), strict=True) if a != b]
    assert differing == [(b"DTSTAMP:20270115T093000Z", b"DTSTAMP:20270115T113000Z")] * 2
