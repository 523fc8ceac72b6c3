"""Messages to attendees are mail an organizer sends to others: confirmed accounts only, within limits."""

from __future__ import annotations

import pytest

from community.extensions import db
from tests.conftest import outbox_messages
from tests.rsvps.organizer_helpers import add_rsvp, member_of

BASE = "/c/northfield/manage/events"
MESSAGE = {"recipients": "going", "subject": "Room change", "body": "We moved to room 4.", "confirmed": "y"}


@pytest.fixture
def app_settings():
    return {"MESSAGES_PER_ACCOUNT_PER_HOUR": 3, "MESSAGES_PER_COMMUNITY_PER_DAY": 100}


def test_an_unconfirmed_organizer_cannot_message_attendees(client, organizer, published_event, community):
    event = published_event()
    add_rsvp(event, member_of(community))
    organizer.email_verified_at = None
    db.session.commit()
    client.login(organizer.email)

    response = client.submit(f"{BASE}/{event.id}/message", MESSAGE)

    assert response.status_code == 422
    assert "Please confirm your email address first" in response.get_data(as_text=True)
    assert outbox_messages(kind="events.organizer-message") == []


def test_messages_count_against_the_hourly_limit(client, organizer, published_event, community):
    event = published_event()
    for _ in range(2):
        add_rsvp(event, member_of(community))
    client.login(organizer.email)

    first = client.submit(f"{BASE}/{event.id}/message", MESSAGE)
    assert first.status_code == 302
    second = client.submit(f"{BASE}/{event.id}/message", MESSAGE)

    assert second.status_code == 422
    assert "That would send 2 message emails, but you can send 1 more this hour" in second.get_data(
        as_text=True
    )
    assert len(outbox_messages(kind="events.organizer-message")) == 2
