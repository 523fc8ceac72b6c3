"""The seat policy, one rule at a time, as tables (no database: plain values and Events)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from community.events.models import Event, EventStatus
from community.rsvps import policy
from community.rsvps.models import RSVPStatus as S

NOW = datetime(2027, 6, 10, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("status", "holds"),
    [
        (S.GOING, True),
        (S.OFFERED, True),
        (S.WAITLISTED, False),
        (S.PENDING, False),
        (S.NOT_GOING, False),
        (S.DECLINED, False),
        (None, False),
    ],
)
def test_which_statuses_hold_a_seat(status, holds):
    assert policy.holds_seat(status) is holds


def test_seats_taken_count_the_seat_holding_statuses_only():
    seats = {S.GOING: 7, S.OFFERED: 2, S.WAITLISTED: 5, S.PENDING: 1, S.NOT_GOING: 3}
    assert policy.seats_taken(seats) == 9
    assert policy.seats_taken({"going": 4, "offered": 1}) == 5  # keys as stored values work too
    assert policy.seats_taken({}) == 0


@pytest.mark.parametrize(
    ("capacity", "taken", "left"),
    [(None, 500, None), (10, 4, 6), (10, 10, 0), (3, 5, 0)],
)
def test_seats_left_never_go_below_zero(capacity, taken, left):
    assert policy.seats_left(capacity, taken) == left


@pytest.mark.parametrize(
    ("capacity", "taken", "party", "fits"),
    [
        (None, 500, 50, True),  # no limit
        (10, 8, 2, True),  # exactly the seats left
        (10, 8, 3, False),  # one too many
        (10, 12, 1, False),  # already over (capacity lowered)
        (1, 0, 1, True),
    ],
)
def test_whether_a_party_fits(capacity, taken, party, fits):
    assert policy.fits(capacity, taken, party) is fits


@pytest.mark.parametrize(
    ("capacity", "taken", "over"),
    [(None, 50, 0), (10, 5, 0), (10, 10, 0), (10, 13, 3)],
)
def test_seats_over_a_new_capacity(capacity, taken, over):
    assert policy.seats_over(capacity, taken) == over


@pytest.mark.parametrize(
    ("old", "new", "frees"),
    [
        (10, 12, True),
        (10, 10, False),
        (10, 8, False),
        (10, None, True),
        (None, None, True),
        (None, 10, False),
    ],
)
def test_which_capacity_changes_can_give_seats_to_the_waitlist(old, new, frees):
    assert policy.may_free_seats(old, new) is frees


@pytest.mark.parametrize(
    ("guests", "allowed", "refusal"),
    [
        (0, 0, None),
        (2, 2, None),
        (1, 0, "Guests are not allowed at this event."),
        (2, 1, "You can bring at most 1 guest."),
        (3, 2, "You can bring at most 2 guests."),
        (-1, 2, "You can bring at most 2 guests."),
    ],
)
def test_how_many_guests_a_party_may_bring(guests, allowed, refusal):
    assert policy.guests_refusal(guests, allowed) == refusal


@pytest.mark.parametrize(
    ("approval", "fits", "waiting", "best_fit", "status"),
    [
        (False, True, False, False, S.GOING),
        (False, True, True, False, S.WAITLISTED),  # nobody jumps the line
        (False, True, True, True, S.GOING),  # unless the organizer chose best fit
        (False, False, False, False, S.WAITLISTED),
        (False, False, True, True, S.WAITLISTED),
        (True, True, False, False, S.PENDING),  # organizers approve each RSVP
        (True, False, True, False, S.PENDING),
    ],
)
def test_what_status_a_request_for_a_seat_gets(approval, fits, waiting, best_fit, status):
    assert (
        policy.request_status(
            requires_approval=approval, party_fits=fits, someone_waiting=waiting, best_fit=best_fit
        )
        == status
    )


@pytest.mark.parametrize(
    ("offer_freed_seats", "starts_in", "status"),
    [
        (True, timedelta(hours=20), S.OFFERED),
        (True, timedelta(hours=48), S.OFFERED),
        (True, timedelta(hours=49), S.GOING),  # too early to offer: the seat is given
        (False, timedelta(hours=20), S.GOING),
    ],
)
def test_what_a_freed_seat_becomes(offer_freed_seats, starts_in, status):
    assert (
        policy.freed_seat_status(offer_freed_seats=offer_freed_seats, starts_at=NOW + starts_in, now=NOW)
        == status
    )


@pytest.mark.parametrize(
    ("parties", "free", "best_fit", "winners"),
    [
        ([1, 1, 1], 2, False, [0, 1]),
        ([2, 1, 1], 2, False, [0]),
        ([3, 1, 1], 2, False, []),  # a party too big blocks the line
        ([3, 1, 1], 2, True, [1, 2]),  # unless smaller parties may skip ahead
        ([2, 2, 1], 3, True, [0, 2]),
        ([4, 2], None, False, [0, 1]),  # no limit: everyone waiting
        ([], 5, False, []),
    ],
)
def test_who_gets_freed_seats(parties, free, best_fit, winners):
    assert policy.seat_winners(parties, free, best_fit=best_fit) == winners


def _event(status=EventStatus.PUBLISHED, *, ends_in=timedelta(days=3), deadline_in=None) -> Event:
    return Event(
        status=status,
        starts_at=NOW + ends_in - timedelta(hours=2),
        ends_at=NOW + ends_in,
        rsvp_deadline=NOW + deadline_in if deadline_in is not None else None,
        timezone="Europe/London",
    )


@pytest.mark.parametrize(
    ("event", "reason", "refusal", "notice"),
    [
        (_event(), None, None, None),
        (_event(deadline_in=timedelta(hours=1)), None, None, None),
        (_event(EventStatus.CANCELLED), "cancelled", "This event is cancelled.", "This event is cancelled."),
        # The order: cancelled first, then over, then not published, then the deadline.
        (
            _event(EventStatus.CANCELLED, ends_in=-timedelta(days=1)),
            "cancelled",
            "This event is cancelled.",
            "This event is cancelled.",
        ),
        (_event(ends_in=-timedelta(hours=1)), "ended", "This event is over.", "This event has ended."),
        (
            _event(EventStatus.DRAFT, ends_in=-timedelta(hours=1)),
            "ended",
            "This event is over.",
            "This event has ended.",
        ),
        (
            _event(EventStatus.DRAFT),
            "not_published",
            "This event is not open for RSVPs yet.",
            "RSVPs open once the event is published.",
        ),
        (
            _event(EventStatus.DRAFT, deadline_in=-timedelta(hours=1)),
            "not_published",
            "This event is not open for RSVPs yet.",
            "RSVPs open once the event is published.",
        ),
        (
            _event(deadline_in=-timedelta(minutes=30)),  # 11:30 UTC is 12:30 in London in June
            "deadline",
            "RSVPs for this event closed at the deadline.",
            "RSVPs closed on 10 June at 12:30.",
        ),
    ],
)
def test_why_rsvps_are_closed(event, reason, refusal, notice):
    closed = policy.closed(event, NOW)
    if reason is None:
        assert closed is None
    else:
        assert (closed.reason, closed.refusal, closed.notice) == (reason, refusal, notice)
