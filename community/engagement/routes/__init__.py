"""The engagement blueprint: nudges on My network (notes, snooze, rhythm), My goals, the signed-in home."""

from __future__ import annotations

from flask import Blueprint

from community.engagement import (
    home,
    models,  # noqa: F401  (the tables, for create_all and Alembic)
)

bp = Blueprint("engagement", __name__)

# The route modules attach their views to bp.
from community.engagement.routes import email, goals, network  # noqa: E402,F401


@bp.record_once
def _register_parts(state) -> None:
    from community.engagement.parts import register

    register(state.app)


@bp.record_once
def _provide_home(state) -> None:
    """The signed-in home at `/` (core asks for it as SIGNED_IN_HOME)."""
    home.register(state.app)
