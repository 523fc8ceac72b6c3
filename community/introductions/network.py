"""My network: a member's connections with where and when they met, the last event they both
went to, what each can help with, and who is going to upcoming events in the member's
communities. A fixed number of queries however many connections there are (the tests count
them): the connections with their profiles, then, for the page shown, their histories, the
last events together and the upcoming events."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import and_, exists, select
from sqlalchemy.orm import aliased, joinedload

from community.auth.models import User
from community.communities.models import Membership, MembershipStatus
from community.events.models import Event, EventStatus, EventVisibility
from community.extensions import db
from community.introductions import connections
from community.introductions.connections import INTRODUCED
from community.introductions.matching import Person, who_can_help
from community.introductions.models import Connection, ConnectionMoment
from community.members.models import Profile
from community.members.people import shares_a_community_with
from community.members.permissions import Audience, ProfileView
from community.rsvps.models import RSVP, RSVPStatus

#: Upcoming events shown per connection.
UPCOMING_SHOWN = 3


@dataclass
class Contact:
    """One connection as the member sees it."""

    connection: Connection
    user: User
    view: ProfileView  # what they show the member (members' view if they share a community)
    matched: str = ""  # the words of theirs a search matched
    moments: list[str] = field(default_factory=list)  # "met at X, 29 Jan 2027 (introduced)"
    last_together: Event | None = None
    upcoming: list[Event] = field(default_factory=list)

    @property
    def name(self) -> str:
        # Connections were introduced by name (or ticked each other), so the name always shows.
        return self.user.name

    @property
    def initials(self) -> str:
        words = [word for word in self.name.split() if word[:1].isalnum()]
        return "".join(word[0] for word in (words[:1] + words[1:][-1:])).upper() or "?"


def contacts(viewer: User) -> list[Contact]:
    """Everyone `viewer` is connected with, by name (one query)."""
    rows = db.session.execute(
        select(Connection, User, Profile, shares_a_community_with(viewer))
        .join(User, connections.joins(viewer.id, User.id))
        .outerjoin(Profile, Profile.user_id == User.id)
        .where(User.deleted_at.is_(None))
        .order_by(User.name, User.id)
    ).all()
    return [
        Contact(connection, user, ProfileView(user, profile, Audience.MEMBERS if shared else Audience.PUBLIC))
        for connection, user, profile, shared in rows
    ]


def search(found: list[Contact], query: str) -> list[Contact]:
    """Those whose name holds `query`, then those who can help with it (best match first,
    with the words that matched), as the "can help with" matching of suggestions reads it."""
    query = " ".join(query.split())
    if not query:
        return found
    folded = query.casefold()
    by_name = [contact for contact in found if folded in contact.name.casefold()]
    named = {contact.user.id for contact in by_name}
    people = {
        contact.user.id: Person(
            id=contact.user.id,
            name=contact.name,
            can_help_with=tuple(contact.view.can_help_with or ()),
            skills=tuple(contact.view.skills or ()),
        )
        for contact in found
        if contact.user.id not in named
    }
    by_id = {contact.user.id: contact for contact in found}
    helpers = []
    for match in who_can_help(query, people.values()):
        contact = by_id[match.person.id]
        contact.matched = match.phrase
        helpers.append(contact)
    return by_name + helpers


def fill_in(viewer: User, shown: list[Contact], now: datetime) -> None:
    """Add the histories, last events together and upcoming events of the contacts shown
    (three queries)."""
    if not shown:
        return
    ids = [contact.user.id for contact in shown]
    moments = _moments({contact.connection.id for contact in shown})
    last = _last_together(viewer, ids, now)
    upcoming = upcoming_events_of(viewer.id, ids, now)
    for contact in shown:
        contact.moments = moments.get(contact.connection.id, [])
        contact.last_together = last.get(contact.user.id)
        contact.upcoming = upcoming.get(contact.user.id, [])[:UPCOMING_SHOWN]


def moment_line(moment: ConnectionMoment, event: Event | None) -> str:
    """ "met at Class of 2016 reunion, 29 Jan 2027 (introduced)"; the event's date while it
    exists, else the day it happened."""
    title = event.title if event is not None else moment.event_title
    when = event.starts_at.astimezone(_zone(event)) if event is not None else moment.happened_at
    day = f"{when.day} {when:%b %Y}"
    how = "introduced" if moment.how == INTRODUCED else "you both said you met"
    if title:
        return f"met at {title}, {day} ({how})"
    return f"{'introduced' if moment.how == INTRODUCED else 'met'}, {day}"


def _zone(event: Event) -> ZoneInfo:
    try:
        return ZoneInfo(event.timezone)
    except (KeyError, ValueError):
        return ZoneInfo("UTC")


def _moments(connection_ids: set[int]) -> dict[int, list[str]]:
    rows = db.session.execute(
        select(ConnectionMoment, Event)
        .outerjoin(Event, Event.id == ConnectionMoment.event_id)
        .where(ConnectionMoment.connection_id.in_(connection_ids))
        .order_by(ConnectionMoment.happened_at, ConnectionMoment.id)
    ).all()
    lines: dict[int, list[str]] = defaultdict(list)
    for moment, event in rows:
        lines[moment.connection_id].append(moment_line(moment, event))
    return lines


def _last_together(viewer: User, ids: list[int], now: datetime) -> dict[int, Event]:
    """The latest past event each of `ids` went to with the viewer."""
    mine, theirs = aliased(RSVP), aliased(RSVP)
    rows = db.session.execute(
        select(theirs.user_id, Event)
        .join(mine, and_(mine.event_id == theirs.event_id, mine.user_id == viewer.id))
        .join(Event, Event.id == theirs.event_id)
        .options(joinedload(Event.community))
        .where(
            theirs.user_id.in_(ids),
            mine.status == RSVPStatus.GOING,
            theirs.status == RSVPStatus.GOING,
            Event.status == EventStatus.PUBLISHED,
            Event.ends_at <= now,
        )
        .order_by(Event.starts_at.desc(), Event.id.desc())
    ).all()
    last: dict[int, Event] = {}
    for user_id, event in rows:
        last.setdefault(user_id, event)
    return last


def upcoming_events_of(
    viewer_id: int, ids: list[int], now: datetime, *, unanswered_by_viewer: tuple = ()
) -> dict[int, list[Event]]:
    """Upcoming events of the viewer's communities that each of `ids` is going to and shows
    themselves in the list of who's going (one query); with `unanswered_by_viewer` (RSVP
    statuses), only those the viewer has no RSVP of these statuses to."""
    communities = select(Membership.community_id).where(
        Membership.user_id == viewer_id, Membership.status == MembershipStatus.ACTIVE
    )
    conditions = [
        RSVP.user_id.in_(ids),
        RSVP.status == RSVPStatus.GOING,
        RSVP.listed.is_(True),
        Event.community_id.in_(communities),
        Event.status == EventStatus.PUBLISHED,
        Event.visibility.in_([EventVisibility.PUBLIC, EventVisibility.MEMBERS]),
        Event.ends_at > now,
    ]
    if unanswered_by_viewer:
        mine = aliased(RSVP)
        conditions.append(
            ~exists().where(
                mine.event_id == Event.id, mine.user_id == viewer_id, mine.status.in_(unanswered_by_viewer)
            )
        )
    rows = db.session.execute(
        select(RSVP.user_id, Event)
        .join(Event, Event.id == RSVP.event_id)
        .options(joinedload(Event.community))
        .where(*conditions)
        .order_by(Event.starts_at, Event.id)
    ).all()
    going: dict[int, list[Event]] = defaultdict(list)
    for user_id, event in rows:
        going[user_id].append(event)
    return going
