"""The directory's name rule holds wherever a person is named: "Organised by" on community and event pages."""

from __future__ import annotations

from datetime import time, timedelta

import pytest
from sqlalchemy import select

from community.auth.models import User
from community.communities.models import Community, Role
from community.core.models import utcnow
from community.events.models import Event
from community.extensions import db
from tests.conftest import outbox_messages
from tests.factories import create_community, create_event, create_rsvp, create_user
from tests.members.conftest import join, set_profile

VIEWERS = ["anonymous", "outsider", "member", "herself"]
SEES = {"everyone": set(VIEWERS), "members": {"member", "herself"}, "nobody": {"herself"}}


@pytest.fixture
def world(app):
    olive = create_user(email="olive@example.org", name="Olive Organizer")
    community = create_community(olive)
    join(community, create_user(email="member@example.org", name="Member Me"))
    create_user(email="outsider@example.org", name="Outsider")
    day = (utcnow() + timedelta(days=10)).date()
    event = create_event(
        community, olive, title="Spring roundtable", day=day, start_time=time(18), end_time=time(20)
    )
    return olive, event.id


def as_viewer(client, viewer: str):
    if viewer != "anonymous":
        client.login("olive@example.org" if viewer == "herself" else f"{viewer}@example.org")
    return client


@pytest.mark.parametrize("viewer", VIEWERS)
@pytest.mark.parametrize("level", ["everyone", "members", "nobody"])
def test_organised_by_shows_a_name_only_to_those_who_may_see_it(client, world, viewer, level):
    olive, event_id = world
    set_profile(olive, visibility={"name": level})
    as_viewer(client, viewer)

    home = client.get("/c/northfield").get_data(as_text=True)
    event_page = client.get(f"/c/northfield/events/{event_id}").get_data(as_text=True)

    shown = viewer in SEES[level]
    assert ("Olive Organizer" in home) == shown, (viewer, level)
    assert ("Olive Organizer" in event_page) == shown, (viewer, level)
    if not shown:
        assert "1 organizer keeps their name private." in home


def test_the_organizers_a_member_sees_change_at_once(client, world):
    """Members' organizers cards are kept as members see them (core.kept): each change shows."""
    olive, _ = world
    community = olive_community()
    helper = create_user(email="helper@example.org", name="Hana Helper")
    as_viewer(client, "member")
    assert "Olive Organizer" in client.get("/c/northfield").get_data(as_text=True)

    join(community, helper, role=Role.ORGANIZER)
    assert "Hana Helper" in client.get("/c/northfield").get_data(as_text=True)
    set_profile(olive, visibility={"name": "nobody"})
    home = client.get("/c/northfield").get_data(as_text=True)
    assert "Olive Organizer" not in home and "1 organizer keeps their name private." in home


def olive_community():
    return db.session.scalar(select(Community).where(Community.slug == "northfield"))


@pytest.mark.parametrize(("level", "greeting"), [
    ("members", "Olive Organizer, an organizer of Northfield Alumni, sent this message"),
    ("nobody", "An organizer of Northfield Alumni sent this message"),
])  # fmt: skip
def test_a_message_to_attendees_names_the_organizer_only_if_members_may_see_the_name(
    client, world, level, greeting
):
    olive, event_id = world
    set_profile(olive, visibility={"name": level})
    member = db.session.scalar(select(User).where(User.email == "member@example.org"))
    create_rsvp(db.session.get(Event, event_id), member)
    client.login("olive@example.org")

    response = client.submit(
        f"/c/northfield/manage/events/{event_id}/message",
        {"recipients": "going", "subject": "Room change", "body": "Room 4.", "confirmed": "y"},
    )

    assert response.status_code == 302
    [email] = outbox_messages(kind="events.organizer-message")
    assert greeting in email.body_text
    assert ("Olive Organizer" in email.body_html) == (level == "members")
