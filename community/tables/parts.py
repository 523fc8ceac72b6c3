"""Where table plans show up on other features' pages: "Your tables" on the event page and
under the ticket of someone going, once the organizer publishes the plan. Registered with
core's registry when the blueprint is; the pages below never import this package."""

from __future__ import annotations

from typing import Any

from flask import Flask

from community.auth.models import User
from community.communities.models import Membership
from community.core import sections
from community.events.models import Event
from community.rsvps.models import RSVP, RSVPStatus
from community.rsvps.queries import rsvp_of
from community.tables import queries


def _part(event: Event, user: User) -> dict[str, Any] | None:
    plan = queries.published_plan(event) if queries.may_have_published_plan(event) else None
    if plan is None:
        return None
    rounds = queries.your_tables(plan, user)
    if not rounds:
        return None
    return {"template": "tables/_your_tables.html", "event": event, "rounds": rounds}


def event_part(event: Event, membership: Membership | None, viewer: User | None) -> dict[str, Any] | None:
    if viewer is None or not viewer.is_authenticated:
        return None
    rsvp = rsvp_of(event, viewer)
    if rsvp is None or rsvp.status != RSVPStatus.GOING:
        return None
    return _part(event, viewer)


def ticket_card(event: Event, rsvp: RSVP) -> dict[str, Any] | None:
    if rsvp.status != RSVPStatus.GOING:
        return None
    return _part(event, rsvp.user)


def register(app: Flask) -> None:
    sections.add_part(app, sections.EVENT_PAGE_SECTIONS, event_part, order=5)
    sections.add_part(app, sections.TICKET_SECTIONS, ticket_card, order=5)
