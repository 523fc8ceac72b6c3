"""Site-wide pages: the front page and a health check for load balancers."""

from __future__ import annotations

from flask import Blueprint, render_template
from sqlalchemy import text

from community.core.page_versions import site_version
from community.core.pagination import page_arg
from community.core.public_pages import PageState, for_visitors
from community.core.sections import FRONT_PAGE_EVENTS, section
from community.extensions import db

bp = Blueprint("core", __name__)


def _front_page_state() -> PageState:
    total, communities = site_version()
    return PageState(key=f"s{total}.{communities}", community_id=None)


@bp.get("/")
@for_visitors(_front_page_state)
def index():
    return render_template("core/index.html", upcoming=section(FRONT_PAGE_EVENTS, page_arg()))


@bp.get("/healthz")
def healthz():
    """For a load balancer: 200 when the app can reach its database."""
    db.session.execute(text("SELECT 1"))
    return {"status": "ok"}
