"""What an event change does to its seats: the SeatKeeper that rsvps registers with events
(events.hooks). Events call it with the event row locked; it asks the policy, moves people,
and writes their emails to the outbox in the same transaction.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from community.events.hooks import SeatChanges, SeatKeeper
from community.events.models import Event, EventStatus
from community.events.services import CapacityBelowGoing
from community.extensions import db
from community.rsvps import notifications, policy
from community.rsvps.models import RSVP, RSVPStatus
from community.rsvps.queries import seats_taken
from community.rsvps.services import fill_freed_seats


def check_capacity(event: Event, capacity: int | None, *, confirmed: bool) -> None:
    """:raises CapacityBelowGoing: when `capacity` no longer holds the seats taken and the
    organizer has not confirmed moving the last people to the waitlist."""
    taken = seats_taken(event)
    if policy.seats_over(capacity, taken) and not confirmed:
        raise CapacityBelowGoing(taken, capacity)


def event_updated(
    event: Event, *, old_capacity: int | None, schedule_changed: bool, now: datetime
) -> SeatChanges:
    """After an edit: move the last people who said yes to the waitlist until the event
    fits, or give the seats a larger capacity freed; tell people going of a new date or
    place, and each person moved of their move."""
    changes = SeatChanges()
    over = policy.seats_over(event.capacity, seats_taken(event))
    if over:
        changes.moved_to_waitlist = _move_latest_to_waitlist(event, over)
    elif policy.may_free_seats(old_capacity, event.capacity):
        given = fill_freed_seats(event, now)
        changes.promoted = given.promoted
        notifications.seats_given(given)
    if schedule_changed and event.status == EventStatus.PUBLISHED:
        notifications.event_changed(event)
    for rsvp in changes.moved_to_waitlist:
        notifications.moved_to_waitlist(rsvp)
    return changes


def _move_latest_to_waitlist(event: Event, seats_over: int) -> list[RSVP]:
    """Move the people who said yes last back until the event fits; they keep their original
    place in line, so they are first to get a freed seat."""
    holding = db.session.scalars(
        select(RSVP)
        .where(RSVP.event_id == event.id, RSVP.status.in_(policy.SEAT_HOLDING))
        .order_by(RSVP.queued_at.desc(), RSVP.id.desc())
    ).all()
    moved = []
    for rsvp in holding:
        if seats_over <= 0:
            break
        rsvp.status, rsvp.offer_expires_at = RSVPStatus.WAITLISTED, None
        seats_over -= rsvp.seats
        moved.append(rsvp)
    db.session.flush()
    return moved


SEAT_KEEPER = SeatKeeper(
    check_capacity=check_capacity,
    event_updated=event_updated,
    event_cancelled=notifications.event_cancelled,
)
