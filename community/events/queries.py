"""Reading events: one event, lists of events as cards for the public pages, and the
organizer's list by tab. Every function runs a fixed number of queries, whatever the number
of RSVPs; what a card says of seats comes from the feature that keeps them (events.hooks).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import Select, and_, bindparam, case, func, or_, select
from sqlalchemy.orm import aliased, contains_eager, joinedload

from community.auth.models import User
from community.communities.models import Community, Membership
from community.communities.permissions import is_member
from community.core import page_versions
from community.core.models import utcnow
from community.core.public_pages import PageState
from community.core.reads import read_first
from community.core.sections import section
from community.events.hooks import EVENT_CARD_DETAILS, CardDetails
from community.events.models import Event, EventSeries, EventStatus, EventVisibility
from community.events.timing import describe_rhythm, short_when
from community.extensions import db

PER_PAGE = 20
EVENTS_PER_PAGE = 20
#: A series' card, and an event page of a series, link this many of its later dates.
LATER_DATES_SHOWN = 4

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


#: Built once (bindparams): the first statement of every page of an event, with the version
#: of its community's pages (kept parts of the page are read under it, core.kept).
_EVENT_AT_ADDRESS = (
    select(Event, page_versions.version_column(Community.id))
    .join(Event.community)
    .options(contains_eager(Event.community), joinedload(Event.questions))
    .where(Community.slug == bindparam("slug"), Event.id == bindparam("event_id"))
)


def event_at(slug: str, event_id: int) -> Event | None:
    """The event at /c/<slug>/events/<id>, with its community and questions, in one statement
    (None when that community has no such event)."""
    result = db.session.execute(_EVENT_AT_ADDRESS, {"slug": slug.lower(), "event_id": event_id})
    row = result.unique().first()
    if row is None:
        return None
    event, version = row
    page_versions.note_version(event.community_id, int(version))
    return event


# -- lists of events ---------------------------------------------------------------------


@dataclass(frozen=True)
class SeriesDates:
    """A series seen from one of its events: how often it repeats ("monthly"), its next few
    dates after that event, and how many more come after those."""

    rhythm: str
    later: tuple[Event, ...] = ()
    more: int = 0


@dataclass
class EventCard:
    """An event in a list, with what features add to its card (seats left, your RSVP). An
    upcoming series is one card: its next event, with `series` giving the later dates."""

    event: Event
    details: CardDetails = field(default_factory=CardDetails)
    series: SeriesDates | None = None

    @property
    def when(self) -> str:
        """ "Sat 14 Jun 2027, 18:30 BST", "Fri 29 – Sun 31 Jan 2027"."""
        event = self.event
        return short_when(event.starts_at, event.ends_at, event.timezone, event.all_day)


def _visible_in_list(statement: Select, is_a_member: bool) -> Select:
    visibilities = [EventVisibility.PUBLIC]
    if is_a_member:
        visibilities.append(EventVisibility.MEMBERS)
    return statement.where(
        Event.status.in_([EventStatus.PUBLISHED, EventStatus.CANCELLED]),
        Event.visibility.in_(visibilities),
    )


def _next_of_each_series(statement: Select, now: datetime) -> Select:
    """Keep, of each series, only its next event still to come: one card stands for the
    series. Events of a series that differ in status (a cancelled date) or visibility make a
    card of their own, so that a card's later dates share what it says of them."""
    sibling = aliased(Event)
    earlier = (
        select(sibling.id)
        .where(
            sibling.series_id == Event.series_id,
            sibling.status == Event.status,
            sibling.visibility == Event.visibility,
            sibling.ends_at > now,
            or_(
                sibling.starts_at < Event.starts_at,
                and_(sibling.starts_at == Event.starts_at, sibling.id < Event.id),
            ),
        )
        .exists()
    )
    return statement.where(or_(Event.series_id.is_(None), ~earlier))


def community_events(
    community: Community,
    membership: Membership | None,
    *,
    past: bool,
    page: int,
    now: datetime,
    per_page: int = PER_PAGE,
):
    """The community's events this viewer may see in a list: upcoming soonest first (a series
    as its next event), or past newest first. Unlisted events and drafts are never listed."""
    statement = _visible_in_list(
        select(Event).where(Event.community_id == community.id), is_member(membership)
    )
    if past:
        statement = statement.where(Event.ends_at <= now).order_by(Event.starts_at.desc(), Event.id.desc())
    else:
        statement = _next_of_each_series(statement.where(Event.ends_at > now), now)
        statement = statement.order_by(Event.starts_at, Event.id)
    return db.paginate(statement, page=page, per_page=per_page, error_out=False)


def public_upcoming(*, page: int, now: datetime, per_page: int = PER_PAGE):
    """Public, published events still to come across all communities, soonest first (a
    series as its next event)."""
    statement = (
        select(Event)
        .join(Event.community)
        .options(contains_eager(Event.community))
        .where(
            Event.status == EventStatus.PUBLISHED,
            Event.visibility == EventVisibility.PUBLIC,
            Event.ends_at > now,
            Community.suspended_at.is_(None),
        )
    )
    statement = _next_of_each_series(statement, now).order_by(Event.starts_at, Event.id)
    return db.paginate(statement, page=page, per_page=per_page, error_out=False)


def _later_in_series(
    events: list[Event], now: datetime, *, visibilities: tuple[EventVisibility, ...] | None = None
) -> dict[int, SeriesDates]:
    """For each event of a series: the series' later events still to come (one query for
    them all). In a list (no `visibilities`), only an event still to come has them, and a
    later event counts when it has the event's status and visibility, as in
    _next_of_each_series; on an event page, the published ones of `visibilities` count."""
    listing = visibilities is None
    ours = [event for event in events if event.series_id is not None and (event.ends_at > now or not listing)]
    if not ours:
        return {}
    statement = (
        select(Event, EventSeries)
        .join(EventSeries, EventSeries.id == Event.series_id)
        .where(Event.series_id.in_({event.series_id for event in ours}), Event.ends_at > now)
        .order_by(Event.starts_at, Event.id)
    )
    if listing:
        statement = statement.where(Event.status.in_([EventStatus.PUBLISHED, EventStatus.CANCELLED]))
    else:
        statement = statement.where(Event.status == EventStatus.PUBLISHED, Event.visibility.in_(visibilities))
    rows = db.session.execute(statement).all()
    rhythms = {series.id: describe_rhythm(series.frequency, series.interval) for _, series in rows}
    found = {}
    for event in ours:
        later = [
            other
            for other, _ in rows
            if other.series_id == event.series_id
            and (other.starts_at, other.id) > (event.starts_at, event.id)
            and (not listing or (other.status, other.visibility) == (event.status, event.visibility))
        ]
        if event.series_id in rhythms:
            found[event.id] = SeriesDates(
                rhythm=rhythms[event.series_id],
                later=tuple(later[:LATER_DATES_SHOWN]),
                more=max(len(later) - LATER_DATES_SHOWN, 0),
            )
    return found


def series_dates(
    event: Event, visibilities: tuple[EventVisibility, ...], now: datetime
) -> SeriesDates | None:
    """The event page's "Next: 12 Jan, 9 Feb": the series' later published events still to
    come that the viewer may see (one query; none for an event outside a series)."""
    return _later_in_series([event], now, visibilities=visibilities).get(event.id)


def event_cards(events: list[Event], viewer: User | None, now: datetime | None = None) -> list[EventCard]:
    """The cards of a list, with what the feature that keeps seats adds and, for a series
    still to come, its later dates (a fixed number of queries for the whole list)."""
    now = now or utcnow()
    added = section(EVENT_CARD_DETAILS, events, viewer) if events else None
    cards = added["cards"] if added else {}
    series = _later_in_series(events, now)
    return [
        EventCard(event=event, details=cards.get(event.id, CardDetails()), series=series.get(event.id))
        for event in events
    ]


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


#: Built once: a statement object keeps its compiled form's cache key, so a visitor's stored
#: page costs this one statement and little Python around it.
_EVENT_PAGE_STATE = (
    select(Event.status, Event.visibility, Event.community_id, page_versions.version_column(Community.id))
    .join(Community, Community.id == Event.community_id)
    .where(Community.slug == bindparam("slug"), Event.id == bindparam("event_id"))
)


def event_page_state(slug: str, event_id: int) -> PageState | None:
    """What a visitor's event page is stored under (one statement): its community's page
    version; None for a page that is not the same for every visitor (members-only, a draft)."""
    values = {"slug": slug.lower(), "event_id": event_id}
    row = read_first(_EVENT_PAGE_STATE, values)
    if row is None:
        return None
    status, visibility, community_id, version = row
    if status == EventStatus.DRAFT or visibility == EventVisibility.MEMBERS:
        return None
    return PageState(key=f"v{version}", community_id=community_id)


def next_change(community_id: int | None, now: datetime) -> datetime | None:
    """The first moment after `now` at which one of the community's events (every community's
    with None) starts, ends or closes its RSVPs: visitors' pages change then without a write."""
    statement = select(
        func.min(Event.starts_at).filter(Event.starts_at > now),
        func.min(Event.ends_at).filter(Event.ends_at > now),
        func.min(Event.rsvp_deadline).filter(Event.rsvp_deadline > now),
    ).where(Event.status != EventStatus.DRAFT)
    if community_id is not None:
        statement = statement.where(Event.community_id == community_id)
    moments = [moment for moment in db.session.execute(statement).one() if moment is not None]
    return min(moments, default=None)
