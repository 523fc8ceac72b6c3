"""Choices people make about their own RSVP that do not change the RSVP itself."""

from __future__ import annotations

from community.extensions import db
from community.rsvps.models import RSVP


def set_listed(rsvp: RSVP, listed: bool) -> None:
    """Appear in "who's going" or not. Allowed at any time, even after the deadline."""
    rsvp.listed = listed
    db.session.flush()
