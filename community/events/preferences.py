"""Choices people make about their own RSVP that do not change the RSVP itself."""

from __future__ import annotations

from community.events.models import RSVP
from community.extensions import db


def set_listed(rsvp: RSVP, listed: bool) -> None:
    """Appear in "who's going" or not. Allowed at any time, even after the deadline."""
    rsvp.listed = listed
    db.session.flush()
