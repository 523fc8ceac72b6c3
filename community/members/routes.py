"""Profiles and the member directory."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("members", __name__)

from community.members import models as _models  # noqa: E402,F401  (until the routes use them)
