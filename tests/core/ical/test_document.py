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

from community.core.ical.document import (
    feed_document,
    feed_state_key,
    ics_filename,
    invitation_content_type,
    invitation_document,
    single_event_document,
)
from community.core.ical.entry import CANCEL, CANCELLED, REQUEST, TENTATIVE, CalendarEntry
from tests.core.ical.samples import EVENT_PAGE, NO_REPLY, NOW, all_day_bounds, at, make, unfolded

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
    assert f"CONFERENCE;FEATURE=VIDEO;LABEL=Join online;VALUE=URI:{join}".encode() in unfolded(document)
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


def test_publish_documents_never_list_attendees_or_a_personal_email():
    event = make(join_url="")
    for document in (
        single_event_document(event),
        feed_document("N", [event, make(8, status=TENTATIVE)], timezone_hint="Europe/London"),
    ):
        assert b"ATTENDEE" not in document
        assert b"METHOD:PUBLISH\r\n" in document
        addresses = set(EMAIL.findall(unfolded(document).decode()))
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


# -- pure helpers ------------------------------------------------------------------------


def test_feed_state_key_changes_with_what_the_feed_shows():
    updated = datetime(2027, 1, 3, tzinfo=UTC)
    rows = [(1, 0, updated, "published"), (2, 3, updated, "published")]

    key = feed_state_key(rows, "Northfield Alumni", "Europe/London")

    assert key == feed_state_key(list(rows), "Northfield Alumni", "Europe/London")
    assert len(key) == 32
    assert key != feed_state_key(
        [(1, 1, updated, "published"), rows[1]], "Northfield Alumni", "Europe/London"
    )
    assert key != feed_state_key(rows[:1], "Northfield Alumni", "Europe/London")
    assert key != feed_state_key(rows, "Northfield Alumni", "America/New_York")
    assert key != feed_state_key([], "Northfield Alumni", "Europe/London")


def test_download_names_and_content_types():
    assert ics_filename("Class of 2016 reunion!") == "class-of-2016-reunion.ics"
    assert ics_filename("Café Zoë 🎉") == "cafe-zoe.ics"
    assert ics_filename("東京") == "event.ics"
    assert invitation_content_type(REQUEST) == "text/calendar; charset=utf-8; method=REQUEST"


@pytest.mark.parametrize(
    ("event", "kwargs", "message"),
    [
        (make(), {"method": "PUBLISH", "partstat": "ACCEPTED"}, "REQUEST or CANCEL"),
        (make(), {"method": REQUEST, "partstat": "MAYBE"}, "partstat"),
        (make(organizer_email=""), {"method": REQUEST, "partstat": "ACCEPTED"}, "no-reply"),
    ],
)
def test_invitations_refuse_bad_input(event: CalendarEntry, kwargs, message):
    with pytest.raises(ValueError, match=message):
        invitation_document(event, attendee_email="ruth@example.org", **kwargs)
