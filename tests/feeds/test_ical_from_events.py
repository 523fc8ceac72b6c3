"""From Event rows to documents (calendar_event), and the small helpers routes use."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, time

import pytest

from community.communities.models import Community, Role
from community.communities.services import activate_membership
from community.events.services import EventDetails, cancel_event, create_event, update_event
from community.extensions import db as _db
from community.feeds.ical import (
    CANCEL,
    REQUEST,
    TENTATIVE,
    CalendarEvent,
    calendar_event,
    feed_document,
    feed_state_key,
    ics_filename,
    invitation_content_type,
    invitation_document,
    single_event_document,
)
from tests.factories import create_user
from tests.feeds import samples
from tests.feeds.samples import NOW, make

icaljs, read = samples.icaljs, samples.read  # fixtures: pytest finds them here

NO_REPLY = "no-reply@roundtable.localhost"
DETAILS = EventDetails(
    title="Class of 2016 reunion",
    start_day=date(2030, 6, 14),
    end_day=date(2030, 6, 14),
    start_time=time(18, 30),
    end_time=time(22),
    timezone="Europe/London",
    description="**Bring** a friend.\n\n- [Menu](https://example.org/menu)\n- Dress: smart",
    venue_name="The Crown",
    address="1 High Street, Northfield",
    latitude=51.5072,
    longitude=-0.1276,
)


@pytest.fixture
def organizer(db):
    community = Community(slug="northfield", name="Northfield Alumni", timezone="Europe/London")
    _db.session.add(community)
    _db.session.commit()
    person = create_user(email="olu.private@example.org", name="Olu Organizer")
    activate_membership(community, person, role=Role.ORGANIZER)
    _db.session.commit()
    return person


def new_event(organizer, details=DETAILS):
    community = _db.session.get(Community, 1)
    event = create_event(community, organizer, details, publish=True)
    _db.session.commit()
    return event


def as_calendar_event(event, **kwargs):
    url = f"http://localhost/c/northfield/events/{event.id}"
    return calendar_event(event, server_name="localhost", event_url=url, organizer_email=NO_REPLY, **kwargs)


def test_an_event_as_calendars_see_it(organizer, read):
    event = new_event(organizer)

    seen = read(single_event_document(as_calendar_event(event))).events[0]

    assert seen.uid == f"event-{event.id}@localhost"
    assert seen.sequence == 0
    assert seen.summary == "Class of 2016 reunion"
    assert seen.description == (
        "Bring a friend.\n\n- Menu\n- Dress: smart\n\n"
        f"Event page: http://localhost/c/northfield/events/{event.id}"
    )
    assert seen.location == "The Crown, 1 High Street, Northfield"
    assert seen.geo == (51.5072, -0.1276)
    assert (seen.start, seen.start_zone) == ("2030-06-14T18:30:00", "Europe/London")
    assert seen.start_utc == datetime(2030, 6, 14, 17, 30, tzinfo=UTC)
    assert (seen.organizer.value, seen.organizer.cn) == (f"mailto:{NO_REPLY}", "Northfield Alumni")


def test_the_organizers_own_email_and_the_meeting_link_stay_out_of_public_documents(organizer):
    online = replace(DETAILS, venue_name="", address="", online_url="https://meet.example/secret-room")
    event = new_event(organizer, online)

    public = as_calendar_event(event)
    document = feed_document("Northfield Alumni", [public], timezone_hint="Europe/London", now=NOW)

    assert public.location == "Online"
    assert b"meet.example" not in document
    assert b"olu.private" not in document
    assert b"ATTENDEE" not in document
    going = as_calendar_event(event, join_url="http://localhost/events/1/join/abc")
    assert going.location == "http://localhost/events/1/join/abc"
    assert b"meet.example" not in single_event_document(going)  # the stable join link, never the room


def test_a_change_of_time_raises_the_sequence_everywhere(organizer):
    event = new_event(organizer)

    update_event(event, organizer, replace(DETAILS, start_time=time(19)))
    _db.session.commit()

    changed = as_calendar_event(event)
    assert changed.sequence == 1
    invitation = invitation_document(
        changed, method=REQUEST, attendee_email="ruth@example.org", partstat="ACCEPTED"
    )
    assert b"SEQUENCE:1\r\n" in invitation
    assert b"DTSTART;TZID=Europe/London:20300614T190000\r\n" in invitation


def test_a_cancelled_event_says_so_in_every_client(organizer, read):
    event = new_event(organizer)
    cancel_event(event, organizer, reason="The venue flooded.")
    _db.session.commit()

    cancelled = as_calendar_event(event, status=TENTATIVE)  # cancelled wins over waitlisted
    parsed = read(feed_document("N", [cancelled], timezone_hint="Europe/London"))

    (seen,) = parsed.events
    assert (seen.status, seen.sequence) == ("CANCELLED", 1)
    assert seen.summary == "Cancelled: Class of 2016 reunion"
    assert seen.description.startswith(
        "This event has been cancelled.\nThe venue flooded.\n\nBring a friend."
    )
    with pytest.raises(ValueError, match="METHOD:CANCEL"):
        invitation_document(cancelled, method=REQUEST, attendee_email="r@example.org", partstat="ACCEPTED")
    cancel = invitation_document(
        cancelled, method=CANCEL, attendee_email="r@example.org", partstat="ACCEPTED"
    )
    assert b"METHOD:CANCEL\r\n" in cancel and b"STATUS:CANCELLED\r\n" in cancel


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
    ("overrides", "message"),
    [
        ({"status": "MAYBE"}, "status must be one of"),
        ({"starts_at": datetime(2027, 6, 12, 18)}, "naive datetime"),
        ({"ends_at": datetime(2027, 6, 12, 17, tzinfo=UTC)}, "cannot end before it starts"),
    ],
)
def test_calendar_events_refuse_what_no_client_could_show(overrides, message):
    with pytest.raises(ValueError, match=message):
        make(**overrides)


@pytest.mark.parametrize(
    ("event", "kwargs", "message"),
    [
        (make(), {"method": "PUBLISH", "partstat": "ACCEPTED"}, "REQUEST or CANCEL"),
        (make(), {"method": REQUEST, "partstat": "MAYBE"}, "partstat"),
        (make(organizer_email=""), {"method": REQUEST, "partstat": "ACCEPTED"}, "no-reply"),
    ],
)
def test_invitations_refuse_bad_input(event: CalendarEvent, kwargs, message):
    with pytest.raises(ValueError, match=message):
        invitation_document(event, attendee_email="ruth@example.org", **kwargs)
