"""The per-attendee "join online" link: a stable URL on this site that redirects to the
event's current meeting link, for someone going. Calendars and invitations carry this URL,
never the meeting link itself, so a changed link needs no new invitation."""

from __future__ import annotations

from flask import current_app, url_for
from itsdangerous import BadSignature, URLSafeSerializer

from community.rsvps.models import RSVP


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="roundtable.event-join")


def join_url(rsvp: RSVP) -> str:
    token = _serializer().dumps([rsvp.id, rsvp.event_id])
    return url_for(
        "feeds.join_online",
        slug=rsvp.event.community.slug,
        event_id=rsvp.event_id,
        token=token,
        _external=True,
    )


def rsvp_id_in(token: str, event_id: int) -> int | None:
    """The RSVP a join token names, if it is genuine and for this event."""
    try:
        rsvp_id, token_event_id = _serializer().loads(token)
    except (BadSignature, ValueError, TypeError):
        return None
    return rsvp_id if token_event_id == event_id else None
