"""Who may open the organizer event screens: anonymous -> log in, outsider 404, member 403."""

from __future__ import annotations

import re

import pytest

from community.communities.models import Role
from community.rsvps.models import RSVPStatus
from tests.factories import create_community, create_membership, create_user
from tests.rsvps.organizer_helpers import add_rsvp, member_of

BASE = "/c/northfield/manage/events"

GETS = [
    "",
    "/new",
    "/{id}/edit",
    "/{id}/cancel",
    "/{id}/rsvps",
    "/{id}/checkin",
    "/{id}/attendees.csv",
    "/{id}/message",
    "/{id}/checkin/{token}",
]
POSTS = [
    "/new",
    "/{id}/edit",
    "/{id}/publish",
    "/{id}/cancel",
    "/{id}/duplicate",
    "/{id}/rsvps/{rsvp}/approve",
    "/{id}/rsvps/{rsvp}/decline",
    "/{id}/rsvps/{rsvp}/waitlist",
    "/{id}/rsvps/{rsvp}/going",
    "/{id}/rsvps/{rsvp}/checkin",
    "/{id}/rsvps/{rsvp}/undo",
    "/{id}/message",
    "/{id}/checkin/{token}",
]


@pytest.fixture
def setting(app, community, organizer, published_event):
    from community.rsvps.checkin import token_for

    event = published_event(capacity=10)
    guest = member_of(community, name="Gina Going")
    rsvp = add_rsvp(event, guest, RSVPStatus.GOING)
    with app.test_request_context():
        token = token_for(rsvp)
    return {"id": event.id, "rsvp": rsvp.id, "token": token, "event": event}


def _urls(paths, setting):
    return [BASE + p.format(**setting) for p in paths]


def _status_all(client, setting, expected_get, expected_post):
    for url in _urls(GETS, setting):
        response = client.get(url)
        assert response.status_code == expected_get, url
    for url in _urls(POSTS, setting):
        response = client.submit(url, {"reason": "x", "subject": "s", "body": "b", "confirmed": "y"})
        assert response.status_code == expected_post, url


def test_anonymous_visitors_are_sent_to_log_in(client, setting):
    for url in _urls(GETS, setting):
        response = client.get(url)
        assert response.status_code == 302 and "/login" in response.headers["Location"], url
    for url in _urls(POSTS, setting):
        response = client.submit(url)
        assert response.status_code == 302 and "/login" in response.headers["Location"], url


def test_people_outside_the_community_get_404(client, setting):
    outsider = create_user(name="Otto Outsider")
    client.login(outsider.email)
    _status_all(client, setting, 404, 404)


def test_members_who_are_not_organizers_get_403(client, community, setting):
    member = member_of(community, name="Mo Member")
    client.login(member.email)
    _status_all(client, setting, 403, 403)


#: What each screen says it is: its heading, and the start of the window title.
SHOWN = {
    "": ("Events", "Events · Northfield Alumni"),
    "/new": ("New event", "New event · Northfield Alumni"),
    "/{id}/edit": ("Class of 2016 reunion", "Edit event · Northfield Alumni"),
    "/{id}/cancel": ("Class of 2016 reunion", "Cancel Class of 2016 reunion · Northfield Alumni"),
    "/{id}/rsvps": ("Class of 2016 reunion", "RSVPs · Class of 2016 reunion · Northfield Alumni"),
    "/{id}/checkin": ("Class of 2016 reunion", "Check-in · Class of 2016 reunion · Northfield Alumni"),
    "/{id}/message": ("Class of 2016 reunion", "Message · Class of 2016 reunion · Northfield Alumni"),
    "/{id}/checkin/{token}": ("Class of 2016 reunion", "Check in Gina Going · Northfield Alumni"),
}


def test_organizers_can_open_every_screen(client, organizer, setting):
    client.login(organizer.email)
    for path in GETS:
        url = BASE + path.format(**setting)
        response = client.get(url)
        assert response.status_code == 200, url
        if path == "/{id}/attendees.csv":
            assert response.mimetype == "text/csv"
            header, guest = response.get_data(as_text=True).lstrip("\ufeff").splitlines()
            assert header.startswith("Name,Email,Status,Guests,") and guest.startswith("Gina Going,"), url
            continue
        heading, title = SHOWN[path]
        page = response.get_data(as_text=True)
        assert f"<h1>{heading}</h1>" in page, url
        assert re.search(r"<title>\s*" + re.escape(title), page), url


def test_an_event_of_another_community_is_not_found(client, organizer, setting):
    other = create_community(slug="elsewhere", name="Elsewhere Club")
    create_membership(other, organizer, role=Role.ORGANIZER)
    client.login(organizer.email)
    # They organize both communities, but the event belongs to Northfield only.
    for url in _urls(GETS[2:], setting):
        assert client.get(url.replace("/c/northfield/", "/c/elsewhere/")).status_code == 404, url
    for url in _urls(POSTS[1:], setting):
        assert client.submit(url.replace("/c/northfield/", "/c/elsewhere/")).status_code == 404, url
    assert client.get(f"{BASE}/999999/rsvps").status_code == 404
