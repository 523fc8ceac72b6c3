"""When each person last came to a community's events: checked in at an event that is over.

Manage -> Members (communities, a lower package) filters and shows it through
core.sections.MEMBER_LAST_ATTENDED, so it is a selectable to join, not rows.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Subquery, func, select

from community.events.models import Event, EventStatus
from community.rsvps.models import RSVP


def last_attended(community_id: int, now: datetime) -> Subquery:
    """(user_id, last_attended_at): the start of the latest published, ended event of the community
    each person was checked in at; nobody who never came has a row."""
    return (
        select(RSVP.user_id.label("user_id"), func.max(Event.starts_at).label("last_attended_at"))
        .join(Event, Event.id == RSVP.event_id)
        .where(
            Event.community_id == community_id,
            Event.status == EventStatus.PUBLISHED,
            Event.ends_at <= now,
            RSVP.checked_in_at.is_not(None),
        )
        .group_by(RSVP.user_id)
        .subquery("last_attended")
    )
