"""What each feed lists: one query per feed, and the rows its ETag is computed from."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Row, bindparam, or_, select
from sqlalchemy.orm import contains_eager

from community.auth.models import User
from community.communities.models import Community, Membership, MembershipStatus
from community.core.page_versions import PageVersion
from community.core.reads import read_first
from community.events.models import Event, EventStatus, EventVisibility
from community.extensions import db
from community.rsvps.models import RSVP, RSVPStatus

#: Feeds list what is coming and what happened in the past year.
HISTORY = timedelta(days=365)
IN_FEEDS = (EventStatus.PUBLISHED, EventStatus.CANCELLED)  # cancelled ones stay, marked so
#: RSVPs that put an event in someone's personal feed (all but "going" as tentative).
ON_MY_CALENDAR = (RSVPStatus.GOING, RSVPStatus.WAITLISTED, RSVPStatus.OFFERED, RSVPStatus.PENDING)


def community_feed_rows(community: Community, day: datetime) -> list[Row]:
    """The community feed's events on `day` (its first moment, UTC) as plain rows: enough for
    its VTIMEZONEs and finding stored VEVENTs, without loading whole events. The window starts
    a year before the day, not before the moment, so that the feed is the same all day."""
    return list(
        db.session.execute(
            select(
                Event.id, Event.sequence, Event.updated_at, Event.status,
                Event.starts_at, Event.ends_at, Event.timezone, Event.all_day,
            )
            .where(
                Event.community_id == community.id,
                Event.visibility == EventVisibility.PUBLIC,
                Event.status.in_(IN_FEEDS),
                Event.ends_at >= day - HISTORY,
            )
            .order_by(Event.starts_at, Event.id)
        )
    )  # fmt: skip


@dataclass(frozen=True)
class FeedVersion:
    """What a community's feed is made from, short of its events: its calendar version
    (core.page_versions), which any change to its events, series or the community raises."""

    community_id: int
    suspended: bool
    calendar_version: int
    changed_at: datetime | None


FEED_VERSION = (
    select(
        Community.id, Community.suspended_at, PageVersion.calendar_version, PageVersion.calendar_changed_at
    )
    .outerjoin(PageVersion, PageVersion.community_id == Community.id)
    .where(Community.slug == bindparam("slug"))
)  # built once: a conditional GET is this one statement (feeds.conditional compiles it once)


def feed_version(row: Sequence) -> FeedVersion:
    community_id, suspended_at, calendar_version, changed_at = row
    return FeedVersion(community_id, suspended_at is not None, calendar_version or 0, changed_at)


def community_feed_version(slug: str) -> FeedVersion | None:
    """The community's feed version, in one statement outside the request's transaction
    (core.reads); None for no such community."""
    row = read_first(FEED_VERSION, {"slug": slug.lower()})
    return None if row is None else feed_version(row)


def events_by_id(ids: list[int]) -> dict[int, Event]:
    """Whole events, for the few whose VEVENT must be serialised again."""
    if not ids:
        return {}
    return {event.id: event for event in db.session.scalars(select(Event).where(Event.id.in_(ids)))}


@dataclass(frozen=True)
class PersonalEntry:
    event: Event
    rsvp: RSVP | None  # None: listed because the person asked for all their communities' events


def personal_feed_entries(
    user: User, *, include_community_events: bool, now: datetime
) -> list[PersonalEntry]:
    """Events the person is going to or waiting for; with the option, every published event
    of their active communities too (members-only included, unlisted only if RSVPed)."""
    rsvps = db.session.scalars(
        select(RSVP)
        .join(RSVP.event)
        .join(Event.community)
        .options(contains_eager(RSVP.event).contains_eager(Event.community))
        .where(
            RSVP.user_id == user.id,
            RSVP.status.in_(ON_MY_CALENDAR),
            Event.status.in_(IN_FEEDS),
            Event.ends_at >= now - HISTORY,
        )
    ).all()
    entries = {rsvp.event_id: PersonalEntry(rsvp.event, rsvp) for rsvp in rsvps}
    if include_community_events:
        mine = select(Membership.community_id).where(
            Membership.user_id == user.id, Membership.status == MembershipStatus.ACTIVE
        )
        for event in db.session.scalars(
            select(Event)
            .join(Event.community)
            .options(contains_eager(Event.community))
            .where(
                Event.community_id.in_(mine),
                Event.status.in_(IN_FEEDS),
                or_(Event.visibility == EventVisibility.PUBLIC, Event.visibility == EventVisibility.MEMBERS),
                Event.ends_at >= now - HISTORY,
            )
        ):
            entries.setdefault(event.id, PersonalEntry(event, None))
    return sorted(entries.values(), key=lambda entry: (entry.event.starts_at, entry.event.id))
