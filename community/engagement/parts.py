"""What staying in touch adds to My network: a "fading" mark and, for each fading connection,
a nudge (the upcoming events they're going to, with a one-click RSVP, a "Let's catch up"
note, "remind me next month", a rhythm). Four queries for the page, however many people."""

from __future__ import annotations

from datetime import datetime

from flask import Flask
from sqlalchemy import func, select

from community.auth.models import User
from community.core import sections
from community.core.models import utcnow
from community.engagement.forms import RHYTHM_CHOICES
from community.engagement.models import Goal
from community.engagement.queries import connection_states
from community.events.models import Event
from community.extensions import db
from community.introductions.network import upcoming_events_of
from community.rsvps.models import RSVPStatus

#: Events suggested per fading connection.
EVENTS_SUGGESTED = 2
#: An RSVP of these statuses means the viewer has already answered: no suggestion.
ANSWERED = (RSVPStatus.GOING, RSVPStatus.WAITLISTED, RSVPStatus.OFFERED, RSVPStatus.PENDING)


def events_to_join(viewer_id: int, ids: list[int], now: datetime) -> dict[int, list[Event]]:
    """Upcoming events of the viewer's communities that each of `ids` is going to, shows
    themselves going to, and the viewer has not answered: at most EVENTS_SUGGESTED each (one
    query)."""
    if not ids:
        return {}
    going = upcoming_events_of(viewer_id, ids, now, unanswered_by_viewer=ANSWERED)
    return {user_id: events[:EVENTS_SUGGESTED] for user_id, events in going.items()}


def network_part(viewer: User, user_ids: list[int]) -> dict | None:
    """The per-person marks and nudges of the contacts shown on My network."""
    if not user_ids:
        return None
    now = utcnow()
    states = connection_states(viewer.id, now)
    nudged = [user_id for user_id in user_ids if user_id in states and states[user_id].nudged]
    events = events_to_join(viewer.id, nudged, now)
    return {
        "template": None,
        "contact_template": "engagement/_network_contact.html",
        "people": {
            user_id: {"state": states[user_id], "events": events.get(user_id, [])}
            for user_id in user_ids
            if user_id in states
        },
        "rhythm_choices": RHYTHM_CHOICES,
    }


def account_part(user: User) -> dict:
    """The account page's "Networking goals" card (one query)."""
    count = db.session.scalar(select(func.count()).select_from(Goal).where(Goal.user_id == user.id))
    return {"template": "engagement/_account.html", "goals": count or 0}


def register(app: Flask) -> None:
    sections.add_part(app, sections.NETWORK_PARTS, network_part, order=10)
    sections.add_part(app, sections.ACCOUNT_SECTIONS, account_part, order=16)
