"""Site administration: mail delivery at a glance and retrying failed mail; accounts and
communities, searched, suspended and restored; the admin audit log. Only site administrators
reach any of it: for everyone else /admin/ does not exist (404)."""

from __future__ import annotations

from collections.abc import Callable

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user

from community.admin import lists, services
from community.admin.audit import sentence
from community.admin.forms import RestoreForm, SuspendForm
from community.admin.permissions import can_administer_site
from community.admin.queries import failed_mail, site_figures, waited
from community.auth.models import User
from community.communities.lists import member_counts, memberships_of_user
from community.communities.models import Community
from community.core.errors import DomainError
from community.core.forms import EmptyForm, Form, form_status
from community.core.mail.queue_state import outbox_state
from community.core.mail.services import MailError
from community.core.pagination import page_arg
from community.extensions import db

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.before_request
def require_site_admin():
    # 404, not 403: the admin area does not exist for anyone else.
    if not can_administer_site(current_user):
        abort(404)


@bp.app_template_global()
def admin_status(row) -> str:
    return lists.status_of(row).value


bp.add_app_template_filter(waited, "duration")


def _me() -> User:
    return current_user._get_current_object()


@bp.get("/")
def dashboard():
    return render_template(
        "admin/dashboard.html", figures=site_figures(), failed=failed_mail(), outbox=outbox_state()
    )


@bp.post("/mail/<int:message_id>/retry")
def retry_mail(message_id: int):
    if EmptyForm().validate_on_submit():
        try:
            services.retry_mail(_me(), message_id)
        except MailError as error:
            flash(error.message, "error")
        else:
            flash("The email is back in the queue: the outbox worker sends it on its next run.", "success")
    return redirect(url_for("admin.dashboard"))


@bp.post("/mail/retry-all")
def retry_all_mail():
    if EmptyForm().validate_on_submit():
        count = services.retry_all_mail(_me())
        if count:
            noun = "email is" if count == 1 else "emails are"
            flash(f"{count} {noun} back in the queue for the outbox worker's next run.", "success")
        else:
            flash("No failed emails to retry.", "info")
    return redirect(url_for("admin.dashboard"))


# -- accounts ---------------------------------------------------------------------------


@bp.get("/accounts")
def accounts():
    query = lists.ListQuery.from_request()
    pagination = lists.accounts_page(query, page_arg())
    counts = lists.community_counts([user.id for user in pagination.items])
    return render_template("admin/accounts.html", pagination=pagination, query=query, counts=counts)


def _user_or_404(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None:
        abort(404)
    return user


@bp.get("/accounts/<int:user_id>")
def account(user_id: int):
    user = _user_or_404(user_id)
    return render_template(
        "admin/account.html",
        user=user,
        memberships=memberships_of_user(user),
        history=[(entry, sentence(entry)) for entry in lists.audit_of(user=user)],
    )


def _confirm(form: Form, do: Callable[[str], None], done: str, back: str, **page):
    """The confirmation page of a suspension or restore, and its POST: the action with the
    reason given, a flash and back to `back`; a refused form or action answers 422."""
    if form.validate_on_submit():
        try:
            do(form.reason.data or "")
        except DomainError as error:
            form.reason.errors = [*form.reason.errors, error.message]
        else:
            flash(done, "success")
            return redirect(back)
    return render_template("admin/confirm.html", form=form, back=back, **page), form_status(form)


@bp.route("/accounts/<int:user_id>/suspend", methods=["GET", "POST"])
def suspend_account(user_id: int):
    user = _user_or_404(user_id)
    return _confirm(
        SuspendForm(),
        lambda reason: services.suspend_user(_me(), user, reason=reason),
        f"{user.name}'s account is suspended and every session it had has ended.",
        url_for("admin.account", user_id=user.id),
        title=f"Suspend {user.name}'s account",
        explanation=(
            f"{user.name} will not be able to log in, and is logged out everywhere now. Their "
            "profile and directory entries are hidden as if the account did not exist. You can "
            "restore the account later."
        ),
        submit="Suspend the account",
    )


@bp.route("/accounts/<int:user_id>/restore", methods=["GET", "POST"])
def restore_account(user_id: int):
    user = _user_or_404(user_id)
    return _confirm(
        RestoreForm(),
        lambda reason: services.restore_user(_me(), user, reason=reason),
        f"{user.name}'s account is restored: they can log in again.",
        url_for("admin.account", user_id=user.id),
        title=f"Restore {user.name}'s account",
        explanation=f"{user.name} will be able to log in again, and others will see their profile.",
        submit="Restore the account",
    )


# -- communities ------------------------------------------------------------------------


@bp.get("/communities")
def communities():
    query = lists.ListQuery.from_request()
    pagination = lists.communities_page(query, page_arg())
    counts = member_counts([community.id for community in pagination.items])
    return render_template("admin/communities.html", pagination=pagination, query=query, counts=counts)


def _community_or_404(community_id: int) -> Community:
    community = db.session.get(Community, community_id)
    if community is None:
        abort(404)
    return community


@bp.get("/communities/<int:community_id>")
def community(community_id: int):
    community = _community_or_404(community_id)
    return render_template(
        "admin/community.html",
        community=community,
        organizers=lists.organizers_of(community),
        members=member_counts([community.id]).get(community.id, 0),
        history=[(entry, sentence(entry)) for entry in lists.audit_of(community=community)],
    )


@bp.route("/communities/<int:community_id>/suspend", methods=["GET", "POST"])
def suspend_community(community_id: int):
    community = _community_or_404(community_id)
    return _confirm(
        SuspendForm(),
        lambda reason: services.suspend_community(_me(), community, reason=reason),
        f"{community.name} is suspended: its pages say so and its calendar feeds are gone.",
        url_for("admin.community", community_id=community.id),
        title=f"Suspend {community.name}",
        explanation=(
            "Its pages will say only that it is suspended, its calendar feeds will answer 410 Gone, "
            "it leaves the lists and the front page, and nobody can RSVP to its events. Nothing is "
            "deleted: you can restore it later."
        ),
        submit="Suspend the community",
    )


@bp.route("/communities/<int:community_id>/restore", methods=["GET", "POST"])
def restore_community(community_id: int):
    community = _community_or_404(community_id)
    return _confirm(
        RestoreForm(),
        lambda reason: services.restore_community(_me(), community, reason=reason),
        f"{community.name} is restored: its pages and feeds are back.",
        url_for("admin.community", community_id=community.id),
        title=f"Restore {community.name}",
        explanation="Its pages, feeds and events come back as they were.",
        submit="Restore the community",
    )


# -- the admin audit log ----------------------------------------------------------------


@bp.get("/audit")
def audit():
    pagination = lists.audit_page(page_arg())
    rows = [(entry, sentence(entry)) for entry in pagination.items]
    return render_template("admin/audit.html", pagination=pagination, rows=rows)
