"""The attendee CSV (a pure builder, and the download) and the message to people coming."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime

import pytest

from community.auth.models import User
from community.core.audit import AuditEntry
from community.events.models import Event, EventQuestion
from community.extensions import db
from community.rsvps.export import attendees_csv
from community.rsvps.models import RSVP, RSVPStatus
from tests.conftest import outbox_messages
from tests.rsvps.organizer_helpers import add_rsvp, member_of

BASE = "/c/northfield/manage/events"


def read(body: bytes) -> list[list[str]]:
    assert body.startswith(b"\xef\xbb\xbf")  # a BOM, so spreadsheets read UTF-8
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


def test_the_builder_writes_answers_times_and_neutralises_formulas():
    event = Event(title="Dinner", timezone="Europe/Paris")
    diet = EventQuestion(id=7, label="Dietary needs?", kind="text")
    drinks = EventQuestion(id=8, label="=Drinks?", kind="yes_no")
    rsvps = [
        RSVP(
            user=User(name="Zoë Ørsted", email="zoe@example.org"),
            status=RSVPStatus.GOING,
            guests=2,
            answers={"7": '=HYPERLINK("http://evil")', "8": "yes"},
            queued_at=datetime(2027, 6, 1, 10, 0, tzinfo=UTC),
            checked_in_at=datetime(2027, 6, 14, 17, 5, tzinfo=UTC),
        ),
        RSVP(
            user=User(name="@mallory", email="m@example.org"),
            status=RSVPStatus.WAITLISTED,
            guests=0,
            answers={"8": False},
            queued_at=datetime(2027, 6, 2, 9, 30, tzinfo=UTC),
        ),
    ]

    assert read(attendees_csv(event, [diet, drinks], rsvps)) == [
        [
            "Name", "Email", "Status", "Guests", "Dietary needs?", "'=Drinks?",
            "RSVP time (Europe/Paris)", "Checked in (Europe/Paris)",
        ],
        [
            "Zoë Ørsted", "zoe@example.org", "going", "2", "'=HYPERLINK(\"http://evil\")", "Yes",
            "2027-06-01 12:00", "2027-06-14 19:05",
        ],
        ["'@mallory", "m@example.org", "waitlisted", "0", "", "No", "2027-06-02 11:30", ""],
    ]  # fmt: skip


def test_cells_starting_with_plus_or_minus_are_quoted_too():
    event = Event(title="Dinner", timezone="UTC")
    rows = read(
        attendees_csv(
            event,
            [],
            [
                RSVP(
                    user=User(name="+44 trick", email="-x@example.org"),
                    status=RSVPStatus.GOING,
                    guests=0,
                    answers={},
                    queued_at=datetime(2027, 1, 1, tzinfo=UTC),
                )
            ],  # fmt: skip
        )
    )
    assert rows[1][:2] == ["'+44 trick", "'-x@example.org"]


@pytest.fixture
def dinner(community, published_event):
    event = published_event(capacity=2)
    event.questions = [EventQuestion(position=0, kind="text", label="Dietary needs?")]
    db.session.commit()
    return event


def test_downloading_the_attendee_list(client, organizer, community, dinner):
    question = dinner.questions[0]
    add_rsvp(dinner, member_of(community, name="Ada Going"), answers={str(question.id): "Vegan"}, guests=1)
    add_rsvp(dinner, member_of(community, name="Wes Waiting"), RSVPStatus.WAITLISTED)
    add_rsvp(dinner, member_of(community, name="Nat Notgoing"), RSVPStatus.NOT_GOING)
    client.login(organizer.email)

    response = client.get(f"{BASE}/{dinner.id}/attendees.csv")
    assert response.mimetype == "text/csv"
    assert f'filename="northfield-event-{dinner.id}-attendees.csv"' in response.headers["Content-Disposition"]
    rows = read(response.data)
    assert [row[0] for row in rows] == ["Name", "Ada Going"]
    assert rows[1][2:5] == ["going", "1", "Vegan"]

    with_waitlist = read(client.get(f"{BASE}/{dinner.id}/attendees.csv?include=waitlist").data)
    assert [row[0] for row in with_waitlist[1:]] == ["Ada Going", "Wes Waiting"]


def test_a_message_goes_to_each_person_after_a_confirmation(client, organizer, community, dinner):
    going = add_rsvp(dinner, member_of(community, name="Ada Going"))
    waiting = add_rsvp(dinner, member_of(community, name="Wes Waiting"), RSVPStatus.WAITLISTED)
    add_rsvp(dinner, member_of(community, name="Nat Notgoing"), RSVPStatus.NOT_GOING)
    client.login(organizer.email)
    url = f"{BASE}/{dinner.id}/message"
    data = {
        "recipients": "going_and_waitlist",
        "subject": "Room change",
        "body": "We moved to room 4.\nSee you!",
    }

    page = client.get(url).get_data(as_text=True)
    assert 'Everyone going</label> <span class="muted">(1 person)' in page

    preview = client.submit(url, data)
    assert preview.status_code == 200
    assert "Send this to 2 people?" in preview.get_data(as_text=True)
    assert outbox_messages(kind="events.organizer-message") == []

    response = client.submit(url, {**data, "confirmed": "y"})
    assert response.status_code == 302
    assert "Message sent to 2 people." in client.get(response.headers["Location"]).get_data(as_text=True)
    emails = outbox_messages(kind="events.organizer-message")
    assert sorted(m.to_address for m in emails) == sorted([going.user.email, waiting.user.email])
    first = emails[0]
    assert first.subject == "Room change · Class of 2016 reunion"
    assert "We moved to room 4.\nSee you!" in first.body_text
    assert "Olu Organizer, an organizer of Northfield Alumni" in first.body_text
    assert f"/c/northfield/events/{dinner.id}" in first.body_text
    assert db.session.query(AuditEntry).filter_by(action="event.message_sent").count() == 1


def test_a_message_to_people_going_skips_the_waitlist(client, organizer, community, dinner):
    going = add_rsvp(dinner, member_of(community))
    add_rsvp(dinner, member_of(community), RSVPStatus.WAITLISTED)
    client.login(organizer.email)

    client.submit(
        f"{BASE}/{dinner.id}/message",
        {"recipients": "going", "subject": "Hi", "body": "Bring a torch.", "confirmed": "y"},
    )

    assert [m.to_address for m in outbox_messages(kind="events.organizer-message")] == [going.user.email]


def test_a_message_needs_a_subject_and_a_body_of_reasonable_length(client, organizer, dinner):
    client.login(organizer.email)
    url = f"{BASE}/{dinner.id}/message"

    response = client.submit(
        url, {"recipients": "going", "subject": "", "body": "x" * 5001, "confirmed": "y"}
    )

    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Write a subject." in page and "Keep it under 5,000 characters." in page
    assert outbox_messages(kind="events.organizer-message") == []


def test_changing_the_message_before_sending_keeps_what_was_written(client, organizer, community, dinner):
    add_rsvp(dinner, member_of(community))
    client.login(organizer.email)
    data = {"recipients": "going", "subject": "Hi", "body": "Bring a torch.", "confirmed": "y", "edit": "1"}

    response = client.submit(f"{BASE}/{dinner.id}/message", data)

    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "Review and send" in page
    assert "Bring a torch.</textarea>" in page
    assert outbox_messages(kind="events.organizer-message") == []
