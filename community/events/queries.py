"""Reading events: one event, lists of events as cards for the public pages, and the
organizer's list by tab. Every function runs a fixed number of queries, whatever the number
of RSVPs; what a card says of seats comes from the feature that keeps them (events.hooks).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import Select, case, func, select
from sqlalchemy.orm import contains_eager, joinedload

from community.auth.models import User
from community.communities.models import Community, Membership
from community.communities.permissions import is_member
from community.core.sections import section
from community.events.hooks import EVENT_CARD_DETAILS, CardDetails
from community.events.models import Event, EventStatus, EventVisibility
from community.extensions import db

PER_PAGE = 20
EVENTS_PER_PAGE = 20

#: Tabs of the organizer's event list: key -> label.
EVENT_TABS = {"upcoming": "Upcoming", "drafts": "Drafts", "past": "Past", "cancelled": "Cancelled"}


def event_in(community: Community, event_id: int) -> Event | None:
    """The community's event with its questions (the community is already loaded)."""
    return (
        db.session.execute(
            select(Event)
            .where(Event.id == event_id, Event.community_id == community.id)
            .options(joinedload(Event.questions))
        )
        .unique()
        .scalar_one_or_none()
    )


# -- lists of events ---------------------------------------------------------------------


@dataclass
class EventCard:
    """An event in a list, with what features add to its card (seats left, your RSVP)."""

    event: Event
    details: CardDetails = field(default_factory=CardDetails)


def _visible_in_list(statement: Select, is_a_member: bool) -> Select:
    visibilities = [EventVisibility.PUBLIC]
    if is_a_member:
        visibilities.append(EventVisibility.MEMBERS)
    return statement.where(
        Event.status.in_([EventStatus.PUBLISHED, EventStatus.CANCELLED]),
        Event.visibility.in_(visibilities),
    )


def community_events(
    community: Community,
    membership: Membership | None,
    *,
    past: bool,
    page: int,
    now: datetime,
    per_page: int = PER_PAGE,
):
    """The community's events this viewer may see in a list: upcoming soonest first, or past
    newest first. Unlisted events and drafts are never listed."""
    statement = _visible_in_list(
        select(Event).where(Event.community_id == community.id), is_member(membership)
    )
    if past:
        statement = statement.where(Event.ends_at <= now).order_by(Event.starts_at.desc(), Event.id.desc())
    else:
        statement = statement.where(Event.ends_at > now).order_by(Event.starts_at, Event.id)
    return db.paginate(statement, page=page, per_page=per_page, error_out=False)


def public_upcoming(*, page: int, now: datetime, per_page: int = PER_PAGE):
    """Public, published events still to come across all communities, soonest first."""
    statement = (
        select(Event)
        .join(Event.community)
        .options(contains_eager(Event.community))
        .where(
            Event.status == EventStatus.PUBLISHED,
            Event.visibility == EventVisibility.PUBLIC,
            Event.ends_at > now,
        )
        .order_by(Event.starts_at, Event.id)
    )
    return db.paginate(statement, page=page, per_page=per_page, error_out=False)


def event_cards(events: list[Event], viewer: User | None) -> list[EventCard]:
    """The cards of a list, with what the feature that keeps seats adds (a fixed number of
    queries for the whole list)."""
    added = section(EVENT_CARD_DETAILS, events, viewer) if events else None
    cards = added["cards"] if added else {}
    return [EventCard(event=event, details=cards.get(event.id, CardDetails())) for event in events]


# -- the organizer's list ----------------------------------------------------------------


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
