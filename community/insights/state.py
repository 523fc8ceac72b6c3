"""The state the Insights figures are computed from, read in one statement: the key they are kept
under in the shared cache (core.cache), so that a repeat view costs that statement, and any change
is a new key, never a stale hit.

What the figures read, and what the key names for it:
- events, RSVPs (check-ins included), memberships and the community: the community's page
  version (core.page_versions raises it on any change to those rows);
- introductions, connections made at the community's events and "member left" entries, which
  that version does not follow: a fingerprint of each (count, highest id, and what can change
  on a row: an introduction's status and answer time);
- the clock: the month of `now` (figures bucketed by month), and how many published events have
  started by `now` and by each boundary the figures compare start times with (the period's start,
  6 and 18 months ago: the drifting-away rule). Passing a boundary changes one of those counts.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import case, func, literal, select, true

from community.core.audit import AuditEntry
from community.core.page_versions import version_column
from community.engagement.periods import months_before
from community.events.models import Event, EventStatus
from community.extensions import db
from community.insights.trends import ACTIVE_MONTHS, LEFT_ACTIONS, month_of
from community.introductions.models import ConnectionMoment, Introduction, IntroductionStatus

#: The cache keys' prefix; bump it when the figures' definition or their classes change.
PREFIX = "insights:v1"
#: Kept at most this long (seconds); a changed state is a new key well before.
TIMEOUT = 6 * 3600


def _before(boundary: datetime):
    return func.count(case((Event.starts_at < boundary, 1)))


def state_key(community_id: int, period: str, since: datetime | None, now: datetime) -> str:
    """The cache key of the figures of `community_id` for `period` at `now` (one statement)."""
    events = (
        select(
            func.count(case((Event.starts_at <= now, 1))).label("started"),
            _before(since if since is not None else now).label("before_period"),
            _before(months_before(now, ACTIVE_MONTHS)).label("before_recent"),
            _before(months_before(now, ACTIVE_MONTHS + 12)).label("before_earlier"),
        )
        .where(Event.community_id == community_id, Event.status == EventStatus.PUBLISHED)
        .subquery()
    )
    accepted = Introduction.status == IntroductionStatus.ACCEPTED
    introductions = (
        select(
            func.count().label("count"),
            func.max(Introduction.id).label("last"),
            func.count(case((accepted, 1))).label("accepted"),
            func.max(Introduction.answered_at).label("answered"),
        )
        .where(Introduction.community_id == community_id)
        .subquery()
    )
    moments = (
        select(
            func.count().label("count"),
            func.max(ConnectionMoment.id).label("last"),
            func.sum(ConnectionMoment.connection_id).label("connections"),
            func.max(ConnectionMoment.happened_at).label("happened"),
        )
        .join(Event, Event.id == ConnectionMoment.event_id)
        .where(Event.community_id == community_id)
        .subquery()
    )
    left = (
        select(func.count().label("count"), func.max(AuditEntry.id).label("last"))
        .where(AuditEntry.community_id == community_id, AuditEntry.action.in_(LEFT_ACTIONS))
        .subquery()
    )
    row = db.session.execute(
        select(version_column(literal(community_id)), events, introductions, moments, left)
        .select_from(events)
        .join(introductions, true())
        .join(moments, true())
        .join(left, true())
    ).one()
    parts = ":".join("" if value is None else str(value) for value in row)
    return f"{PREFIX}:{community_id}:{period}:{month_of(now)}:{parts}"
