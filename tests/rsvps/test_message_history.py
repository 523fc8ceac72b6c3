"""Messages to an event's people keep a history on the message page: who sent each, when (in the
community's time zone), its subject and to how many people, read from the audit log."""

from __future__ import annotations

import html
import re
from datetime import UTC, datetime

from sqlalchemy import select, update

from community.communities.models import Role
from community.core.audit import AuditEntry
from community.extensions import db as _db
from tests.factories import create_community, create_event, create_membership
from tests.rsvps.organizer_helpers import add_rsvp, member_of

BASE = "/c/northfield/manage/events"
ROW = re.compile(
    r'<tr>\s*<th scope="row">(.*?)</th>\s*<td data-label="Sent"><time datetime="[^"]+">(.*?)</time></td>'
    r'\s*<td data-label="By">(.*?)</td>\s*<td data-label="To">(.*?)</td>',
    re.S,
)


def history(client, event) -> list[tuple[str, ...]]:
    page = client.get(f"{BASE}/{event.id}/message")
    assert page.status_code == 200
    return [
        tuple(html.unescape(cell.strip()) for cell in row) for row in ROW.findall(page.get_data(as_text=True))
    ]


def send(client, event, subject: str, recipients: str = "going") -> None:
    data = {"recipients": recipients, "subject": subject, "body": "See you there.", "confirmed": "y"}
    response = client.submit(f"{BASE}/{event.id}/message", data)
    assert response.status_code == 302, response.get_data(as_text=True)


def sent_at(subject_part: str, moment: datetime) -> None:
    """Move the message's audit entry to `moment` (UTC)."""
    entry = _db.session.scalar(select(AuditEntry).where(AuditEntry.detail.contains(subject_part)))
    _db.session.execute(update(AuditEntry).where(AuditEntry.id == entry.id).values(created_at=moment))
    _db.session.commit()


def tokyo():
    """Northfield, whose home zone is Tokyo (UTC+9, no summer time), with two organizers."""
    community = create_community(timezone="Asia/Tokyo")
    olu = create_membership(community, role=Role.ORGANIZER, name="Olu Organizer", email="olu@example.org")
    ida = create_membership(community, role=Role.ORGANIZER, name="Ida Organizer", email="ida@example.org")
    return community, olu.user, ida.user


def test_earlier_messages_are_listed_newest_first_with_who_when_and_how_many(client, db):
    community, olu, ida = tokyo()
    dinner = create_event(community, olu, title="Spring dinner", capacity=10)
    for name in ("Ada Going", "Bo Going"):
        add_rsvp(dinner, member_of(community, name=name))
    add_rsvp(dinner, member_of(community, name="Wes Waiting"), "waitlisted")
    client.login("olu@example.org")
    assert history(client, dinner) == []
    assert "No messages sent yet." in client.get(f"{BASE}/{dinner.id}/message").get_data(as_text=True)

    send(client, dinner, "Parking: level 2 (not 3)")
    client.logout()
    client.login("ida@example.org")
    send(client, dinner, "Room change", recipients="going_and_waitlist")
    sent_at("Parking", datetime(2027, 3, 1, 23, 30, tzinfo=UTC))  # 08:30 on 2 March in Tokyo
    sent_at("Room change", datetime(2027, 3, 5, 9, 5, tzinfo=UTC))

    assert history(client, dinner) == [
        ("Room change", "5 Mar 2027, 18:05", "Ida Organizer", "3 people"),
        ("Parking: level 2 (not 3)", "2 Mar 2027, 08:30", "Olu Organizer", "2 people"),
    ]
    page = client.get(f"{BASE}/{dinner.id}/message").get_data(as_text=True)
    assert "Times are in Asia/Tokyo." in page
    log = html.unescape(client.get("/c/northfield/manage/audit").get_data(as_text=True))
    said = "Olu Organizer emailed the people coming: Spring dinner: Parking: level 2 (not 3) (2) at 08:30"
    assert said in log
    assert "⟦" not in log  # the event's tag is for the history, not for people


def test_only_this_events_messages_even_beside_another_with_the_same_title(client, db):
    community, olu, _ = tokyo()
    march = create_event(community, olu, title="Monthly drinks")
    april = create_event(community, olu, title="Monthly drinks")
    add_rsvp(march, member_of(community, name="Ada Going"))
    add_rsvp(april, member_of(community, name="Bo Going"))
    client.login("olu@example.org")

    send(client, march, "March: bring a friend")
    send(client, april, "April: new bar")

    assert [row[0] for row in history(client, march)] == ["March: bring a friend"]
    assert [row[0] for row in history(client, april)] == ["April: new bar"]


def test_a_renamed_event_keeps_its_history(client, db):
    community, olu, _ = tokyo()
    dinner = create_event(community, olu, title="Dinner")
    add_rsvp(dinner, member_of(community))
    client.login("olu@example.org")
    send(client, dinner, "Menu: fish or pasta")
    dinner.title = "Summer dinner"
    _db.session.commit()

    assert [row[0] for row in history(client, dinner)] == ["Menu: fish or pasta"]


def test_a_refused_message_is_not_in_the_history(client, db, app):
    app.config["MESSAGES_PER_ACCOUNT_PER_HOUR"] = 1
    community, olu, _ = tokyo()
    dinner = create_event(community, olu, title="Dinner")
    for _ in range(2):
        add_rsvp(dinner, member_of(community))
    client.login("olu@example.org")

    refused = client.submit(
        f"{BASE}/{dinner.id}/message",
        {"recipients": "going", "subject": "Hello", "body": "Hi all.", "confirmed": "y"},
    )

    assert refused.status_code == 422
    assert "you can send 1 more this hour" in html.unescape(refused.get_data(as_text=True))
    assert history(client, dinner) == []
