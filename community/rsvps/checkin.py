"""Checking people in at the door: signed check-in links for attendees' tickets, the QR
codes that carry them, and the organizer's tick (or its undo).

A ticket's QR code holds a URL with a token signed with the app's SECRET_KEY (and a salt
only this feature uses), so nobody can make a valid code for an RSVP that is not theirs,
and a code for one event does nothing at another.
"""

from __future__ import annotations

from datetime import datetime

import segno
from flask import current_app, url_for
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from community.auth.models import User
from community.core import audit
from community.core.models import utcnow
from community.events.models import Event
from community.extensions import db
from community.rsvps.models import RSVP, RSVPStatus
from community.rsvps.organizer import OrganizerError

#: Unchanged since check-in lived in events: tickets already printed keep working.
SALT = "roundtable.events.check-in"


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def token_for(rsvp: RSVP) -> str:
    return _serializer().dumps({"rsvp": rsvp.id, "event": rsvp.event_id})


def rsvp_for_token(event: Event, token: str) -> RSVP | None:
    """The RSVP a token was made for, if it is genuine and for this event; else None."""
    try:
        payload = _serializer().loads(token)
    except BadSignature:
        return None
    if not isinstance(payload, dict) or payload.get("event") != event.id:
        return None
    rsvp_id = payload.get("rsvp")
    if not isinstance(rsvp_id, int):
        return None
    return db.session.scalar(
        select(RSVP).where(RSVP.id == rsvp_id, RSVP.event_id == event.id).options(joinedload(RSVP.user))
    )


def checkin_url(rsvp: RSVP) -> str:
    """The absolute URL an organizer's phone opens when it scans the ticket."""
    return url_for(
        "rsvp_admin.scan",
        slug=rsvp.event.community.slug,
        event_id=rsvp.event_id,
        token=token_for(rsvp),
        _external=True,
    )


def qr_data_uri(data: str) -> str:
    """A QR code for `data` as an SVG data: URI (the CSP allows data: images; no inline SVG
    styles needed). Dark modules on a white quiet zone, so phones read it in dark mode too."""
    return segno.make(data, error="m").svg_data_uri(scale=6, border=4, dark="#111", light="#fff")


def check_in(rsvp: RSVP, actor: User, now: datetime | None = None) -> bool:
    """Tick someone off at the door. False (and no change) when they already were.

    :raises OrganizerError: when they are not going.
    """
    if rsvp.status != RSVPStatus.GOING:
        raise OrganizerError(f"{rsvp.user.name} is not on the going list, so they cannot be checked in.")
    if rsvp.checked_in_at is not None:
        return False
    rsvp.checked_in_at = now or utcnow()
    db.session.flush()
    audit.record(rsvp.event.community, actor, "rsvp.checked_in", subject=rsvp.user, detail=rsvp.event.title)
    return True


def undo_check_in(rsvp: RSVP, actor: User) -> None:
    if rsvp.checked_in_at is None:
        return
    rsvp.checked_in_at = None
    db.session.flush()
    audit.record(
        rsvp.event.community, actor, "rsvp.check_in_undone", subject=rsvp.user, detail=rsvp.event.title
    )
