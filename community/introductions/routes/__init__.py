"""The introductions blueprint: "Meet people", My introductions, My network, topics."""

from __future__ import annotations

from flask import Blueprint

from community.introductions import models  # noqa: F401  (the tables, for create_all and Alembic)

bp = Blueprint("introductions", __name__)

# The route modules attach their views to bp; registration with the registry is in each.
from community.introductions.routes import directory, followup, manage, meet, member  # noqa: E402,F401


@bp.record_once
def _register_parts(state) -> None:
    from community.introductions.parts import register

    register(state.app)
