"""Community pages: /c/<slug> and the organizer screens under /c/<slug>/manage."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("communities", __name__)

from community.communities import models as _models  # noqa: E402,F401  (until the routes use them)
