"""What each feed lists: one query per feed, and the rows its ETag is computed from."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Row, func, or_, select
from sqlalchemy.orm import contains_eager

from community.auth.models import User
from community.communities.models import Community, Membership, MembershipStatus
from community.events.models import Event, EventStatus, EventVisibility
from community.extensions import db
from community.rsvps.models import RSVP, RSVPStatus

#: Feeds list what is coming and what happened in the past year.
HISTORY = timedelta(days=365)
IN_FEEDS = (EventStatus.PUBLISHED, EventStatus.CANCELLED)  # cancelled ones stay, marked so
#: RSVPs that put an event in someone's personal feed (all but "going" as tentative).
ON_MY_CALENDAR = (RSVPStatus.GOING, RSVPStatus.WAITLISTED, RSVPStatus.OFFERED, RSVPStatus.PENDING)


def _in_community_feed(community: Community, now: datetime):
    return (
        Event.community_id == community.id,
        Event.visibility == EventVisibility.PUBLIC,
        Event.status.in_(IN_FEEDS),
        Event.ends_at >= now - HISTORY,
    )


def community_feed_rows(community: Community, now: datetime) -> list[Row]:
    """The community feed's events as plain rows: enough for its ETag, its VTIMEZONEs and
    finding stored VEVENTs, without loading whole events (a 304 needs nothing more)."""
    return list(
        db.session.execute(
            select(
                Event.id, Event.sequence, Event.updated_at, Event.status,
                Event.starts_at, Event.ends_at, Event.timezone, Event.all_day,
            )
            .where(*_in_community_feed(community, now))
            .order_by(Event.starts_at, Event.id)
        )
    )  # fmt: skip


@dataclass(frozen=True)
class FeedSummary:
    """Enough to tell whether a feed changed: any edit bumps an event's updated_at (the
    latest), an event joining or leaving the feed changes the count and the sum of ids."""

    count: int
    last_updated: datetime | None
    id_sum: int


def community_feed_summary(community: Community, now: datetime) -> FeedSummary:
    """One aggregate row: what a conditional GET is answered from."""
    count, last_updated, id_sum = db.session.execute(
        select(func.count(Event.id), func.max(Event.updated_at), func.coalesce(func.sum(Event.id), 0)).where(
            *_in_community_feed(community, now)
        )
    ).one()
    return FeedSummary(count=count, last_updated=last_updated, id_sum=int(id_sum))


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
