"""From Event rows to documents: events.calendar.entry_of, read back by every parser."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, time

import pytest

from community.communities.models import Community, Role
from community.core.ical.document import feed_document, invitation_document, single_event_document
from community.core.ical.entry import CANCEL, REQUEST, TENTATIVE
from community.events.calendar import entry_of
from community.events.services import cancel_event, create_event, update_event
from community.extensions import db as _db
from tests.core.ical.samples import NOW
from tests.factories import create_community, create_membership, event_details

NO_REPLY = "no-reply@roundtable.localhost"
DETAILS = event_details(
    day=date(2030, 6, 14),
    description="**Bring** a friend.\n\n- [Menu](https://example.org/menu)\n- Dress: smart",
    venue_name="The Crown",
    address="1 High Street, Northfield",
    latitude=51.5072,
    longitude=-0.1276,
)


@pytest.fixture
def organizer(db):
    membership = create_membership(
        create_community(), role=Role.ORGANIZER, email="olu.private@example.org", name="Olu Organizer"
    )
    return membership.user


def new_event(organizer, details=DETAILS):
    community = _db.session.get(Community, 1)
    event = create_event(community, organizer, details, publish=True)
    _db.session.commit()
    return event


def as_entry(event, **kwargs):
    url = f"http://localhost/c/northfield/events/{event.id}"
    return entry_of(event, server_name="localhost", event_url=url, organizer_email=NO_REPLY, **kwargs)


def test_an_event_as_calendars_see_it(organizer, read):
    event = new_event(organizer)

    seen = read(single_event_document(as_entry(event))).events[0]

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

    public = as_entry(event)
    document = feed_document("Northfield Alumni", [public], timezone_hint="Europe/London", now=NOW)

    assert public.location == "Online"
    assert b"meet.example" not in document
    assert b"olu.private" not in document
    assert b"ATTENDEE" not in document
    going = as_entry(event, join_url="http://localhost/events/1/join/abc")
    assert going.location == "http://localhost/events/1/join/abc"
    assert b"meet.example" not in single_event_document(going)  # the stable join link, never the room


def test_a_change_of_time_raises_the_sequence_everywhere(organizer):
    event = new_event(organizer)

    update_event(event, organizer, replace(DETAILS, start_time=time(19)))
    _db.session.commit()

    changed = as_entry(event)
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

    cancelled = as_entry(event, status=TENTATIVE)  # cancelled wins over waitlisted
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
