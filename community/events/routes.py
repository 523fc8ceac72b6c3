"""Event pages and organizer event screens (being built; see issue 4)."""

from __future__ import annotations

from flask import Blueprint

from community.events import models as _models  # noqa: F401  (registers the tables)

bp = Blueprint("events", __name__)
