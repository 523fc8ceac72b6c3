"""Site administration: accounts and mail delivery at a glance, and retrying failed mail."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user

from community.admin.permissions import can_administer_site
from community.admin.queries import failed_mail, site_figures
from community.core.forms import EmptyForm
from community.core.mail.services import MailError, retry_all_failed, retry_failed

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.before_request
def require_site_admin():
    # 404, not 403: the admin area does not exist for anyone else.
    if not can_administer_site(current_user):
        abort(404)


@bp.get("/")
def dashboard():
    return render_template("admin/dashboard.html", figures=site_figures(), failed=failed_mail())


@bp.post("/mail/<int:message_id>/retry")
def retry_mail(message_id: int):
    if EmptyForm().validate_on_submit():
        try:
            retry_failed(message_id)
        except MailError as error:
            flash(error.message, "error")
        else:
            flash("The email is back in the queue: the outbox worker sends it on its next run.", "success")
    return redirect(url_for("admin.dashboard"))


@bp.post("/mail/retry-all")
def retry_all_mail():
    if EmptyForm().validate_on_submit():
        count = retry_all_failed()
        if count:
            noun = "email is" if count == 1 else "emails are"
            flash(f"{count} {noun} back in the queue for the outbox worker's next run.", "success")
        else:
            flash("No failed emails to retry.", "info")
    return redirect(url_for("admin.dashboard"))
