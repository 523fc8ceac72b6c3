"""Read-only figures and lists for the organizer's RSVP screens, each in a constant number
of queries."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy import case, func, select
from sqlalchemy.orm import contains_eager, joinedload

from community.auth.models import User
from community.events.models import Event
from community.extensions import db
from community.rsvps import policy
from community.rsvps.models import RSVP, RSVPStatus

RSVPS_PER_PAGE = 50

#: Filters of the RSVP list: key -> (label, statuses).
RSVP_FILTERS: dict[str, tuple[str, tuple[RSVPStatus, ...]]] = {
    "going": ("Going", (RSVPStatus.GOING,)),
    "waitlist": ("Waitlist", (RSVPStatus.WAITLISTED,)),
    "offered": ("Offered a seat", (RSVPStatus.OFFERED,)),
    "pending": ("Pending approval", (RSVPStatus.PENDING,)),
    "not_going": ("Not going", (RSVPStatus.NOT_GOING,)),
    "declined": ("Declined", (RSVPStatus.DECLINED,)),
}


def rsvp_in(event: Event, rsvp_id: int) -> RSVP | None:
    return db.session.scalar(
        select(RSVP).where(RSVP.id == rsvp_id, RSVP.event_id == event.id).options(joinedload(RSVP.user))
    )


@dataclass
class Figures:
    """RSVP numbers for one event: people per status, seats (guests included) per status,
    and how many of the people going have checked in."""

    people: dict[str, int] = field(default_factory=dict)
    seats: dict[str, int] = field(default_factory=dict)
    checked_in: int = 0
    checked_in_seats: int = 0

    def count(self, status: str) -> int:
        return self.people.get(status, 0)

    def count_in(self, statuses: Iterable[str]) -> int:
        """People in any of `statuses`."""
        return sum(self.count(status) for status in statuses)

    @property
    def going_seats(self) -> int:
        return self.seats.get(RSVPStatus.GOING, 0)

    @property
    def seats_taken(self) -> int:
        return policy.seats_taken(self.seats)

    def for_filter(self, key: str) -> int:
        return self.count_in(RSVP_FILTERS[key][1])


def rsvp_figures(event_ids: list[int]) -> dict[int, Figures]:
    """Figures for many events in ONE aggregate query."""
    figures = {event_id: Figures() for event_id in event_ids}
    if not event_ids:
        return figures
    checked = RSVP.checked_in_at.is_not(None)
    rows = db.session.execute(
        select(
            RSVP.event_id,
            RSVP.status,
            func.count(RSVP.id),
            func.sum(1 + RSVP.guests),
            func.sum(case((checked, 1), else_=0)),
            func.sum(case((checked, 1 + RSVP.guests), else_=0)),
        )
        .where(RSVP.event_id.in_(event_ids))
        .group_by(RSVP.event_id, RSVP.status)
    )
    for event_id, status, people, seats, checked_people, checked_seats in rows.all():
        item = figures[event_id]
        key = RSVPStatus(status).value
        item.people[key], item.seats[key] = int(people), int(seats or 0)
        if key == RSVPStatus.GOING.value:
            item.checked_in, item.checked_in_seats = int(checked_people or 0), int(checked_seats or 0)
    return figures


def rsvp_figures_for(event: Event) -> Figures:
    return rsvp_figures([event.id])[event.id]


def rsvps_page(event: Event, show: str, page: int, per_page: int = RSVPS_PER_PAGE):
    """RSVPs of one filter with their people (joined, not one query each), in line order:
    the waitlist's order is the order in which seats are given."""
    statuses = RSVP_FILTERS[show][1]
    query = (
        select(RSVP)
        .join(RSVP.user)
        .options(contains_eager(RSVP.user))
        .where(RSVP.event_id == event.id, RSVP.status.in_(statuses))
        .order_by(RSVP.queued_at, RSVP.id)
    )
    return db.paginate(query, page=page, per_page=per_page, error_out=False)


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def checkin_page(event: Event, search: str, page: int, per_page: int = RSVPS_PER_PAGE):
    """People going, by name, optionally those whose name contains `search`."""
    query = (
        select(RSVP)
        .join(RSVP.user)
        .options(contains_eager(RSVP.user))
        .where(RSVP.event_id == event.id, RSVP.status == RSVPStatus.GOING)
        .order_by(func.lower(User.name), RSVP.id)
    )
    for word in search.split():
        query = query.where(User.name.ilike(f"%{_escape_like(word)}%", escape="\\"))
    return db.paginate(query, page=page, per_page=per_page, error_out=False)


def attendees(event: Event, *, include_waitlist: bool = False) -> list[RSVP]:
    """People holding seats (and, if asked, waiting) with their accounts, for the CSV export."""
    statuses = [*policy.SEAT_HOLDING]
    if include_waitlist:
        statuses.append(RSVPStatus.WAITLISTED)
    return list(
        db.session.scalars(
            select(RSVP)
            .join(RSVP.user)
            .options(contains_eager(RSVP.user))
            .where(RSVP.event_id == event.id, RSVP.status.in_(statuses))
            .order_by(RSVP.status, func.lower(User.name), RSVP.id)
        )
    )
