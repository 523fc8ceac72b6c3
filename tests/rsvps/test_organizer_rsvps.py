"""The organizer's RSVP list: filters, answers, guests, actions, and a constant query count."""

from __future__ import annotations

import re

import pytest

from community.events.models import EventQuestion
from community.extensions import db
from community.rsvps.models import RSVPStatus
from tests.conftest import outbox_messages
from tests.rsvps.organizer_helpers import add_rsvp, many_rsvps, member_of, rsvp_status

BASE = "/c/northfield/manage/events"


@pytest.fixture
def dinner(published_event):
    event = published_event(capacity=4, guests_allowed=2)
    event.questions = [
        EventQuestion(position=0, kind="text", label="Dietary needs?"),
        EventQuestion(position=1, kind="yes_no", label="Staying for drinks?"),
    ]
    db.session.commit()
    return event


def answers(event, diet, drinks):
    first, second = event.questions
    return {str(first.id): diet, str(second.id): drinks}


def rows(page: str) -> list[str]:
    """The names in the table body, in order."""
    body = page.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return re.findall(r'<th scope="row">([^<]+)', body)


def test_each_filter_shows_its_people_with_answers_and_guests(as_organizer, community, dinner):
    ada = member_of(community, name="Ada Going")
    add_rsvp(dinner, ada, RSVPStatus.GOING, guests=2, answers=answers(dinner, "Vegan", "yes"))
    add_rsvp(dinner, member_of(community, name="Wes First"), RSVPStatus.WAITLISTED, minutes_ago=30)
    add_rsvp(dinner, member_of(community, name="Wil Second"), RSVPStatus.WAITLISTED, minutes_ago=20)
    add_rsvp(dinner, member_of(community, name="Pat Pending"), RSVPStatus.PENDING)
    add_rsvp(dinner, member_of(community, name="Nat Notgoing"), RSVPStatus.NOT_GOING)
    add_rsvp(dinner, member_of(community, name="Dee Declined"), RSVPStatus.DECLINED)
    url = f"{BASE}/{dinner.id}/rsvps"

    going = as_organizer.get(url).get_data(as_text=True)
    assert rows(going) == ["Ada Going"]
    assert ada.email in going and "Vegan" in going
    assert '<td data-label="Staying for drinks?">Yes</td>' in going
    assert '<td data-label="Guests">2</td>' in going
    assert "Dietary needs?" in going and "Staying for drinks?" in going
    assert "Going (1)" in going and "Waitlist (2)" in going and "Pending approval (1)" in going
    assert '<span class="stat__value">3<span class="muted"> / 4</span>' in going  # Ada and two guests

    waitlist = as_organizer.get(f"{url}?show=waitlist").get_data(as_text=True)
    assert rows(waitlist) == ["Wes First", "Wil Second"]
    # positions in line
    assert '<td data-label="Place">1</td>' in waitlist and '<td data-label="Place">2</td>' in waitlist
    assert rows(as_organizer.get(f"{url}?show=pending").get_data(as_text=True)) == ["Pat Pending"]
    assert rows(as_organizer.get(f"{url}?show=not_going").get_data(as_text=True)) == ["Nat Notgoing"]
    assert rows(as_organizer.get(f"{url}?show=declined").get_data(as_text=True)) == ["Dee Declined"]


def test_an_empty_list_says_what_happens_next(as_organizer, dinner):
    page = as_organizer.get(f"{BASE}/{dinner.id}/rsvps").get_data(as_text=True)
    assert "Nobody is going yet." in page


def _act(client, event, rsvp, action, show="going"):
    """Press the button, and Confirm where the action asks first (tests/rsvps/test_organizer_confirm.py)."""
    return client.submit(f"{BASE}/{event.id}/rsvps/{rsvp.id}/{action}", {"show": show, "confirm": "yes"})


def _flash(client, response) -> str:
    return client.get(response.headers["Location"]).get_data(as_text=True)


def test_approving_gives_a_seat_when_the_party_fits(as_organizer, community, dinner):
    pending = add_rsvp(dinner, member_of(community, name="Pat Pending"), RSVPStatus.PENDING, guests=1)

    response = _act(as_organizer, dinner, pending, "approve", show="pending")

    assert response.headers["Location"].endswith("show=pending")
    assert rsvp_status(pending.id) == "going"
    assert "Pat Pending is approved." in _flash(as_organizer, response)
    [email] = outbox_messages(kind="events.organizer-changed")
    assert email.to_address == pending.user.email and "You're going." in email.body_text


def test_approving_when_full_puts_them_on_the_waitlist(as_organizer, community, dinner):
    add_rsvp(dinner, member_of(community), RSVPStatus.GOING, guests=2)
    pending = add_rsvp(dinner, member_of(community, name="Pat Pending"), RSVPStatus.PENDING, guests=1)

    response = _act(as_organizer, dinner, pending, "approve")

    assert rsvp_status(pending.id) == "waitlisted"
    assert "but the event is full: they are on the waitlist" in _flash(as_organizer, response)
    assert "on the waitlist" in outbox_messages(kind="events.organizer-changed")[0].body_text


def test_declining_a_person_going_gives_their_seat_to_the_waitlist(as_organizer, community, dinner):
    going = add_rsvp(dinner, member_of(community, name="Gil Going"), RSVPStatus.GOING, guests=2)
    waiting = add_rsvp(dinner, member_of(community, name="Wes Waiting"), RSVPStatus.WAITLISTED, guests=1)

    response = _act(as_organizer, dinner, going, "decline")

    assert rsvp_status(going.id) == "declined" and rsvp_status(waiting.id) == "going"
    assert "1 person promoted from the waitlist" in _flash(as_organizer, response)
    assert [m.to_address for m in outbox_messages(kind="events.organizer-changed")] == [going.user.email]
    assert [m.to_address for m in outbox_messages(kind="events.promoted")] == [waiting.user.email]


def test_moving_to_the_waitlist_gives_the_seat_to_those_already_waiting(as_organizer, community, dinner):
    moved = add_rsvp(dinner, member_of(community, name="Mo Moved"), RSVPStatus.GOING, guests=2)
    waiting = add_rsvp(dinner, member_of(community, name="Wes Waiting"), RSVPStatus.WAITLISTED, guests=2)

    _act(as_organizer, dinner, moved, "waitlist")

    assert rsvp_status(moved.id) == "waitlisted" and rsvp_status(waiting.id) == "going"
    waitlist = as_organizer.get(f"{BASE}/{dinner.id}/rsvps?show=waitlist").get_data(as_text=True)
    assert rows(waitlist) == ["Mo Moved"]


def test_moving_to_the_waitlist_with_free_seats_keeps_them_waiting(as_organizer, community, dinner):
    moved = add_rsvp(dinner, member_of(community, name="Mo Moved"), RSVPStatus.GOING)

    _act(as_organizer, dinner, moved, "waitlist")

    assert rsvp_status(moved.id) == "waitlisted"
    assert outbox_messages(kind="events.promoted") == []


def test_moving_to_going_only_when_the_party_fits(as_organizer, community, dinner):
    add_rsvp(dinner, member_of(community), RSVPStatus.GOING, guests=1)
    big = add_rsvp(dinner, member_of(community, name="Big Party"), RSVPStatus.WAITLISTED, guests=2)
    small = add_rsvp(dinner, member_of(community, name="Sam Small"), RSVPStatus.WAITLISTED, guests=1)

    response = _act(as_organizer, dinner, big, "going", show="waitlist")
    assert rsvp_status(big.id) == "waitlisted"
    page = _flash(as_organizer, response)
    assert "Big Party's party of 3 does not fit: 2 seats left of 4." in page.replace("&#39;", "'")
    assert outbox_messages(kind="events.organizer-changed") == []

    _act(as_organizer, dinner, small, "going", show="waitlist")
    assert rsvp_status(small.id) == "going"
    assert [m.to_address for m in outbox_messages(kind="events.organizer-changed")] == [small.user.email]


def test_actions_are_recorded_in_the_audit_log(as_organizer, community, dinner):
    from community.core.audit import AuditEntry

    pending = add_rsvp(dinner, member_of(community), RSVPStatus.PENDING)
    _act(as_organizer, dinner, pending, "approve")

    db.session.expire_all()
    actions = [e.action for e in db.session.query(AuditEntry).order_by(AuditEntry.id)]
    assert actions[-1] == "rsvp.approved"


@pytest.mark.parametrize("show", ["going", "waitlist"])
def test_the_rsvp_list_runs_the_same_number_of_queries_for_5_or_500(
    as_organizer, published_event, show, count_queries
):
    status = RSVPStatus.GOING if show == "going" else RSVPStatus.WAITLISTED
    small, large = published_event(title="Small"), published_event(title="Large")
    for event, count in ((small, 5), (large, 500)):
        event.questions = [EventQuestion(position=0, kind="text", label="Dietary needs?")]
        db.session.commit()
        many_rsvps(event, count, status)

    counts = []
    for event in (small, large):
        with count_queries() as statements:
            response = as_organizer.get(f"{BASE}/{event.id}/rsvps?show={show}")
        assert response.status_code == 200
        counts.append(len(statements))
    assert counts[0] == counts[1]
    assert counts[0] <= 12
    page = response.get_data(as_text=True)
    assert page.count('<th scope="row">') == 50  # one page of the 500
    assert "Bulk Person" in page
