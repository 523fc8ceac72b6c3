"""RSVPs: going / not going, capacity, the waitlist, offers of freed seats.

Capacity holds under concurrency because every change that counts seats first takes a
write lock on the event row: SELECT ... FOR UPDATE on PostgreSQL; on SQLite a no-op UPDATE
of the row, which takes the database's single write lock (SQLite runs the SELECTs before
it outside any transaction, so no stale snapshot is held). Never a Python lock: several
worker processes serve the same event.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import func, select, text

from community.auth.models import User
from community.core.errors import DomainError
from community.core.models import utcnow
from community.events.models import (
    RSVP,
    SEAT_HOLDING,
    Event,
    EventStatus,
    RSVPStatus,
)
from community.extensions import db

#: Within this time before the start, a freed seat may be offered instead of given.
OFFER_PERIOD = timedelta(hours=48)


class RSVPError(DomainError):
    """The RSVP cannot be made or changed; the message says why."""


@dataclass
class RSVPChange:
    """What an RSVP call did: the RSVP itself and anyone promoted or offered a seat."""

    rsvp: RSVP | None
    promoted: list[RSVP] = field(default_factory=list)
    offered: list[RSVP] = field(default_factory=list)


def lock_event(event: Event) -> Event:
    """Take the write lock on `event` and reload it, so counts read now stay true."""
    if db.session.get_bind().dialect.name == "sqlite":
        db.session.execute(text("UPDATE event SET id = id WHERE id = :id"), {"id": event.id})
        locked = db.session.scalars(
            select(Event).where(Event.id == event.id).execution_options(populate_existing=True)
        ).one()
    else:
        locked = db.session.scalars(
            select(Event)
            .where(Event.id == event.id)
            .with_for_update()
            .execution_options(populate_existing=True)
        ).one()
    return locked


def seats_taken(event: Event) -> int:
    """Seats held by people going or holding an offer, guests included."""
    return (
        db.session.scalar(
            select(func.coalesce(func.sum(1 + RSVP.guests), 0)).where(
                RSVP.event_id == event.id, RSVP.status.in_(SEAT_HOLDING)
            )
        )
        or 0
    )


def seats_left(event: Event) -> int | None:
    """None when the event has no capacity limit."""
    if event.capacity is None:
        return None
    return max(event.capacity - seats_taken(event), 0)


def waitlist(event: Event) -> list[RSVP]:
    """The waitlist in order: first come, first served."""
    return list(
        db.session.scalars(
            select(RSVP)
            .where(RSVP.event_id == event.id, RSVP.status == RSVPStatus.WAITLISTED)
            .order_by(RSVP.queued_at, RSVP.id)
        )
    )


def rsvp_of(event: Event, user: User) -> RSVP | None:
    return db.session.scalar(select(RSVP).where(RSVP.event_id == event.id, RSVP.user_id == user.id))


def check_open_for_rsvps(event: Event, now: datetime) -> None:
    """:raises RSVPError: when nobody may RSVP or change an RSVP any more."""
    if event.status == EventStatus.CANCELLED:
        raise RSVPError("This event is cancelled.")
    if event.status != EventStatus.PUBLISHED:
        raise RSVPError("This event is not open for RSVPs yet.")
    if event.ends_at <= now:
        raise RSVPError("This event is over.")
    if event.rsvp_deadline is not None and now > event.rsvp_deadline:
        raise RSVPError("RSVPs for this event closed at the deadline.")


def _fits(event: Event, party: int) -> bool:
    left = seats_left(event)
    return left is None or party <= left


def respond(
    event: Event,
    user: User,
    *,
    going: bool,
    guests: int = 0,
    answers: dict[str, str] | None = None,
    listed: bool = True,
    now: datetime | None = None,
) -> RSVPChange:
    """RSVP going or not going; idempotent (pressing "Going" twice changes nothing).

    Going: a seat if the party fits and nobody is waiting ahead (or the organizer chose
    best fit), else the waitlist; pending when organizers approve each RSVP.
    Not going: frees the seats, which go to the waitlist in order.
    :raises RSVPError: deadline passed, too many guests, and the like.
    """
    clock_given = now is not None
    now = now or utcnow()
    check_open_for_rsvps(event, now)
    if not 0 <= guests <= event.guests_allowed:
        allowed = event.guests_allowed
        raise RSVPError(
            "Guests are not allowed at this event."
            if allowed == 0
            else f"You can bring at most {allowed} guest{'s' if allowed != 1 else ''}."
        )
    event = lock_event(event)
    if not clock_given:
        # Places in line are stamped under the lock, so their order is the order seats went.
        now = utcnow()
    rsvp = rsvp_of(event, user)
    change = RSVPChange(rsvp=rsvp)

    if not going:
        if rsvp is None:
            rsvp = RSVP(event=event, user=user, status=RSVPStatus.NOT_GOING, guests=0, listed=listed)
            db.session.add(rsvp)
        else:
            was_holding = rsvp.status in SEAT_HOLDING
            rsvp.status, rsvp.offer_expires_at = RSVPStatus.NOT_GOING, None
            if was_holding:
                db.session.flush()
                _fill_freed_seats(event, change, now)
        rsvp.answers = answers or rsvp.answers or {}
        change.rsvp = rsvp
        db.session.flush()
        return change

    if rsvp is None:
        rsvp = RSVP(event=event, user=user, status=RSVPStatus.NOT_GOING, queued_at=now)
        db.session.add(rsvp)
    change.rsvp = rsvp
    rsvp.answers, rsvp.listed = answers or {}, listed
    if rsvp.status == RSVPStatus.DECLINED:
        raise RSVPError("An organizer has declined your RSVP to this event.")
    if rsvp.status in SEAT_HOLDING:
        if rsvp.status == RSVPStatus.OFFERED:
            rsvp.status, rsvp.offer_expires_at = RSVPStatus.GOING, None
        extra = guests - rsvp.guests
        if extra > 0 and not _fits(event, extra):
            raise RSVPError(
                f"Only {seats_left(event)} more seats are left, so your guests could not be added."
            )
        rsvp.guests = guests
        db.session.flush()
        if extra < 0:
            _fill_freed_seats(event, change, now)
        return change
    if rsvp.status in (RSVPStatus.WAITLISTED, RSVPStatus.PENDING):
        rsvp.guests = guests  # keeps its place in line
        db.session.flush()
        return change

    # A new request for a seat (or coming back after "not going"): joins the end of the line.
    rsvp.guests, rsvp.queued_at = guests, now
    if event.requires_approval:
        rsvp.status = RSVPStatus.PENDING
    elif _fits(event, 1 + guests) and (event.waitlist_best_fit or not waitlist(event)):
        rsvp.status = RSVPStatus.GOING
    else:
        rsvp.status = RSVPStatus.WAITLISTED
    db.session.flush()
    return change


def _fill_freed_seats(event: Event, change: RSVPChange, now: datetime) -> None:
    """Give freed seats to the waitlist in order. A party that does not fit keeps its place
    and blocks smaller parties behind it, unless the organizer chose best fit. In the last
    48 hours an organizer may have chosen to offer seats, with a claim window, instead."""
    if event.capacity is None:
        candidates = waitlist(event)
        free = sum(r.seats for r in candidates)
    else:
        candidates, free = waitlist(event), seats_left(event) or 0
    offering = event.offer_freed_seats and event.starts_at - now <= OFFER_PERIOD
    for candidate in candidates:
        if candidate.seats > free:
            if event.waitlist_best_fit:
                continue
            break
        free -= candidate.seats
        if offering:
            candidate.status = RSVPStatus.OFFERED
            candidate.offer_expires_at = now + timedelta(minutes=event.claim_window_minutes)
            change.offered.append(candidate)
        else:
            candidate.status = RSVPStatus.GOING
            change.promoted.append(candidate)
    db.session.flush()


def fill_freed_seats(event: Event, now: datetime | None = None) -> RSVPChange:
    """After capacity grows (or a seat is freed by an organizer): promote from the waitlist."""
    event = lock_event(event)
    change = RSVPChange(rsvp=None)
    _fill_freed_seats(event, change, now or utcnow())
    return change


def expire_offers(event: Event, now: datetime | None = None) -> RSVPChange:
    """Offers past their claim window go to the back of the waitlist; the seat passes on."""
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
