"""Account pages. Each route: load, check, validate, call one service, flash, redirect."""

from __future__ import annotations

import hashlib

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required, login_user, logout_user

from community.auth import services
from community.auth.forms import (
    ChangeEmailForm,
    ChangePasswordForm,
    DeleteAccountForm,
    LoginForm,
    RequestResetForm,
    ResetPasswordForm,
    SignUpForm,
)
from community.auth.models import User
from community.core import sections
from community.core.errors import DomainError
from community.core.forms import EmptyForm, form_status
from community.core.urls import safe_next_url
from community.extensions import limiter

bp = Blueprint("auth", __name__)


def _auth_rate_limit() -> str:
    return current_app.config["AUTH_RATE_LIMIT"]


def _email_rate_limit() -> str:
    return current_app.config["AUTH_EMAIL_RATE_LIMIT"]


def _submitted_email() -> str:
    """The rate-limit key for forms that send mail to an address: the address as the account
    lookup sees it, so changing its case or adding spaces does not give a fresh allowance.
    Hashed, so the limiter's store holds no addresses and a long value makes no long key."""
    email = services.normalise_email(request.form.get("email", ""))
    return "email:" + hashlib.sha256(email.encode(errors="replace")).hexdigest()


def _log_in(user: User, *, remember: bool = False) -> None:
    """Start a server-side session for `user` on this device and put its id in the cookies.

    Whoever was logged in on this browser before is logged out, their session revoked.
    """
    if current_user.is_authenticated:
        services.end_session(current_user._get_current_object())
        logout_user()
    services.start_session(user, user_agent=request.headers.get("User-Agent"))
    login_user(user, remember=remember)


def _next_url() -> str:
    return safe_next_url(request.values.get("next"), url_for("core.index"))


@bp.route("/signup", methods=["GET", "POST"])
@limiter.limit(_auth_rate_limit, methods=["POST"])
@limiter.limit(_email_rate_limit, methods=["POST"], key_func=_submitted_email)
def signup():
    if current_user.is_authenticated:
        return redirect(url_for("core.index"))
    form = SignUpForm()
    if form.validate_on_submit():
        next_url = safe_next_url(request.args.get("next"), "") or None
        services.sign_up(
            name=form.name.data, email=form.email.data, password=form.password.data, next_url=next_url
        )
        return render_template("auth/check_inbox.html", email=form.email.data.strip(), next=_next_url())
    return render_template("auth/signup.html", form=form, next=request.args.get("next", "")), form_status(
        form
    )


@bp.get("/verify/<token>")
def verify_email(token: str):
    try:
        user = services.verify_email(token)
    except DomainError as error:
        flash(error.message, "error")
        return redirect(url_for("auth.login"))
    if not current_user.is_authenticated or current_user.id != user.id:
        _log_in(user)
    flash("Thanks, your email address is confirmed. Welcome to Roundtable!", "success")
    return redirect(_next_url())


@bp.post("/account/verify/resend")
@login_required
def resend_verification():
    if EmptyForm().validate_on_submit() and not current_user.is_verified:
        services.send_verification(current_user)
        flash(f"We sent a new confirmation link to {current_user.email}.", "success")
    return redirect(url_for("auth.account"))


def _authenticate(form: LoginForm) -> User | None:
    """The account the log-in form names, or None with the reason on the password field: the
    same words for a wrong password and an unknown address; "suspended" only with the right one."""
    try:
        user = services.authenticate(form.email.data, form.password.data)
    except services.AccountSuspended as error:
        form.password.errors.append(error.message)
        return None
    if user is None:
        form.password.errors.append("That email and password don't match an account.")
    return user


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_auth_rate_limit, methods=["POST"])
def login():
    if current_user.is_authenticated:
        return redirect(_next_url())
    form = LoginForm()
    if request.method == "GET":
        form.next.data = request.args.get("next", "")
    if form.validate_on_submit():
        user = _authenticate(form)
        if user is not None:
            _log_in(user, remember=form.remember.data)
            flash(f"Welcome back, {user.name}.", "success")
            return redirect(safe_next_url(form.next.data, url_for("core.index")))
    return render_template("auth/login.html", form=form), form_status(form)


@bp.post("/logout")
def logout():
    if EmptyForm().validate_on_submit():
        if current_user.is_authenticated:
            services.end_session(current_user._get_current_object())
        logout_user()
        flash("You are logged out. See you soon!", "info")
    return redirect(url_for("core.index"))


@bp.route("/reset", methods=["GET", "POST"])
@limiter.limit(_auth_rate_limit, methods=["POST"])
@limiter.limit(_email_rate_limit, methods=["POST"], key_func=_submitted_email)
def request_reset():
    form = RequestResetForm()
    if form.validate_on_submit():
        services.request_password_reset(form.email.data)
        return render_template("auth/reset_sent.html", email=form.email.data.strip())
    return render_template("auth/request_reset.html", form=form), form_status(form)


@bp.route("/reset/<token>", methods=["GET", "POST"])
@limiter.limit(_auth_rate_limit, methods=["POST"])
def reset_password(token: str):
    try:
        services.user_for_reset_token(token)
    except DomainError as error:
        flash(error.message, "error")
        return redirect(url_for("auth.request_reset"))
    form = ResetPasswordForm()
    if form.validate_on_submit():
        user = services.reset_password(token, form.password.data)
        _log_in(user)
        flash("Your password is changed and you are logged in.", "success")
        return redirect(url_for("core.index"))
    return render_template("auth/reset_password.html", form=form), form_status(form)


@bp.get("/account")
@login_required
def account():
    other_devices = services.count_other_sessions(current_user._get_current_object())
    user = current_user._get_current_object()
    return render_template(
        "auth/account.html",
        other_devices=other_devices,
        account_sections=sections.parts(sections.ACCOUNT_SECTIONS, user),
    )


@bp.post("/account/sessions/log-out-others")
@login_required
def log_out_other_devices():
    if EmptyForm().validate_on_submit():
        services.end_sessions(current_user._get_current_object(), except_current=True)
        flash("You are logged out on every other device. You are still logged in here.", "success")
    return redirect(url_for("auth.account"))


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def change_password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        try:
            services.change_password(
                current_user, current_password=form.current_password.data, new_password=form.password.data
            )
        except DomainError as error:
            form.current_password.errors.append(error.message)
        else:
            _log_in(current_user._get_current_object())  # the password change ended every session
            flash("Your password is changed. Other devices have been logged out.", "success")
            return redirect(url_for("auth.account"))
    return render_template("auth/change_password.html", form=form), form_status(form)


@bp.route("/account/email", methods=["GET", "POST"])
@login_required
def change_email():
    form = ChangeEmailForm()
    if form.validate_on_submit():
        try:
            services.request_email_change(
                current_user, password=form.password.data, new_email=form.email.data
            )
        except services.WrongPassword as error:
            form.password.errors.append(error.message)
        except DomainError as error:
            form.email.errors.append(error.message)
        else:
            flash(
                f"We sent a confirmation link to {form.email.data.strip()}. "
                "Your address changes when you click it.",
                "success",
            )
            return redirect(url_for("auth.account"))
    return render_template("auth/change_email.html", form=form), form_status(form)


@bp.get("/account/email/<token>")
def confirm_email_change(token: str):
    try:
        services.confirm_email_change(token)
    except DomainError as error:
        flash(error.message, "error")
    else:
        flash("Your email address is changed.", "success")
    return redirect(url_for("auth.account") if current_user.is_authenticated else url_for("auth.login"))


@bp.route("/account/delete", methods=["GET", "POST"])
@login_required
def delete_account():
    form = DeleteAccountForm()
    if form.validate_on_submit():
        try:
            services.delete_account(current_user, password=form.password.data)
        except DomainError as error:
            form.password.errors.append(error.message)
        else:
            logout_user()
            flash("Your account is deleted. Thank you for being part of Roundtable.", "info")
            return redirect(url_for("core.index"))
    return render_template("auth/delete_account.html", form=form), form_status(form)
