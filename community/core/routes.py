"""Site-wide pages: the front page and a health check for load balancers."""

from __future__ import annotations

from flask import Blueprint, render_template
from sqlalchemy import text

from community.extensions import db

bp = Blueprint("core", __name__)


@bp.get("/")
def index():
    return render_template("core/index.html")


@bp.get("/healthz")
def healthz():
    """For a load balancer: 200 when the app can reach its database."""
    db.session.execute(text("SELECT 1"))
    return {"status": "ok"}
