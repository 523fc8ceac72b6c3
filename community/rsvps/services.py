"""A member's RSVP: going / not going, guests, the waitlist, and offers of freed seats.

Every change that counts seats first takes the event's row lock (events.locking), so
capacity holds under concurrency; the seat rules themselves are the policy's. Services
flush and write their emails to the outbox in the same transaction; the request commits.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import select

from community.auth.models import User
from community.core.errors import DomainError
from community.core.models import utcnow
from community.events.locking import lock_event
from community.events.models import Event
from community.extensions import db
from community.rsvps import notifications, policy
from community.rsvps.models import RSVP, RSVPStatus
from community.rsvps.queries import rsvp_of, seats_left, seats_taken, waitlist


class RSVPError(DomainError):
    """The RSVP cannot be made or changed; the message says why."""


@dataclass
class RSVPChange:
    """What an RSVP call did: the RSVP itself, its status before, and anyone promoted or
    offered a seat."""

    rsvp: RSVP | None
    promoted: list[RSVP] = field(default_factory=list)
    offered: list[RSVP] = field(default_factory=list)
    previous: RSVPStatus | None = None

    @property
    def status_changed(self) -> bool:
        return self.rsvp is not None and self.rsvp.status != self.previous


def _seat_request_status(event: Event, party: int, *, requires_approval: bool) -> RSVPStatus:
    """What a request for `party` seats becomes now (the event row is locked)."""
    return policy.request_status(
        requires_approval=requires_approval,
        party_fits=policy.fits(event.capacity, seats_taken(event), party),
        someone_waiting=bool(waitlist(event)),
        best_fit=event.waitlist_best_fit,
    )


def respond(
    event: Event,
    user: User,
    *,
    going: bool,
    guests: int = 0,
    answers: dict[str, str] | None = None,
    listed: bool = True,
    now: datetime | None = None,
    notify: bool = True,
) -> RSVPChange:
    """RSVP going or not going; idempotent (pressing "Going" twice changes nothing).

    Going: a seat if the party fits and nobody is waiting ahead (or the organizer chose
    best fit), else the waitlist; pending when organizers approve each RSVP.
    Not going: frees the seats, which go to the waitlist in order.
    With `notify`, the person is emailed when their status changed, and so is everyone
    given a freed seat; without it (the demo loader), nobody is.
    :raises RSVPError: deadline passed, too many guests, and the like.
    """
    clock_given = now is not None
    now = now or utcnow()
    closed = policy.closed(event, now)
    refusal = closed.refusal if closed is not None else policy.guests_refusal(guests, event.guests_allowed)
    if refusal is not None:
        raise RSVPError(refusal)
    event = lock_event(event)
    if not clock_given:
        # Places in line are stamped under the lock, so their order is the order seats went.
        now = utcnow()
    rsvp = rsvp_of(event, user)
    change = RSVPChange(rsvp=rsvp, previous=rsvp.status if rsvp is not None else None)
    if going:
        _going(event, user, change, guests=guests, answers=answers, listed=listed, now=now)
    else:
        _not_going(event, user, change, answers=answers, listed=listed, now=now)
    if notify:
        if change.status_changed:
            notifications.rsvp_confirmation(change.rsvp)
        notifications.seats_given(change)
    return change


def _not_going(event: Event, user: User, change: RSVPChange, *, answers, listed: bool, now: datetime) -> None:
    rsvp = change.rsvp
    if rsvp is None:
        rsvp = RSVP(event=event, user=user, status=RSVPStatus.NOT_GOING, guests=0, listed=listed)
        db.session.add(rsvp)
    else:
        was_holding = policy.holds_seat(rsvp.status)
        rsvp.status, rsvp.offer_expires_at = RSVPStatus.NOT_GOING, None
        if was_holding:
            db.session.flush()
            _fill_freed_seats(event, change, now)
    rsvp.answers = answers or rsvp.answers or {}
    change.rsvp = rsvp
    db.session.flush()


def _going(
    event: Event, user: User, change: RSVPChange, *, guests: int, answers, listed: bool, now: datetime
) -> None:
    rsvp = change.rsvp
    if rsvp is None:
        rsvp = RSVP(event=event, user=user, status=RSVPStatus.NOT_GOING, queued_at=now)
        db.session.add(rsvp)
    change.rsvp = rsvp
    rsvp.answers, rsvp.listed = answers or {}, listed
    if rsvp.status == RSVPStatus.DECLINED:
        raise RSVPError("An organizer has declined your RSVP to this event.")
    if policy.holds_seat(rsvp.status):
        if rsvp.status == RSVPStatus.OFFERED:
            rsvp.status, rsvp.offer_expires_at = RSVPStatus.GOING, None
        extra = guests - rsvp.guests
        if extra > 0 and not policy.fits(event.capacity, seats_taken(event), extra):
            raise RSVPError(
                f"Only {seats_left(event)} more seats are left, so your guests could not be added."
            )
        rsvp.guests = guests
        db.session.flush()
        if extra < 0:
            _fill_freed_seats(event, change, now)
        return
    if rsvp.status in (RSVPStatus.WAITLISTED, RSVPStatus.PENDING):
        rsvp.guests = guests  # keeps its place in line
        db.session.flush()
        return
    # A new request for a seat (or coming back after "not going"): joins the end of the line.
    rsvp.guests, rsvp.queued_at = guests, now
    rsvp.status = _seat_request_status(event, 1 + guests, requires_approval=event.requires_approval)
    db.session.flush()


def _fill_freed_seats(event: Event, change: RSVPChange, now: datetime) -> None:
    """Give freed seats to the waitlist in order (policy.seat_winners), or offer them with a
    claim window where the organizer chose that for the last 48 hours."""
    candidates = waitlist(event)
    free = None if event.capacity is None else seats_left(event) or 0
    status = policy.freed_seat_status(
        offer_freed_seats=event.offer_freed_seats, starts_at=event.starts_at, now=now
    )
    for index in policy.seat_winners([r.seats for r in candidates], free, best_fit=event.waitlist_best_fit):
        candidate = candidates[index]
        candidate.status = status
        if status == RSVPStatus.OFFERED:
            candidate.offer_expires_at = now + timedelta(minutes=event.claim_window_minutes)
            change.offered.append(candidate)
        else:
            change.promoted.append(candidate)
    db.session.flush()


def fill_freed_seats(event: Event, now: datetime | None = None) -> RSVPChange:
    """After capacity grows (or a seat is freed by an organizer): promote from the waitlist.
    The caller emails the people in the change (notifications.seats_given)."""
    event = lock_event(event)
    change = RSVPChange(rsvp=None)
    _fill_freed_seats(event, change, now or utcnow())
    return change


def seat_request_status(event: Event, party: int) -> RSVPStatus:
    """Where an organizer's approval puts a party now: going if it fits and nobody waits
    ahead (or best fit), else the waitlist. Takes the event's row lock."""
    return _seat_request_status(lock_event(event), party, requires_approval=False)


def expire_offers(event: Event, now: datetime | None = None) -> RSVPChange:
    """Offers past their claim window go to the back of the waitlist; the seat passes on.
    The caller emails the people in the change."""
    now = now or utcnow()
    event = lock_event(event)
    change = RSVPChange(rsvp=None)
    expired = db.session.scalars(
        select(RSVP).where(
            RSVP.event_id == event.id, RSVP.status == RSVPStatus.OFFERED, RSVP.offer_expires_at <= now
        )
    ).all()
    for rsvp in expired:
        rsvp.status, rsvp.offer_expires_at, rsvp.queued_at = RSVPStatus.WAITLISTED, None, now
    db.session.flush()
    if expired:
        _fill_freed_seats(event, change, now)
    return change
