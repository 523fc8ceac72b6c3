"""Reading RSVPs for attendees and the public pages: someone's RSVP, seats taken, the
waitlist, headcounts and who's going. Every function runs a fixed number of queries,
whatever the number of RSVPs; which statuses hold seats is the policy's.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from flask_sqlalchemy.pagination import Pagination, SelectPagination
from sqlalchemy import ColumnElement, Select, and_, func, inspect, or_, select

from community.auth.models import User
from community.communities.models import Membership
from community.core.kept import kept_in_community
from community.core.per_request import recall, remember
from community.events.models import Event
from community.extensions import db
from community.members.models import Profile
from community.members.people import (
    NAME_CARD_COLUMNS,
    NameCard,
    cards_seen_by,
    is_active_member_of,
    seen_otherwise_by_themselves,
    sees_as_a_member,
    shares_a_community_with,
)
from community.rsvps import policy
from community.rsvps.models import RSVP, RSVPStatus

#: Names shown on the event page itself; the rest are on the attendees page.
ATTENDEES_ON_PAGE = 48
ATTENDEES_PER_PAGE = 100


def rsvp_of(event: Event, user: User) -> RSVP | None:
    return rsvp_by(event, user.id)


def rsvp_by(event: Event, user_id: int) -> RSVP | None:
    """The person's RSVP to the event, read once a request however many parts of the page ask
    (an RSVP found is kept by id; the session's identity map hands the same object back)."""
    key = ("rsvp", event.id, user_id)
    rsvp_id = recall(key)
    if rsvp_id is not None:
        rsvp = db.session.get(RSVP, rsvp_id)
        if rsvp is not None and not inspect(rsvp).was_deleted:
            return rsvp
    rsvp = db.session.scalar(select(RSVP).where(RSVP.event_id == event.id, RSVP.user_id == user_id))
    if rsvp is not None:
        remember(key, rsvp.id)
    return rsvp


def _seats_sum():
    return func.coalesce(func.sum(1 + RSVP.guests), 0)


def seats_taken(event: Event) -> int:
    """Seats held against the capacity, guests included."""
    return (
        db.session.scalar(
            select(_seats_sum()).where(RSVP.event_id == event.id, RSVP.status.in_(policy.SEAT_HOLDING))
        )
        or 0
    )


def seats_left(event: Event) -> int | None:
    """None when the event has no capacity limit."""
    return policy.seats_left(event.capacity, seats_taken(event))


def seats_taken_by_event(event_ids: list[int]) -> dict[int, int]:
    """Seats taken for many events in one query (events nobody answered are left out)."""
    if not event_ids:
        return {}
    rows = db.session.execute(
        select(RSVP.event_id, _seats_sum())
        .where(RSVP.event_id.in_(event_ids), RSVP.status.in_(policy.SEAT_HOLDING))
        .group_by(RSVP.event_id)
    )
    return {event_id: int(seats) for event_id, seats in rows.all()}


def statuses_of(user: User | None, event_ids: list[int]) -> dict[int, RSVPStatus]:
    """The person's RSVP status for each of the events they answered, in one query."""
    if user is None or not event_ids:
        return {}
    rows = db.session.execute(
        select(RSVP.event_id, RSVP.status).where(RSVP.event_id.in_(event_ids), RSVP.user_id == user.id)
    )
    return dict(rows.all())


def waitlist(event: Event) -> list[RSVP]:
    """The waitlist in order: first come, first served."""
    return list(
        db.session.scalars(
            select(RSVP)
            .where(RSVP.event_id == event.id, RSVP.status == RSVPStatus.WAITLISTED)
            .order_by(RSVP.queued_at, RSVP.id)
        )
    )


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
        return policy.seats_taken(self.seats)

    @property
    def seats_left(self) -> int | None:
        return policy.seats_left(self.capacity, self.taken)


def headcount(event: Event) -> Headcount:
    rows = db.session.execute(
        select(RSVP.status, RSVP.listed, func.count(RSVP.id), _seats_sum())
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


# -- who's going -------------------------------------------------------------------------


def _going_listed(event: Event, viewer: User | None, shared: ColumnElement[bool] | None = None) -> Select:
    """People going who agreed to be listed, with whether they share a community with the
    viewer (or `shared`). Only the columns a name card shows are loaded (ProfileView reads
    nothing else)."""
    return (
        select(User, Profile, shares_a_community_with(viewer) if shared is None else shared)
        .join(RSVP, RSVP.user_id == User.id)
        .outerjoin(Profile, Profile.user_id == User.id)
        .options(*NAME_CARD_COLUMNS)
        .where(
            RSVP.event_id == event.id,
            RSVP.status == RSVPStatus.GOING,
            RSVP.listed.is_(True),
            User.deleted_at.is_(None),
        )
        .order_by(RSVP.queued_at, RSVP.id)
    )


def _views(rows, viewer: User | None) -> list[NameCard]:
    """People as the viewer may see them; someone whose name is hidden from them is left out."""
    return cards_seen_by(viewer, rows)[0]


@dataclass(frozen=True)
class _GoingAsMembersSeeIt:
    cards: list[NameCard]
    #: Who would see themselves otherwise on the list (seen_otherwise_by_themselves).
    seen_otherwise: frozenset[int]
    #: Everyone on it is an active member of the event's community: every member sees it alike.
    alike: bool


def attendees(
    event: Event, viewer: User | None, limit: int = ATTENDEES_ON_PAGE, membership: Membership | None = None
) -> list[NameCard]:
    """The first people going who agreed to be listed (one query; none for a member of the
    event's community when the list is kept as members see it, core.kept)."""
    if sees_as_a_member(viewer, membership):
        key = ("going", event.id, limit)
        found = kept_in_community(event.community_id, key, lambda: _going_as_members_see_it(event, limit))
        if found.alike and viewer.id not in found.seen_otherwise:
            return found.cards
    rows = db.session.execute(_going_listed(event, viewer).limit(limit)).all()
    return _views(rows, viewer)


def _going_as_members_see_it(event: Event, limit: int) -> _GoingAsMembersSeeIt:
    statement = _going_listed(event, None, shared=is_active_member_of(event.community_id))
    rows = db.session.execute(statement.limit(limit)).all()
    return _GoingAsMembersSeeIt(
        cards=_views(rows, None),
        seen_otherwise=seen_otherwise_by_themselves(rows),
        alike=all(row[2] for row in rows),
    )


def page_headcount(event: Event) -> Headcount:
    """The headcount an event's page shows (never for deciding seats: `headcount`), kept under
    its community's version (core.kept) when this request has changed nothing."""
    return kept_in_community(event.community_id, ("headcount", event.id), lambda: headcount(event))


class _RowsPagination(SelectPagination):
    """A page of result rows (several entities per row), not only the first entity."""

    def _query_items(self) -> list:
        statement = self._query_args["select"].limit(self.per_page).offset(self._query_offset)
        return [tuple(row) for row in self._query_args["session"].execute(statement).all()]


def attendees_page(event: Event, viewer: User | None, page: int) -> tuple[Pagination, list[NameCard]]:
    """A page of everyone going who agreed to be listed (two queries)."""
    pagination = _RowsPagination(
        select=_going_listed(event, viewer),
        session=db.session,
        page=page,
        per_page=ATTENDEES_PER_PAGE,
        error_out=False,
    )
    return pagination, _views(pagination.items, viewer)
