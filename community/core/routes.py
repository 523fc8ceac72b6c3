"""Site-wide pages: the front page and a health check for load balancers."""

from __future__ import annotations

from flask import Blueprint, render_template
from flask_login import current_user

from community.core.health import health
from community.core.page_versions import site_version
from community.core.pagination import page_arg
from community.core.public_pages import PageState, for_visitors
from community.core.sections import FRONT_PAGE_EVENTS, SIGNED_IN_HOME, section
from community.extensions import limiter

bp = Blueprint("core", __name__)


def _front_page_state() -> PageState:
    total, communities = site_version()
    return PageState(key=f"s{total}.{communities}", community_id=None)


@bp.get("/")
@for_visitors(_front_page_state)
def index():
    """Visitors get the front page (cached by for_visitors); someone signed in gets their home,
    when a feature provides one (never cached: for_visitors builds it for them)."""
    page = page_arg()  # a nonsense ?page= is a 404 for everyone
    if current_user.is_authenticated:
        home = section(SIGNED_IN_HOME, current_user._get_current_object())
        if home is not None:
            return render_template(home["template"], home=home)
    return render_template("core/index.html", upcoming=section(FRONT_PAGE_EVENTS, page))


@bp.get("/healthz")
@limiter.exempt
def healthz():
    """For a load balancer: each service's state as JSON; 503 only when the database is down.
    Never cached, never rate-limited (core/health.py)."""
    body, status = health()
    return body, status, {"Cache-Control": "no-store"}
