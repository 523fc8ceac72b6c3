"""RSVP rules: capacity, waitlist order, parties, best fit, offers, deadlines."""

from __future__ import annotations

from datetime import timedelta

import pytest

from community.core.models import utcnow
from community.events.models import EventStatus
from community.rsvps.models import RSVP
from community.rsvps.queries import seats_left, waitlist
from community.rsvps.services import RSVPError, expire_offers, fill_freed_seats, respond
from tests.factories import create_community, create_event, create_user


@pytest.fixture
def owner(db):
    return create_user(name="Olive Owner")


@pytest.fixture
def community(owner):
    return create_community(owner)


@pytest.fixture
def make_event(db, community, owner):
    def make(*, starts_at=None, status=EventStatus.PUBLISHED, rsvp_deadline=None, **details):
        event = create_event(community, owner, publish=status != EventStatus.DRAFT, **details)
        # What an organizer's form cannot say: a start hours away or past, a deadline gone by, a
        # cancellation without its emails.
        if starts_at:
            event.starts_at, event.ends_at = starts_at, starts_at + timedelta(hours=3)
        event.status, event.rsvp_deadline = status, rsvp_deadline
        db.session.commit()
        return event

    return make


def people(n):
    return [create_user(name=f"Guest {i}") for i in range(n)]


def statuses(db, event):
    db.session.expire_all()
    rows = db.session.query(RSVP).filter_by(event_id=event.id).order_by(RSVP.id).all()
    return [r.status.value for r in rows]


def test_a_full_event_offers_the_waitlist(db, make_event):
    event = make_event(capacity=3)
    for person in people(4):
        respond(event, person, going=True)
    db.session.commit()

    assert statuses(db, event) == ["going", "going", "going", "waitlisted"]
    assert seats_left(event) == 0


def test_pressing_going_twice_changes_nothing(db, make_event):
    event = make_event(capacity=1)
    first, second = people(2)
    respond(event, first, going=True)
    respond(event, first, going=True)
    respond(event, second, going=True)
    db.session.commit()

    assert statuses(db, event) == ["going", "waitlisted"]


def test_cancelling_promotes_the_first_in_line(db, make_event):
    event = make_event(capacity=1)
    holder, early, late = people(3)
    for person in (holder, early, late):
        respond(event, person, going=True)

    change = respond(event, holder, going=False)
    db.session.commit()

    assert [r.user_id for r in change.promoted] == [early.id]
    assert statuses(db, event) == ["not_going", "going", "waitlisted"]


def test_guests_count_toward_capacity_and_are_limited(db, make_event):
    event = make_event(capacity=4, guests_allowed=2)
    couple, trio, single = people(3)
    respond(event, couple, going=True, guests=1)
    respond(event, trio, going=True, guests=2)
    db.session.commit()
    assert statuses(db, event) == ["going", "waitlisted"]  # 2 + 3 > 4

    with pytest.raises(RSVPError, match="at most 2 guests"):
        respond(event, single, going=True, guests=3)


def test_a_party_that_does_not_fit_keeps_its_place_in_line(db, make_event):
    event = make_event(capacity=3, guests_allowed=3)
    holder, big_party, single = people(3)
    respond(event, holder, going=True, guests=2)  # 3 seats: full
    respond(event, big_party, going=True, guests=2)  # 3 seats, waitlisted first
    respond(event, single, going=True)  # 1 seat, waitlisted second

    respond(event, holder, going=True, guests=1)  # frees one seat only
    db.session.commit()

    # The big party does not fit in 1 seat, and the single behind it is not let past.
    assert statuses(db, event) == ["going", "waitlisted", "waitlisted"]
    assert [r.user_id for r in waitlist(event)] == [big_party.id, single.id]


def test_best_fit_lets_a_smaller_party_take_the_seats_left(db, make_event):
    event = make_event(capacity=3, guests_allowed=3, waitlist_best_fit=True)
    holder, big_party, single = people(3)
    respond(event, holder, going=True, guests=2)
    respond(event, big_party, going=True, guests=2)
    respond(event, single, going=True)

    change = respond(event, holder, going=True, guests=1)
    db.session.commit()

    assert [r.user_id for r in change.promoted] == [single.id]
    assert statuses(db, event) == ["going", "waitlisted", "going"]


def test_new_people_do_not_jump_a_waiting_party(db, make_event):
    event = make_event(capacity=2, guests_allowed=2)
    holder, party, newcomer = people(3)
    respond(event, holder, going=True)  # 1 of 2
    respond(event, party, going=True, guests=2)  # needs 3: waits
    respond(event, newcomer, going=True)  # 1 seat is free, but someone is waiting ahead
    db.session.commit()

    assert statuses(db, event) == ["going", "waitlisted", "waitlisted"]


def test_capacity_growth_promotes_in_order(db, make_event):
    event = make_event(capacity=1)
    for person in people(4):
        respond(event, person, going=True)
    event.capacity = 3
    change = fill_freed_seats(event)
    db.session.commit()

    assert len(change.promoted) == 2
    assert statuses(db, event) == ["going", "going", "going", "waitlisted"]


def test_organizer_approval_keeps_rsvps_pending(db, make_event):
    event = make_event(requires_approval=True)
    [person] = people(1)
    respond(event, person, going=True)
    db.session.commit()
    assert statuses(db, event) == ["pending"]


@pytest.mark.parametrize(
    "fields, message",
    [
        ({"status": EventStatus.CANCELLED}, "This event is cancelled."),
        ({"status": EventStatus.DRAFT}, "not open for RSVPs yet"),
        ({"rsvp_deadline": utcnow() - timedelta(minutes=1)}, "closed at the deadline"),
        ({"starts_at": utcnow() - timedelta(hours=5)}, "This event is over."),
    ],
)
def test_rsvps_closed(db, make_event, fields, message):
    event = make_event(**fields)
    [person] = people(1)
    with pytest.raises(RSVPError, match=message):
        respond(event, person, going=True)


def test_in_the_last_48_hours_a_freed_seat_is_offered_then_passes_on(db, make_event):
    now = utcnow()
    event = make_event(
        capacity=1, offer_freed_seats=True, claim_window_minutes=120, starts_at=now + timedelta(hours=20)
    )
    holder, first, second = people(3)
    for person in (holder, first, second):
        respond(event, person, going=True, now=now)

    change = respond(event, holder, going=False, now=now)
    assert [r.user_id for r in change.offered] == [first.id]
    assert seats_left(event) == 0  # the offer holds the seat
    db.session.commit()
    assert statuses(db, event) == ["not_going", "offered", "waitlisted"]

    # Nobody claims it within two hours: the seat passes to the next person.
    passed = expire_offers(event, now=now + timedelta(minutes=121))
    db.session.commit()
    assert [r.user_id for r in passed.offered] == [second.id]
    assert statuses(db, event) == ["not_going", "waitlisted", "offered"]

    # The second person claims it by pressing "Going".
    respond(event, second, going=True, now=now + timedelta(minutes=130))
    db.session.commit()
    assert statuses(db, event) == ["not_going", "waitlisted", "going"]
