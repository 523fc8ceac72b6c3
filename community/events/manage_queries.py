"""Read-only lists for the organizer event screens, each in a constant number of queries."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import case, func, select
from sqlalchemy.orm import contains_eager, joinedload

from community.auth.models import User
from community.communities.models import Community
from community.events.models import RSVP, Event, EventStatus, RSVPStatus
from community.extensions import db

EVENTS_PER_PAGE = 20
RSVPS_PER_PAGE = 50

#: Tabs of the organizer's event list: key -> label.
EVENT_TABS = {"upcoming": "Upcoming", "drafts": "Drafts", "past": "Past", "cancelled": "Cancelled"}

#: Filters of the RSVP list: key -> (label, statuses).
RSVP_FILTERS: dict[str, tuple[str, tuple[RSVPStatus, ...]]] = {
    "going": ("Going", (RSVPStatus.GOING,)),
    "waitlist": ("Waitlist", (RSVPStatus.WAITLISTED,)),
    "offered": ("Offered a seat", (RSVPStatus.OFFERED,)),
    "pending": ("Pending approval", (RSVPStatus.PENDING,)),
    "not_going": ("Not going", (RSVPStatus.NOT_GOING,)),
    "declined": ("Declined", (RSVPStatus.DECLINED,)),
}


def event_in(community: Community, event_id: int) -> Event | None:
    return db.session.scalar(select(Event).where(Event.id == event_id, Event.community_id == community.id))


def rsvp_in(event: Event, rsvp_id: int) -> RSVP | None:
    return db.session.scalar(
        select(RSVP).where(RSVP.id == rsvp_id, RSVP.event_id == event.id).options(joinedload(RSVP.user))
    )


def _tab_of(now: datetime):
    """SQL for the tab an event belongs to."""
    return case(
        (Event.status == EventStatus.CANCELLED, "cancelled"),
        (Event.status == EventStatus.DRAFT, "drafts"),
        (Event.ends_at <= now, "past"),
        else_="upcoming",
    )


def event_tab_counts(community: Community, now: datetime) -> dict[str, int]:
    tab = _tab_of(now).label("tab")
    rows = db.session.execute(
        select(tab, func.count(Event.id)).where(Event.community_id == community.id).group_by(tab)
    )
    counts = dict.fromkeys(EVENT_TABS, 0)
    counts.update({name: number for name, number in rows.all()})
    return counts


def events_page(community: Community, tab: str, page: int, now: datetime, per_page: int = EVENTS_PER_PAGE):
    """Events of one tab: upcoming and drafts soonest first, past and cancelled latest first."""
    newest_first = tab in ("past", "cancelled")
    query = (
        select(Event)
        .where(Event.community_id == community.id, _tab_of(now) == tab)
        .order_by(Event.starts_at.desc() if newest_first else Event.starts_at, Event.id)
    )
    return db.paginate(query, page=page, per_page=per_page, error_out=False)


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

    @property
    def going_seats(self) -> int:
        return self.seats.get("going", 0)

    @property
    def seats_taken(self) -> int:
        return self.seats.get("going", 0) + self.seats.get("offered", 0)

    def for_filter(self, key: str) -> int:
        return sum(self.count(status.value) for status in RSVP_FILTERS[key][1])


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
    """People going (and, if asked, waiting) with their accounts, for the CSV export."""
    statuses = [RSVPStatus.GOING, RSVPStatus.OFFERED]
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
