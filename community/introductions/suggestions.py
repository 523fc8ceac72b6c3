"""The people behind "Meet people": opted-in attendees as the viewer may see them, ranked.

A fixed number of queries whatever the size of the event (the tests count them): the
attendees with their profiles and opt-ins, their topics, the viewer's connections among
them, the people the viewer attended earlier events with, and their connections' industries.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import String, and_, or_, select, true, type_coerce
from sqlalchemy.orm import aliased, load_only

from community.auth.models import User
from community.communities.models import Membership, MembershipStatus
from community.events.models import Event
from community.extensions import db
from community.introductions.connections import connected_ids, joins
from community.introductions.matching import Person, Suggestion, strong_matches, suggest
from community.introductions.models import Connection, OptIn, OptInTopic, Topic, TopicSide
from community.introductions.optins import ATTENDING
from community.members.models import Profile, Visibility, level_in
from community.members.people import seen_by, shares_a_community_with
from community.members.permissions import Audience, ProfileView
from community.rsvps.models import RSVP, RSVPStatus

SHOWN_FIRST = 10
#: The profile columns matching and the name cards read (ProfileView reads nothing else).
MATCHED_COLUMNS = (
    "user_id", "headline", "visibility", "name_visibility", "organisation", "job_title", "industry",
    "skills", "interests", "can_help_with", "looking_for", "photo_content_type", "updated_at",
)  # fmt: skip


@dataclass(frozen=True)
class MeetPage:
    viewer: Person
    suggestions: list[Suggestion]  # best first
    known: list[ProfileView]  # existing connections who are coming (and listed), by name
    views: dict[int, ProfileView]  # for names, headlines and avatars
    #: How many others opted in (suggested or not: a connection is not suggested).
    others_opted_in: int = 0

    def first(self, count: int = SHOWN_FIRST) -> list[Suggestion]:
        return self.suggestions[:count]


def _person(
    view: ProfileView, talk_about: str, topics: dict[TopicSide, frozenset[str]], cohort: str | None
) -> Person:
    return Person(
        id=view.id,
        name=view.name,
        can_help_with=tuple(view.can_help_with or ()),
        looking_for=tuple(view.looking_for or ()),
        talk_about=talk_about or "",
        skills=tuple(view.skills or ()),
        interests=tuple(view.interests or ()),
        offers=topics.get(TopicSide.OFFERS, frozenset()),
        seeks=topics.get(TopicSide.SEEKS, frozenset()),
        cohort=cohort or "",
        organisation=view.organisation or "",
        industry=view.industry or "",
    )


@dataclass(frozen=True)
class OptedIn:
    view: ProfileView
    person: Person


def _topics(event: Event) -> dict[int, dict[TopicSide, frozenset[str]]]:
    """user id -> side -> the names of the topics they ticked at `event` (one query)."""
    rows = db.session.execute(  # the side as plain text: no enum conversion per row
        select(OptIn.user_id, type_coerce(OptInTopic.side, String), Topic.name)
        .join(OptInTopic, OptInTopic.opt_in_id == OptIn.id)
        .join(Topic, Topic.id == OptInTopic.topic_id)
        .where(OptIn.event_id == event.id)
    )
    found: dict[int, dict[TopicSide, set[str]]] = {}
    for user_id, side, name in rows:
        found.setdefault(user_id, {}).setdefault(TopicSide(side), set()).add(name)
    return {
        user_id: {side: frozenset(names) for side, names in sides.items()} for user_id, sides in found.items()
    }


class _UserRow:
    """The account columns a name card reads, without an ORM object (see `opted_in`)."""

    __slots__ = ("id", "name", "email", "deleted_at")

    def __init__(self, id: int, name: str, email: str):
        self.id, self.name, self.email, self.deleted_at = id, name, email, None


class _ProfileRow:
    """The profile columns matching reads (MATCHED_COLUMNS), with Profile's visibility rule."""

    __slots__ = MATCHED_COLUMNS

    def __init__(self, values: tuple):
        for column, value in zip(MATCHED_COLUMNS, values, strict=True):
            setattr(self, column, value)

    def visibility_of(self, field: str) -> Visibility:
        return level_in(self.visibility, field)


def opted_in(event: Event, viewer: User | None) -> list[OptedIn]:
    """Everyone attending `event` who opted in, as `viewer` may see them (viewer included), or
    with no viewer as the community's members see them (for the organizers' table plans).

    It runs for hundreds of people per page, so it reads plain column values into light row
    objects that ProfileView accepts, rather than ORM objects (whose bookkeeping took half
    of the page's time at 500 attendees; bench/meet_page.py)."""
    cohort = aliased(Membership)
    profile_columns = [getattr(Profile, column) for column in MATCHED_COLUMNS]
    rows = db.session.execute(
        select(
            User.id,
            User.name,
            User.email,
            *profile_columns,
            OptIn.talk_about,
            cohort.cohort,
            shares_a_community_with(viewer) if viewer is not None else true(),
        )  # fmt: skip
        .join(OptIn, OptIn.user_id == User.id)
        .join(RSVP, and_(RSVP.event_id == OptIn.event_id, RSVP.user_id == User.id))
        .outerjoin(Profile, Profile.user_id == User.id)
        .outerjoin(
            cohort,
            and_(
                cohort.user_id == User.id,
                cohort.community_id == event.community_id,
                cohort.status == MembershipStatus.ACTIVE,
            ),
        )
        .where(OptIn.event_id == event.id, RSVP.status.in_(ATTENDING), User.deleted_at.is_(None))
        .order_by(User.id)
    ).all()
    topics = _topics(event)
    found = []
    width = len(MATCHED_COLUMNS)
    for row in rows:
        user = _UserRow(*row[:3])
        values = tuple(row[3 : 3 + width])
        profile = _ProfileRow(values) if values[0] is not None else None
        talk_about, cohort_name, shared = row[3 + width :]
        view = seen_by(viewer, user, profile, shared)
        if view is not None:
            cohort_seen = cohort_name if shared or (viewer is not None and user.id == viewer.id) else None
            found.append(OptedIn(view, _person(view, talk_about, topics.get(user.id, {}), cohort_seen)))
    return found


def strong_pairs(event: Event) -> list[tuple[int, int]]:
    """Opted-in attendees of `event` with a strong "can help with"/"looking for" match, as
    members see their profiles: table plans seat each pair together at least once."""
    return strong_matches([entry.person for entry in opted_in(event, None)])


def _met_before(event: Event, viewer: User, among: set[int]) -> set[int]:
    """People in `among` who went to an earlier event of this community with the viewer."""
    mine, theirs = aliased(RSVP), aliased(RSVP)
    return set(
        db.session.scalars(
            select(theirs.user_id)
            .join(mine, mine.event_id == theirs.event_id)
            .join(Event, Event.id == mine.event_id)
            .where(
                mine.user_id == viewer.id,
                mine.status == RSVPStatus.GOING,
                theirs.status == RSVPStatus.GOING,
                theirs.user_id.in_(among),
                Event.community_id == event.community_id,
                Event.ends_at <= event.starts_at,
            )
            .distinct()
        )
    )


def _known_industries(viewer: User) -> set[str]:
    """Industries of the viewer's connections, as far as they show them to members."""
    other = aliased(User)
    rows = db.session.execute(
        select(other, Profile)
        .join(Connection, or_(Connection.first_id == other.id, Connection.second_id == other.id))
        .join(Profile, Profile.user_id == other.id)
        .where(
            or_(Connection.first_id == viewer.id, Connection.second_id == viewer.id), other.id != viewer.id
        )
    ).all()
    return {
        industry
        for user, profile in rows
        if (industry := ProfileView(user, profile, Audience.MEMBERS).industry)
    }


def _connections_coming(event: Event, viewer: User) -> list[ProfileView]:
    """The viewer's connections going to (or waitlisted for) `event` who agreed to be listed,
    opted in or not, by name (one query)."""
    rows = db.session.execute(
        select(User, Profile, shares_a_community_with(viewer))
        .join(RSVP, and_(RSVP.user_id == User.id, RSVP.event_id == event.id))
        .join(Connection, joins(viewer.id, User.id))
        .outerjoin(Profile, Profile.user_id == User.id)
        .options(
            load_only(User.id, User.name, User.email, User.deleted_at),
            load_only(*(getattr(Profile, column) for column in MATCHED_COLUMNS)),
        )
        .where(RSVP.status.in_(ATTENDING), RSVP.listed.is_(True), User.deleted_at.is_(None))
    ).all()
    views = [view for user, profile, shared in rows if (view := seen_by(viewer, user, profile, shared))]
    return sorted(views, key=lambda view: view.name.casefold())


def meet_page(event: Event, viewer: User) -> MeetPage | None:
    """The viewer's suggestions at `event`, or None if the viewer hasn't opted in."""
    people = opted_in(event, viewer)
    me_person = next((entry.person for entry in people if entry.view.id == viewer.id), None)
    if me_person is None:
        return None
    others = {entry.person.id: entry.person for entry in people if entry.view.id != viewer.id}
    ids = set(others)
    known = connected_ids(viewer.id, among=ids) if ids else set()
    met = _met_before(event, viewer, ids) if ids else set()
    ranked = suggest(
        me_person,
        others.values(),
        connections=frozenset(known),
        met_before=frozenset(met),
        known_industries=_known_industries(viewer),
    )
    return MeetPage(
        viewer=me_person,
        suggestions=ranked,
        known=_connections_coming(event, viewer),
        views={entry.view.id: entry.view for entry in people},
        others_opted_in=len(others),
    )
