"""Reading events for the public pages: one event with its counts, lists of events as cards,
and who's going. Every function runs a fixed number of queries, whatever the number of RSVPs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from flask_sqlalchemy.pagination import Pagination, SelectPagination
from sqlalchemy import Select, and_, func, or_, select
from sqlalchemy.orm import contains_eager, joinedload, load_only

from community.auth.models import User
from community.communities.models import Community, Membership
from community.communities.permissions import is_member
from community.events.models import RSVP, SEAT_HOLDING, Event, EventStatus, EventVisibility, RSVPStatus
from community.extensions import db
from community.members.models import Profile
from community.members.people import seen_by, shares_a_community_with

PER_PAGE = 20
#: Names shown on the event page itself; the rest are on the attendees page.
ATTENDEES_ON_PAGE = 48
ATTENDEES_PER_PAGE = 100


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


@dataclass
class Headcount:
    """Who has answered, by status, for one event (one aggregate query)."""

    capacity: int | None
    people: dict[str, int] = field(default_factory=dict)
    seats: dict[str, int] = field(default_factory=dict)
    listed_going: int = 0

    @property
    def going(self) -> int:
        return self.people.get(RSVPStatus.GOING, 0)

    @property
    def guests(self) -> int:
        return self.seats.get(RSVPStatus.GOING, 0) - self.going

    @property
    def waitlisted(self) -> int:
        return self.people.get(RSVPStatus.WAITLISTED, 0)

    @property
    def taken(self) -> int:
        return sum(self.seats.get(status, 0) for status in SEAT_HOLDING)

    @property
    def seats_left(self) -> int | None:
        return None if self.capacity is None else max(self.capacity - self.taken, 0)


def headcount(event: Event) -> Headcount:
    rows = db.session.execute(
        select(
            RSVP.status,
            RSVP.listed,
            func.count(RSVP.id),
            func.coalesce(func.sum(1 + RSVP.guests), 0),
        )
        .where(RSVP.event_id == event.id)
        .group_by(RSVP.status, RSVP.listed)
    ).all()
    count = Headcount(capacity=event.capacity)
    for status, listed, people, seats in rows:
        count.people[status] = count.people.get(status, 0) + people
        count.seats[status] = count.seats.get(status, 0) + int(seats)
        if status == RSVPStatus.GOING and listed:
            count.listed_going += people
    return count


def waitlist_position(rsvp: RSVP) -> int:
    """1 for the first in line."""
    ahead = db.session.scalar(
        select(func.count(RSVP.id)).where(
            RSVP.event_id == rsvp.event_id,
            RSVP.status == RSVPStatus.WAITLISTED,
            or_(RSVP.queued_at < rsvp.queued_at, and_(RSVP.queued_at == rsvp.queued_at, RSVP.id < rsvp.id)),
        )
    )
    return (ahead or 0) + 1


# -- who's going -------------------------------------------------------------------------


def _going_listed(event: Event, viewer: User | None) -> Select:
    """People going who agreed to be listed, with whether they share a community with the
    viewer. Only the columns a name card shows are loaded (ProfileView reads nothing else)."""
    return (
        select(User, Profile, shares_a_community_with(viewer))
        .join(RSVP, RSVP.user_id == User.id)
        .outerjoin(Profile, Profile.user_id == User.id)
        .options(
            load_only(User.id, User.name, User.email, User.deleted_at),
            load_only(Profile.user_id, Profile.headline, Profile.visibility),
        )
        .where(
            RSVP.event_id == event.id,
            RSVP.status == RSVPStatus.GOING,
            RSVP.listed.is_(True),
            User.deleted_at.is_(None),
        )
        .order_by(RSVP.queued_at, RSVP.id)
    )


@dataclass(frozen=True)
class Attendee:
    """A name card in "who's going": only what this viewer may see, worked out once."""

    id: int
    name: str
    initials: str
    headline: str


def _views(rows, viewer: User | None) -> list[Attendee]:
    """People as the viewer may see them; someone whose name is hidden from them is left out."""
    people = []
    for user, profile, shared in rows:
        view = seen_by(viewer, user, profile, shared)
        if view is not None:
            people.append(
                Attendee(id=user.id, name=view.name, initials=view.initials, headline=view.headline)
            )
    return people


def attendees(event: Event, viewer: User | None, limit: int = ATTENDEES_ON_PAGE) -> list[Attendee]:
    """The first people going who agreed to be listed (one query)."""
    rows = db.session.execute(_going_listed(event, viewer).limit(limit)).all()
    return _views(rows, viewer)


class _RowsPagination(SelectPagination):
    """A page of result rows (several entities per row), not only the first entity."""

    def _query_items(self) -> list:
        statement = self._query_args["select"].limit(self.per_page).offset(self._query_offset)
        return [tuple(row) for row in self._query_args["session"].execute(statement).all()]


def attendees_page(event: Event, viewer: User | None, page: int) -> tuple[Pagination, list[Attendee]]:
    """A page of everyone going who agreed to be listed (two queries)."""
    pagination = _RowsPagination(
        select=_going_listed(event, viewer),
        session=db.session,
        page=page,
        per_page=ATTENDEES_PER_PAGE,
        error_out=False,
    )
    return pagination, _views(pagination.items, viewer)


# -- lists of events ---------------------------------------------------------------------


@dataclass
class EventCard:
    """An event in a list, with what a card shows beside it."""

    event: Event
    seats_left: int | None
    my_status: RSVPStatus | None = None


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
    """Seats left and the viewer's own RSVP for each event: two queries for the whole list."""
    ids = [event.id for event in events]
    taken: dict[int, int] = {}
    mine: dict[int, RSVPStatus] = {}
    if ids:
        taken = dict(
            db.session.execute(
                select(RSVP.event_id, func.coalesce(func.sum(1 + RSVP.guests), 0))
                .where(RSVP.event_id.in_(ids), RSVP.status.in_(SEAT_HOLDING))
                .group_by(RSVP.event_id)
            ).all()
        )
        if viewer is not None:
            mine = dict(
                db.session.execute(
                    select(RSVP.event_id, RSVP.status).where(
                        RSVP.event_id.in_(ids), RSVP.user_id == viewer.id
                    )
                ).all()
            )
    return [
        EventCard(
            event=event,
            seats_left=None
            if event.capacity is None
            else max(event.capacity - int(taken.get(event.id, 0)), 0),
            my_status=mine.get(event.id),
        )
        for event in events
    ]
