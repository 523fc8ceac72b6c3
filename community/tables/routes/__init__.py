"""The tables blueprint: an event's "Tables" tab for organizers, its CSV and print sheets, and
the attendee's "your tables" parts on the event and ticket pages."""

from __future__ import annotations

from flask import Blueprint

from community.tables import models  # noqa: F401  (the tables, for create_all and Alembic)

bp = Blueprint("tables", __name__)

# The route modules attach their views to bp; registration with the registry is in each.
from community.tables.routes import manage, pins  # noqa: E402,F401


@bp.record_once
def _register_parts(state) -> None:
    from community.tables.parts import register

    register(state.app)
