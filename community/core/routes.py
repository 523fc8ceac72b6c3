"""Site-wide pages: the front page and a health check for load balancers."""

from __future__ import annotations

from flask import Blueprint, current_app, render_template, request
from sqlalchemy import text

from community.extensions import db

bp = Blueprint("core", __name__)

#: app.extensions key of a function(page) -> dict that features above core (events) register
#: to fill the front page's "upcoming" section; the dict names its own template.
FRONT_PAGE_SECTION = "roundtable.front_page"


@bp.get("/")
def index():
    section = current_app.extensions.get(FRONT_PAGE_SECTION)
    page = request.args.get("page", 1, type=int) or 1
    return render_template("core/index.html", upcoming=section(page) if section else None)


@bp.get("/healthz")
def healthz():
    """For a load balancer: 200 when the app can reach its database."""
    db.session.execute(text("SELECT 1"))
    return {"status": "ok"}
