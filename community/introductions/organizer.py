"""What the organizers' introduction screens show: counts, never notes; who chose each topic;
whom an organizer may introduce at an event."""

from __future__ import annotations

from sqlalchemy import func, select

from community.auth.models import User
from community.communities.models import Community
from community.events.models import Event
from community.extensions import db
from community.introductions.models import (
    FollowUp,
    Introduction,
    IntroductionStatus,
    OptIn,
    OptInTopic,
    Topic,
)
from community.introductions.optins import ATTENDING
from community.rsvps.models import RSVP


def topic_choice_counts(community: Community) -> dict[int, int]:
    """How many opt-ins ticked each of the community's topics (either side), by topic id."""
    rows = db.session.execute(
        select(OptInTopic.topic_id, func.count(func.distinct(OptInTopic.opt_in_id)))
        .join(Topic, Topic.id == OptInTopic.topic_id)
        .where(Topic.community_id == community.id)
        .group_by(OptInTopic.topic_id)
    )
    return {topic_id: count for topic_id, count in rows}


def attendees_by_name(event: Event) -> list[tuple[User, bool]]:
    """Everyone attending `event` (going or waitlisted), by name, with whether they opted in
    to introductions: whom an organizer may introduce (one query)."""
    rows = db.session.execute(
        select(User, OptIn.id)
        .join(RSVP, RSVP.user_id == User.id)
        .outerjoin(OptIn, (OptIn.event_id == RSVP.event_id) & (OptIn.user_id == User.id))
        .where(RSVP.event_id == event.id, RSVP.status.in_(ATTENDING), User.deleted_at.is_(None))
        .order_by(func.lower(User.name), User.id)
    )
    return [(user, opt_in_id is not None) for user, opt_in_id in rows]


def counts_at(event: Event) -> dict[IntroductionStatus, int]:
    """How many introductions at `event` are in each state."""
    rows = db.session.execute(
        select(Introduction.status, func.count())
        .where(Introduction.event_id == event.id)
        .group_by(Introduction.status)
    )
    counts = dict.fromkeys(IntroductionStatus, 0)
    counts.update({status: count for status, count in rows})
    return counts


def followups_sent(event: Event) -> int:
    """How many people have been asked "Who did you meet?" about `event`."""
    return db.session.scalar(select(func.count()).select_from(FollowUp).where(FollowUp.event_id == event.id))
