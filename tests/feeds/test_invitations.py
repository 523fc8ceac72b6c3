"""RSVP emails carry the event as an iTIP invitation that mail clients add to calendars."""

from __future__ import annotations

from datetime import time

import pytest

from community.events.services import cancel_event, create_event, update_event
from community.extensions import db
from tests.conftest import outbox_messages
from tests.factories import create_membership, event_details


def invitation(message):
    [attachment] = message.attachments
    assert attachment["mime"] == "text/calendar"
    return attachment["params"]["method"], attachment["text"].encode()


@pytest.fixture
def going(db, community, client):
    person = create_membership(community, email="mia@example.org", name="Mia Member").user
    client.login(person.email)
    return person


def rsvp(client, event, response):
    return client.submit(f"/c/northfield/events/{event.id}/rsvp", {"response": response, "listed": "y"})


def test_going_sends_a_request_the_same_as_the_feed(client, community, organizer, going, read):
    event = create_event(community, organizer, event_details(title="Spring reunion"), publish=True)
    db.session.commit()

    rsvp(client, event, "going")

    [mail] = outbox_messages(kind="events.rsvp-going")
    method, document = invitation(mail)
    assert method == "REQUEST"
    parsed = read(document)
    assert parsed.method == "REQUEST"
    [vevent] = parsed.events
    assert vevent.uid == f"event-{event.id}@localhost"
    assert vevent.sequence == 0
    assert [(a.value, a.partstat) for a in vevent.attendees] == [("mailto:mia@example.org", "ACCEPTED")]
    assert vevent.organizer.value == "mailto:no-reply@roundtable.localhost"
    feed = read(client.get(f"/c/northfield/events/{event.id}.ics").data)
    assert (feed.events[0].uid, feed.events[0].sequence) == (vevent.uid, vevent.sequence)


def test_a_change_sends_an_update_with_a_higher_sequence(client, community, organizer, going, read):
    event = create_event(community, organizer, event_details(title="Spring reunion"), publish=True)
    db.session.commit()
    rsvp(client, event, "going")

    update_event(
        event, organizer, event_details(title="Spring reunion", start_time=time(19), end_time=time(23))
    )
    db.session.commit()

    [mail] = outbox_messages(kind="events.changed")
    method, document = invitation(mail)
    assert method == "REQUEST"
    [vevent] = read(document).events
    assert vevent.sequence == 1
    assert vevent.start.endswith("T19:00:00")


def test_not_going_and_cancellation_send_cancel(client, community, organizer, going, read):
    first = create_event(community, organizer, event_details(title="Spring reunion"), publish=True)
    second = create_event(community, organizer, event_details(title="Summer picnic"), publish=True)
    db.session.commit()
    rsvp(client, first, "going")
    rsvp(client, second, "going")

    rsvp(client, first, "not_going")
    cancel_event(second, organizer, reason="Rain all week.")
    db.session.commit()

    [declined] = outbox_messages(kind="events.rsvp-not_going")
    method, document = invitation(declined)
    assert method == "CANCEL"
    [vevent] = read(document).events
    assert vevent.status == "CANCELLED" and vevent.attendees[0].partstat == "DECLINED"

    [cancelled] = outbox_messages(kind="events.cancelled")
    method, document = invitation(cancelled)
    assert method == "CANCEL"
    [vevent] = read(document).events
    assert vevent.status == "CANCELLED" and vevent.sequence == 1


def test_the_meeting_link_itself_never_travels_in_an_invitation(client, community, organizer, going):
    event = create_event(
        community,
        organizer,
        event_details(title="Online roundtable", online_url="https://meet.example.org/room-9"),
        publish=True,
    )
    db.session.commit()

    rsvp(client, event, "going")

    [mail] = outbox_messages(kind="events.rsvp-going")
    _, document = invitation(mail)
    text = document.decode().replace("\r\n ", "")
    assert "room-9" not in text
    assert f"/c/northfield/events/{event.id}/join/" in text
