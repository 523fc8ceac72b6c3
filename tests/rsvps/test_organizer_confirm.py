"""Declining someone who holds a seat, and moving someone to the waitlist, ask first: a page says
what will happen (who is emailed, where the seat goes); only its Confirm button does it."""

from __future__ import annotations

import pytest

from community.communities.models import Role
from community.rsvps.models import RSVPStatus
from tests.conftest import outbox_messages
from tests.factories import create_user
from tests.rsvps.organizer_helpers import add_rsvp, member_of, rsvp_status

BASE = "/c/northfield/manage/events"


@pytest.fixture
def dinner(published_event):
    return published_event(capacity=3, guests_allowed=2)


def _text(response) -> str:
    return response.get_data(as_text=True).replace("&#39;", "'")


def test_declining_someone_going_shows_what_will_happen_and_changes_nothing(as_organizer, community, dinner):
    greta = add_rsvp(dinner, member_of(community, name="Greta Adeyemi"), RSVPStatus.GOING)
    add_rsvp(dinner, member_of(community, name="Wes Waiting"), RSVPStatus.WAITLISTED)
    url = f"{BASE}/{dinner.id}/rsvps/{greta.id}/decline"

    listing = _text(as_organizer.get(f"{BASE}/{dinner.id}/rsvps"))
    assert f'href="{url}?show=going">Decline…' in listing
    page = _text(as_organizer.get(f"{url}?show=going"))

    assert '<h2 id="confirm-title">Decline Greta Adeyemi\'s RSVP?</h2>' in page
    assert "This emails Greta Adeyemi and offers their seat to the first person waiting." in page
    assert '<input type="hidden" name="confirm" value="yes">' in page
    assert f'href="{BASE}/{dinner.id}/rsvps?show=going">Cancel</a>' in page
    assert rsvp_status(greta.id) == "going"
    assert outbox_messages() == []


def test_the_page_says_when_nobody_is_waiting_and_counts_a_party(as_organizer, community, dinner):
    party = add_rsvp(dinner, member_of(community, name="Pia Party"), RSVPStatus.GOING, guests=2)

    decline = _text(as_organizer.get(f"{BASE}/{dinner.id}/rsvps/{party.id}/decline"))
    waitlist = _text(as_organizer.get(f"{BASE}/{dinner.id}/rsvps/{party.id}/waitlist"))

    assert "This emails Pia Party and frees the 3 seats of their party for the next person to RSVP" in decline
    assert "Move Pia Party to the waitlist?" in waitlist
    assert (
        "This emails Pia Party and puts them at the end of the waitlist, "
        "leaving the 3 seats of their party free: nobody is waiting." in waitlist
    )


def test_a_post_without_confirm_goes_to_the_confirmation_page(as_organizer, community, dinner):
    going = add_rsvp(dinner, member_of(community, name="Gil Going"), RSVPStatus.GOING)
    url = f"{BASE}/{dinner.id}/rsvps/{going.id}/waitlist"

    response = as_organizer.submit(url, {"show": "going"})

    assert response.status_code == 302 and response.headers["Location"] == f"{url}?show=going"
    assert rsvp_status(going.id) == "going"
    assert outbox_messages() == []


def test_confirming_does_it_and_emails_everyone_concerned(as_organizer, community, dinner):
    greta = add_rsvp(dinner, member_of(community, name="Greta Adeyemi"), RSVPStatus.GOING)
    add_rsvp(dinner, member_of(community), RSVPStatus.GOING, guests=1)
    waiting = add_rsvp(dinner, member_of(community, name="Wes Waiting"), RSVPStatus.WAITLISTED)

    response = as_organizer.submit(
        f"{BASE}/{dinner.id}/rsvps/{greta.id}/decline", {"show": "going", "confirm": "yes"}
    )

    assert response.headers["Location"] == f"{BASE}/{dinner.id}/rsvps?show=going"
    assert rsvp_status(greta.id) == "declined" and rsvp_status(waiting.id) == "going"
    page = _text(as_organizer.get(response.headers["Location"]))
    assert "Greta Adeyemi's RSVP is declined. 1 person promoted from the waitlist." in page
    assert [m.to_address for m in outbox_messages(kind="events.organizer-changed")] == [greta.user.email]
    assert [m.to_address for m in outbox_messages(kind="events.promoted")] == [waiting.user.email]


def test_declining_a_pending_request_needs_no_confirmation(as_organizer, community, dinner):
    pending = add_rsvp(dinner, member_of(community, name="Pat Pending"), RSVPStatus.PENDING)

    response = as_organizer.submit(f"{BASE}/{dinner.id}/rsvps/{pending.id}/decline", {"show": "pending"})

    assert response.headers["Location"] == f"{BASE}/{dinner.id}/rsvps?show=pending"
    assert rsvp_status(pending.id) == "declined"
    listing = _text(as_organizer.get(f"{BASE}/{dinner.id}/rsvps?show=declined"))
    assert "Decline…" not in listing


@pytest.mark.parametrize(("who", "status"), [("anonymous", 302), ("outsider", 404), ("member", 403)])
def test_only_organizers_see_the_confirmation_page(client, community, dinner, who, status):
    going = add_rsvp(dinner, member_of(community, name="Gil Going"), RSVPStatus.GOING)
    if who == "outsider":
        client.login(create_user(name="Otto Outsider").email)
    elif who == "member":
        client.login(member_of(community, role=Role.MEMBER).email)

    response = client.get(f"{BASE}/{dinner.id}/rsvps/{going.id}/decline")

    assert response.status_code == status
    assert "Gil Going" not in response.get_data(as_text=True)


def test_an_rsvp_of_another_event_is_404(as_organizer, community, dinner, published_event):
    other = published_event(title="Other")
    going = add_rsvp(other, member_of(community), RSVPStatus.GOING)

    assert as_organizer.get(f"{BASE}/{dinner.id}/rsvps/{going.id}/decline").status_code == 404
