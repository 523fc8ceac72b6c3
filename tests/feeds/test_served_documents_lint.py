"""Every calendar document the site serves passes the strict RFC 5545 lint (tests/core/ical/lint.py):
the community feed (its X-WR-CALDESC included), the personal feed, the single-event download and
the invitations attached to RSVP emails, with commas, semicolons and backslashes in every text."""

from __future__ import annotations

import pytest

from community.communities.models import Role
from community.events.services import cancel_event
from community.extensions import db
from community.feeds import tokens
from tests.conftest import outbox_messages
from tests.core.ical.lint import lint, unescape_text
from tests.core.ical.samples import unfolded
from tests.factories import create_community, create_event, create_membership

TAGLINE = "Twelve weeks of code, a lifetime of friends; C:\\ included"
AWKWARD = dict(
    title="Spring reunion, Lyon; bring friends",
    description="Drinks, dinner; and a \\ backslash.\nSecond line, too.",
    venue_name="The Crown, upstairs; room 2",
    address="1 High Street, Lyon",
)


@pytest.fixture
def community(db):
    return create_community(name="Northfield Alumni, Lyon; 2016", tagline=TAGLINE)


@pytest.fixture
def organizer(community):
    return create_membership(community, role=Role.ORGANIZER, name="Olu Organizer, Jr.").user


@pytest.fixture
def event(community, organizer):
    return create_event(community, organizer, **AWKWARD)


@pytest.fixture
def member(community):
    return create_membership(community, email="mia@example.org", name="Mia; Member, Jr.").user


def calendar_value(document: bytes, name: bytes) -> str:
    line = next(line for line in unfolded(document).split(b"\r\n") if line.startswith(name + b":"))
    return unescape_text(line.partition(b":")[2].decode())


def test_the_community_feed_passes_and_its_description_reads_back(client, event):
    response = client.get("/c/northfield/calendar.ics")

    assert response.status_code == 200
    assert lint(response.data) == []
    assert calendar_value(response.data, b"X-WR-CALDESC") == TAGLINE
    assert calendar_value(response.data, b"DESCRIPTION") == TAGLINE


def test_the_single_event_download_passes(client, event):
    response = client.get(f"/c/northfield/events/{event.id}.ics")

    assert response.status_code == 200
    assert lint(response.data) == []


def test_the_personal_feed_passes(client, event, member):
    row = tokens.regenerate(member)
    db.session.commit()
    client.login(member.email)
    client.submit(f"/c/northfield/events/{event.id}/rsvp", {"response": "going", "listed": "y"})

    response = client.get(f"/calendar/{tokens.feed_token(row)}.ics")

    assert response.status_code == 200
    assert AWKWARD["title"].replace(",", "\\,").replace(";", "\\;").encode() in unfolded(response.data)
    assert lint(response.data) == []


def test_every_invitation_passes(client, event, member, organizer):
    client.login(member.email)
    client.submit(f"/c/northfield/events/{event.id}/rsvp", {"response": "going", "listed": "y"})
    cancel_event(event, organizer, reason="The venue flooded, sorry; see you soon.")
    db.session.commit()

    invitations = [
        attachment for message in outbox_messages(to=member.email) for attachment in message.attachments
    ]

    assert {attachment["params"]["method"] for attachment in invitations} == {"REQUEST", "CANCEL"}
    for attachment in invitations:
        assert attachment["mime"] == "text/calendar"
        assert lint(attachment["text"].encode()) == []
