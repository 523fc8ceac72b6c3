"""Event pages and organizer event screens (being built; see issue 4)."""

from __future__ import annotations

from flask import Blueprint, abort

from community.events import models as _models  # noqa: F401  (registers the tables)

bp = Blueprint("events", __name__)


@bp.get("/c/<slug>/events/<int:event_id>")
def event_page(slug: str, event_id: int):
    """Placeholder: the public event page is being built (issue 4)."""
    abort(404)
