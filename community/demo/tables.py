"""The demo's table plans: the monthly product roundtable's last occurrence has the plan it
used (its history), and the next one a published three-round plan, so organizers see a real
plan with its report beside an earlier try, and Mia Member sees her tables on her ticket."""

from __future__ import annotations

from sqlalchemy import select

from community.auth.models import User
from community.communities.models import Community
from community.core.models import utcnow
from community.events.models import Event, EventKind, EventStatus
from community.extensions import db
from community.rsvps.models import RSVP, RSVPStatus
from community.rsvps.services import respond
from community.tables.models import Seated, TablePlan
from community.tables.services import Settings, TablesError, make_plan


def _series_roundtables(community: Community) -> list[Event]:
    return list(
        db.session.scalars(
            select(Event)
            .where(
                Event.community_id == community.id,
                Event.kind == EventKind.ROUNDTABLE,
                Event.series_id.is_not(None),
                Event.status == EventStatus.PUBLISHED,
            )
            .order_by(Event.starts_at)
        )
    )


def _going(event: Event, person: User) -> None:
    answers = {str(q.id): ("yes" if q.kind == "yes_no" else "") for q in event.questions if q.required}
    rsvp = db.session.scalar(select(RSVP).where(RSVP.event_id == event.id, RSVP.user_id == person.id))
    if rsvp is None or rsvp.status != RSVPStatus.GOING:
        respond(event, person, going=True, answers=answers, notify=False)


def load_demo_tables(logins: dict[str, User]) -> int:
    """Once (skipped when a plan exists). Returns the number of plans made."""
    if db.session.scalar(select(TablePlan.id).limit(1)) is not None:
        return 0
    circle = db.session.scalar(select(Community).where(Community.slug == "product-circle"))
    if circle is None:
        return 0
    now = utcnow()
    events = _series_roundtables(circle)
    past = [e for e in events if e.ends_at < now]
    upcoming = [e for e in events if e.starts_at > now]
    organizer, made = logins["organizer"], 0
    if past:
        try:
            make_plan(past[-1], organizer, Settings(rounds=3, table_size=4, seated=Seated.CHECKED_IN))
            made += 1
        except TablesError:
            pass  # too few came to seat
    if upcoming:
        _going(upcoming[0], logins["member"])
        # A first try the organizer set aside, so "All plans" has two to compare.
        make_plan(upcoming[0], organizer, Settings(rounds=2, table_size=5))
        plan = make_plan(upcoming[0], organizer, Settings(rounds=3, table_size=4))
        made += 1
        plan.published_at = utcnow()  # shown to attendees (the demo sends no emails)
        made += 1
    db.session.flush()
    return made
