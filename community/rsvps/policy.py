"""The seat policy, written once: which answers hold a seat, whether a party fits, why RSVPs
are closed, and what status an answer gets.

Pure: plain values (and an Event's own fields) in, decisions out; no database, no request.
Every caller asks here: a member's RSVP and the organizer's actions (services.py,
organizer.py), capacity changes (capacity.py), the event page and lists (page.py), the
organizer's figures (lists.py). tests/rsvps/test_policy.py proves each rule once.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from community.events.models import Event, EventStatus
from community.events.timing import to_local
from community.rsvps.models import RSVPStatus

#: Statuses that hold seats against the capacity: going, or holding an offer to claim.
SEAT_HOLDING: tuple[RSVPStatus, ...] = (RSVPStatus.GOING, RSVPStatus.OFFERED)
#: Within this time before the start, a freed seat may be offered instead of given.
OFFER_PERIOD = timedelta(hours=48)


def holds_seat(status: str | None) -> bool:
    return status in SEAT_HOLDING


def seats_taken(seats_by_status: Mapping[str, int]) -> int:
    """The seats held (guests included), from the seats counted per status."""
    return sum(seats_by_status.get(status, 0) for status in SEAT_HOLDING)


def seats_left(capacity: int | None, taken: int) -> int | None:
    """None when there is no capacity limit; never below 0."""
    return None if capacity is None else max(capacity - taken, 0)


def fits(capacity: int | None, taken: int, party: int) -> bool:
    """Whether `party` more seats fit beside the `taken` ones."""
    left = seats_left(capacity, taken)
    return left is None or party <= left


def seats_over(capacity: int | None, taken: int) -> int:
    """How many more seats are taken than `capacity` holds (0 when they fit)."""
    return 0 if capacity is None else max(taken - capacity, 0)


def may_free_seats(old_capacity: int | None, new_capacity: int | None) -> bool:
    """Whether a capacity change can hand seats to the waitlist: the limit grew or went."""
    return new_capacity is None or (old_capacity is not None and new_capacity > old_capacity)


def guests_refusal(guests: int, allowed: int) -> str | None:
    """Why a party of one plus `guests` is refused, or None when the event allows it."""
    if 0 <= guests <= allowed:
        return None
    if allowed == 0:
        return "Guests are not allowed at this event."
    return f"You can bring at most {allowed} guest{'s' if allowed != 1 else ''}."


def request_status(
    *, requires_approval: bool, party_fits: bool, someone_waiting: bool, best_fit: bool
) -> RSVPStatus:
    """What a request for a seat becomes: pending when organizers approve each RSVP, going
    when the party fits and nobody waits ahead (or the organizer chose best fit), else the
    waitlist. An organizer's approval asks the same with `requires_approval=False`."""
    if requires_approval:
        return RSVPStatus.PENDING
    if party_fits and (best_fit or not someone_waiting):
        return RSVPStatus.GOING
    return RSVPStatus.WAITLISTED


def freed_seat_status(*, offer_freed_seats: bool, starts_at: datetime, now: datetime) -> RSVPStatus:
    """What the next in line gets from a freed seat: in the last 48 hours, if the organizer
    chose so, an offer to claim within the claim window; otherwise the seat itself."""
    if offer_freed_seats and starts_at - now <= OFFER_PERIOD:
        return RSVPStatus.OFFERED
    return RSVPStatus.GOING


def seat_winners(parties: Sequence[int], free: int | None, *, best_fit: bool) -> list[int]:
    """Which waiting parties (their sizes, in line order) get `free` seats (None: no limit),
    as indexes. A party that does not fit keeps its place and blocks smaller parties behind
    it, unless the organizer chose best fit."""
    if free is None:
        return list(range(len(parties)))
    winners = []
    for index, seats in enumerate(parties):
        if seats > free:
            if best_fit:
                continue
            break
        free -= seats
        winners.append(index)
    return winners


@dataclass(frozen=True)
class Closed:
    """Why nobody may RSVP or change an RSVP: the refusal an attempt gets, and what the
    event page says in place of the form."""

    reason: str  # "cancelled", "ended", "not_published" or "deadline"
    refusal: str
    notice: str


def closed(event: Event, now: datetime) -> Closed | None:
    """Why RSVPs to `event` are closed, or None while they are open. Checked in this order:
    cancelled, over, not published yet, past the RSVP deadline."""
    if event.status == EventStatus.CANCELLED:
        return Closed("cancelled", "This event is cancelled.", "This event is cancelled.")
    if event.ends_at <= now:
        return Closed("ended", "This event is over.", "This event has ended.")
    if event.status != EventStatus.PUBLISHED:
        return Closed(
            "not_published",
            "This event is not open for RSVPs yet.",
            "RSVPs open once the event is published.",
        )
    if event.rsvp_deadline is not None and now > event.rsvp_deadline:
        deadline = to_local(event.rsvp_deadline, event.timezone)
        return Closed(
            "deadline",
            "RSVPs for this event closed at the deadline.",
            f"RSVPs closed on {deadline:%-d %B at %H:%M}.",
        )
    return None
