"""Site administration: accounts and mail delivery at a glance."""

from __future__ import annotations

from flask import Blueprint, abort, render_template
from flask_login import current_user

from community.admin.permissions import can_administer_site
from community.admin.queries import recent_failed_mail, site_figures

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.before_request
def require_site_admin():
    # 404, not 403: the admin area does not exist for anyone else.
    if not can_administer_site(current_user):
        abort(404)


@bp.get("/")
def dashboard():
    return render_template("admin/dashboard.html", figures=site_figures(), failed_mail=recent_failed_mail())
