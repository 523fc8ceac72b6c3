"""Site-wide pages: the front page and a health check for load balancers."""

from __future__ import annotations

from flask import Blueprint, render_template, request
from sqlalchemy import text

from community.core.sections import FRONT_PAGE_EVENTS, section
from community.extensions import db

bp = Blueprint("core", __name__)


@bp.get("/")
def index():
    page = request.args.get("page", 1, type=int) or 1
    return render_template("core/index.html", upcoming=section(FRONT_PAGE_EVENTS, page))


@bp.get("/healthz")
def healthz():
    """For a load balancer: 200 when the app can reach its database."""
    db.session.execute(text("SELECT 1"))
    return {"status": "ok"}
