"""What the introduction emails say and link to."""

from __future__ import annotations

from typing import Any

from flask import url_for

from community.auth.models import User
from community.communities.models import Community
from community.events.calendar import event_url
from community.events.models import Event
from community.extensions import db
from community.introductions.models import Introduction
from community.members.models import Profile


def contact_details(user: User) -> dict[str, Any]:
    """What an introduced person receives: the email address, and the profile links the person
    marked "share when introduced" (their choice, whoever else may see their links)."""
    profile = db.session.get(Profile, user.id)
    links = [link for link in (profile.links if profile else None) or [] if link.get("share")]
    return {"email": user.email, "links": links}


def email_context(introduction: Introduction, person: User) -> dict[str, Any]:
    """The people, places and links every introduction email may use."""
    event = db.session.get(Event, introduction.event_id) if introduction.event_id else None
    return {
        "community": db.session.get(Community, introduction.community_id),
        "event": event,
        "event_link": event_url(event) if event is not None else None,
        "other": introduction.other(person.id),
        "contact": contact_details(introduction.other(person.id)),
        "introductions_link": url_for("introductions.inbox", _external=True),
        "network_link": url_for("introductions.network", _external=True),
    }
