"""Check-in at the door: search and tick, and the signed QR code on each attendee's ticket."""

from __future__ import annotations

import base64
import html
import re
from urllib.parse import unquote

import pytest

from community.core.audit import AuditEntry
from community.extensions import db
from community.rsvps.checkin import checkin_url, qr_data_uri, rsvp_for_token, token_for
from community.rsvps.models import RSVP, RSVPStatus
from tests.rsvps.organizer_helpers import add_rsvp, member_of

BASE = "/c/northfield/manage/events"


@pytest.fixture
def party(community, published_event):
    event = published_event(capacity=20, guests_allowed=2)
    people = {
        name: add_rsvp(event, member_of(community, name=name), RSVPStatus.GOING, guests=guests)
        for name, guests in (("Ada Lovelace", 2), ("Alan Turing", 0), ("Grace Hopper", 1))
    }
    return event, people


def checked_in(rsvp_id: int):
    db.session.expire_all()
    return db.session.get(RSVP, rsvp_id).checked_in_at


def test_search_by_name_and_tick(client, organizer, party):
    event, people = party
    client.login(organizer.email)
    url = f"{BASE}/{event.id}/checkin"

    page = client.get(url).get_data(as_text=True)
    assert "0</span> of 3 checked in" in page and "(0 of 6 with guests)" in page
    assert page.index("Ada Lovelace") < page.index("Alan Turing") < page.index("Grace Hopper")

    found = client.get(f"{url}?q=hop").get_data(as_text=True)
    assert "Grace Hopper" in found and "Ada Lovelace" not in found and "+ 1 guest" in found

    grace = people["Grace Hopper"]
    response = client.submit(f"{BASE}/{event.id}/rsvps/{grace.id}/checkin", {"q": "hop"})
    assert response.headers["Location"].endswith("/checkin?q=hop")
    assert checked_in(grace.id) is not None
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Grace Hopper is checked in with 1 guest." in page and "Undo" in page

    page = client.get(url).get_data(as_text=True)
    assert "1</span> of 3 checked in" in page and "(2 of 6 with guests)" in page
    assert db.session.query(AuditEntry).filter_by(action="rsvp.checked_in").count() == 1

    client.submit(f"{BASE}/{event.id}/rsvps/{grace.id}/undo")
    assert checked_in(grace.id) is None


def test_only_people_going_can_be_checked_in(client, organizer, community, party):
    event, _ = party
    waiting = add_rsvp(event, member_of(community, name="Wes Waiting"), RSVPStatus.WAITLISTED)
    client.login(organizer.email)

    response = client.submit(f"{BASE}/{event.id}/rsvps/{waiting.id}/checkin")

    assert checked_in(waiting.id) is None
    assert "Wes Waiting is not on the going list" in client.get(response.headers["Location"]).get_data(
        as_text=True
    )


def qr_in(page: str) -> str:
    match = re.search(r'<img src="(data:image/svg\+xml[^"]+)" alt="QR code for checking in ([^"]+)"', page)
    assert match, page
    return html.unescape(match.group(1))


def test_the_ticket_shows_a_qr_code_only_to_its_owner(app, client, community, party):
    event, people = party
    ada = people["Ada Lovelace"]
    url = f"/c/northfield/events/{event.id}/ticket"

    assert client.get(url).status_code == 302  # log in first

    client.login(ada.user.email)
    page = client.get(url).get_data(as_text=True)
    qr = qr_in(page)
    assert "<svg" in unquote(qr)
    with app.test_request_context():
        signed = checkin_url(ada)
        assert qr == qr_data_uri(signed)  # the code holds the signed check-in link
    assert signed.startswith(f"http://localhost{BASE}/{event.id}/checkin/")
    assert "Ada Lovelace" in page and "2 guests with you" in page
    client.logout()

    other = member_of(community, name="Nosy Neighbour")
    client.login(other.email)
    assert client.get(url).status_code == 404
    client.logout()

    waiting = add_rsvp(event, member_of(community, name="Wes Waiting"), RSVPStatus.WAITLISTED)
    client.login(waiting.user.email)
    assert client.get(url).status_code == 404


def test_the_signed_link_checks_the_person_in(app, client, organizer, party):
    event, people = party
    ada = people["Ada Lovelace"]
    with app.test_request_context():
        token = token_for(ada)
    url = f"{BASE}/{event.id}/checkin/{token}"
    client.login(organizer.email)

    page = client.get(url).get_data(as_text=True)
    assert "Ada Lovelace" in page and "Check in with 2 guests" in page
    assert checked_in(ada.id) is None  # looking changes nothing

    response = client.submit(url)
    assert response.headers["Location"].endswith(url)
    assert checked_in(ada.id) is not None
    page = client.get(url).get_data(as_text=True)
    assert "Already checked in." in page and "Ada Lovelace is checked in with 2 guests." in page

    client.submit(url)  # a second scan changes nothing
    assert db.session.query(AuditEntry).filter_by(action="rsvp.checked_in").count() == 1


def test_the_ticket_encodes_the_signed_link(app, client, party):
    event, people = party
    ada = people["Ada Lovelace"]
    with app.test_request_context():
        token = token_for(ada)
        assert rsvp_for_token(event, token).id == ada.id


def test_forged_or_foreign_tokens_are_not_found(app, client, organizer, community, published_event, party):
    event, people = party
    other_event = published_event(title="Another evening")
    elsewhere = add_rsvp(other_event, people["Ada Lovelace"].user, RSVPStatus.GOING)
    with app.test_request_context():
        genuine = token_for(people["Alan Turing"])
        foreign = token_for(elsewhere)
    payload, signature = genuine.split(".")
    forged_payload = (
        base64.urlsafe_b64encode(
            base64.urlsafe_b64decode(payload + "==").replace(
                f'"rsvp":{people["Alan Turing"].id}'.encode(), f'"rsvp":{people["Ada Lovelace"].id}'.encode()
            )
        )
        .rstrip(b"=")
        .decode()
    )
    client.login(organizer.email)

    for token in (f"{forged_payload}.{signature}", genuine[:-2] + "xx", "nonsense", foreign):
        assert client.get(f"{BASE}/{event.id}/checkin/{token}").status_code == 404, token
        assert client.submit(f"{BASE}/{event.id}/checkin/{token}").status_code == 404, token
    assert all(checked_in(r.id) is None for r in people.values())
