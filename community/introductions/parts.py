"""Where introductions show up on other features' pages: the header's count, the ticket's
opt-in card and "Ask for an introduction" beside a person. Registered with core's registry
when the blueprint is; the pages below never import this package."""

from __future__ import annotations

from typing import Any

from flask import Flask, url_for

from community.auth.models import User
from community.core import sections
from community.core.models import utcnow
from community.events.models import Event
from community.introductions.lists import waiting_count
from community.introductions.optins import introductions_enabled, is_archived, opt_in_of
from community.rsvps.models import RSVP


def nav_link(user: User) -> dict[str, Any]:
    return {
        "label": "Introductions",
        "url": url_for("introductions.inbox"),
        "count": waiting_count(user),
        "current": ("introductions.inbox", "introductions.network"),
    }


def ticket_card(event: Event, rsvp: RSVP) -> dict[str, Any] | None:
    """The "Introduce me to others at this event" switch under an upcoming event's ticket."""
    if event.ends_at <= utcnow() or is_archived(event) or not introductions_enabled(event):
        return None
    return {
        "template": "introductions/_ticket_card.html",
        "event": event,
        "opted_in": opt_in_of(event, rsvp.user) is not None,
        "meet_url": url_for("introductions.meet", slug=event.community.slug, event_id=event.id),
        "opt_in_url": url_for("introductions.opt_in", slug=event.community.slug, event_id=event.id),
        "back": url_for("rsvps.ticket", slug=event.community.slug, event_id=event.id),
    }


def register(app: Flask) -> None:
    sections.add_part(app, sections.NAV_LINKS, nav_link, order=10)
    sections.add_part(app, sections.TICKET_SECTIONS, ticket_card, order=10)
