"""What goes in a person's digest: upcoming events in their communities (those their connections
are going to first, with who), new members who match what they can help with or look for (or
share their cohort), fading connections, introductions waiting for them, and goal progress.

"New" is what happened since `since` (their last visit or last digest): events created, members
who joined, connections that began to fade, introductions asked. A digest with nothing new is
not sent; goal progress alone is never news."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from community.auth.models import User
from community.communities.models import Membership, MembershipStatus
from community.engagement.models import DigestFrequency
from community.engagement.periods import months_before
from community.engagement.progress import GoalProgress, goal_progress
from community.engagement.queries import ConnectionState, fading_connections
from community.events.models import Event, EventStatus, EventVisibility
from community.extensions import db
from community.introductions.connections import connected_ids
from community.introductions.lists import waiting_for
from community.introductions.models import Introduction
from community.members.models import Profile
from community.members.people import seen_by
from community.members.permissions import Audience, ProfileView
from community.rsvps.models import RSVP, RSVPStatus

#: How far ahead the events of a digest look.
HORIZON = {DigestFrequency.WEEKLY: timedelta(days=14), DigestFrequency.MONTHLY: timedelta(days=45)}
EVENTS_SHOWN = 8
MEMBERS_SHOWN = 6
FRIENDS_NAMED = 1


@dataclass(frozen=True)
class DigestEvent:
    event: Event
    friends: list[str]  # the connections going (listed), by name
    new: bool

    @property
    def with_line(self) -> str:
        """ "with Greta and 2 others" (the others: connections going), or ""."""
        if not self.friends:
            return ""
        named, others = self.friends[:FRIENDS_NAMED], len(self.friends) - FRIENDS_NAMED
        if others <= 0:
            return f"with {named[0]}"
        return f"with {named[0]} and {others} other{'s' if others != 1 else ''}"


@dataclass(frozen=True)
class NewMember:
    user_id: int
    name: str
    community: str
    reasons: list[str]  # "can help with PM career advice, which you are looking for"


@dataclass(frozen=True)
class FadingPerson:
    user_id: int
    name: str
    last_contact: datetime
    new: bool


@dataclass
class Digest:
    person: User
    since: datetime
    events: list[DigestEvent] = field(default_factory=list)
    members: list[NewMember] = field(default_factory=list)
    fading: list[FadingPerson] = field(default_factory=list)
    introductions: list[Introduction] = field(default_factory=list)
    goals: list[GoalProgress] = field(default_factory=list)

    @property
    def has_news(self) -> bool:
        """Something happened since `since`: only then is the digest sent."""
        return (
            any(item.new for item in self.events)
            or bool(self.members)
            or any(item.new for item in self.fading)
            or any(intro.created_at > self.since for intro in self.introductions)
        )


def _community_ids(user_id: int) -> list[int]:
    return list(
        db.session.scalars(
            select(Membership.community_id).where(
                Membership.user_id == user_id, Membership.status == MembershipStatus.ACTIVE
            )
        )
    )


def _names(viewer: User, ids: set[int]) -> dict[int, str]:
    """How `viewer` sees each of `ids` by name (people they share a community with); hidden: left out."""
    if not ids:
        return {}
    rows = db.session.execute(
        select(User, Profile).outerjoin(Profile, Profile.user_id == User.id).where(User.id.in_(ids))
    ).all()
    names = {}
    for user, profile in rows:
        view = seen_by(viewer, user, profile, True)
        if view is not None and view.name and user.deleted_at is None:
            names[user.id] = view.name
    return names


def upcoming_events(
    viewer: User,
    communities: list[int],
    friends: set[int],
    since: datetime,
    now: datetime,
    horizon: timedelta,
) -> list[DigestEvent]:
    """Published, listed (public or members) events of the viewer's communities starting within
    `horizon`, those connections are going to first (two queries)."""
    if not communities:
        return []
    events = list(
        db.session.scalars(
            select(Event)
            .options(joinedload(Event.community))
            .where(
                Event.community_id.in_(communities),
                Event.status == EventStatus.PUBLISHED,
                Event.visibility.in_([EventVisibility.PUBLIC, EventVisibility.MEMBERS]),
                Event.ends_at > now,
                Event.starts_at <= now + horizon,
            )
            .order_by(Event.starts_at, Event.id)
        )
    )
    going: dict[int, list[int]] = defaultdict(list)
    if events and friends:
        rows = db.session.execute(
            select(RSVP.event_id, RSVP.user_id).where(
                RSVP.event_id.in_([event.id for event in events]),
                RSVP.user_id.in_(friends),
                RSVP.status == RSVPStatus.GOING,
                RSVP.listed.is_(True),
            )
        ).all()
        for event_id, user_id in rows:
            going[event_id].append(user_id)
    names = _names(viewer, {user_id for ids in going.values() for user_id in ids})
    found = [
        DigestEvent(
            event,
            sorted((names[i] for i in going[event.id] if i in names), key=str.casefold),
            event.created_at > since,
        )
        for event in events
    ]
    found.sort(key=lambda item: (not item.friends, item.event.starts_at, item.event.id))
    return found[:EVENTS_SHOWN]


def _words(values: list[str]) -> dict[str, str]:
    return {value.strip().casefold(): value.strip() for value in values if value and value.strip()}


def match_reasons(mine: ProfileView, theirs: ProfileView) -> list[str]:
    """Why two people should talk, from what each may see of the other's profile (pure)."""
    reasons = []
    looking, helping = _words(mine.looking_for), _words(mine.can_help_with)
    for key, value in _words(theirs.can_help_with).items():
        if key in looking:
            reasons.append(f"can help with {value}, which you are looking for")
    for key, value in _words(theirs.looking_for).items():
        if key in helping:
            reasons.append(f"is looking for {value}, which you can help with")
    return reasons


def new_members(viewer: User, since: datetime, now: datetime) -> list[NewMember]:
    """Who joined the viewer's communities since `since` and matches them, or shares their
    cohort there; only what each profile shows other members (two queries)."""
    mine = db.session.execute(
        select(Membership, Profile)
        .outerjoin(Profile, Profile.user_id == Membership.user_id)
        .options(joinedload(Membership.community))
        .where(Membership.user_id == viewer.id, Membership.status == MembershipStatus.ACTIVE)
    ).all()
    if not mine:
        return []
    my_view = ProfileView(viewer, mine[0][1], Audience.SELF)
    cohorts = {membership.community_id: membership.cohort for membership, _ in mine}
    community_names = {membership.community_id: membership.community.name for membership, _ in mine}
    rows = db.session.execute(
        select(Membership, User, Profile)
        .join(User, User.id == Membership.user_id)
        .outerjoin(Profile, Profile.user_id == User.id)
        .where(
            Membership.community_id.in_(cohorts),
            Membership.status == MembershipStatus.ACTIVE,
            Membership.joined_at > since,
            Membership.joined_at <= now,
            Membership.user_id != viewer.id,
            User.deleted_at.is_(None),
        )
        .order_by(Membership.joined_at, Membership.id)
    ).all()
    found: dict[int, NewMember] = {}
    for membership, user, profile in rows:
        view = seen_by(viewer, user, profile, True)
        if view is None or user.id in found:
            continue
        reasons = match_reasons(my_view, view)
        cohort = cohorts[membership.community_id]
        if cohort and membership.cohort == cohort:
            reasons.insert(0, f"is in your cohort, {cohort}")
        if reasons:
            found[user.id] = NewMember(user.id, view.name, community_names[membership.community_id], reasons)
    return list(found.values())[:MEMBERS_SHOWN]


def fading_people(viewer: User, since: datetime, now: datetime) -> list[FadingPerson]:
    """The viewer's fading connections (not snoozed); `new` if they began to fade after `since`."""
    states: list[ConnectionState] = fading_connections(viewer.id, now)
    names = _names(viewer, {state.other_id for state in states})
    return [
        FadingPerson(
            state.other_id,
            names[state.other_id],
            state.last_contact,
            new=state.last_contact > months_before(since, state.months),
        )
        for state in states
        if state.other_id in names
    ]


def build_digest(person: User, frequency: DigestFrequency, since: datetime, now: datetime) -> Digest:
    """Everything in the person's digest now (a fixed number of queries, plus one per goal)."""
    communities = _community_ids(person.id)
    return Digest(
        person=person,
        since=since,
        events=upcoming_events(person, communities, connected_ids(person.id), since, now, HORIZON[frequency]),
        members=new_members(person, since, now),
        fading=fading_people(person, since, now),
        introductions=waiting_for(person, now),
        goals=goal_progress(person.id, now),
    )
