"""Email preferences in one place (/account/email-preferences), unsubscribing with an email's signed link
(/unsubscribe/<token>, also the RFC 8058 one-click POST), and the digest's own links: a tracked
click (/digests/open/<token>) and resuming after a pause (/digests/resume/<token>)."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from community.auth.models import User
from community.core import sections
from community.core.forms import EmptyForm
from community.core.mail import unsubscribe
from community.core.urls import safe_next_url
from community.engagement import digests, preferences
from community.engagement.models import DigestFrequency
from community.engagement.preference_forms import EmailPreferencesForm
from community.engagement.routes import bp
from community.extensions import csrf, db

BAD_LINK = (
    "This link doesn't work: it may have been cut short when it was copied. "
    "Open it straight from the email, or copy the whole link."
)


def _link_problem(title: str):
    return render_template("engagement/email_link.html", problem=BAD_LINK, title=title), 400


def _person(token: str) -> tuple[User, unsubscribe.EmailKind] | None:
    named = unsubscribe.read_unsubscribe_token(token)
    user = db.session.get(User, named[0]) if named else None
    return (user, named[1]) if user is not None and user.deleted_at is None else None


@bp.route("/unsubscribe/<token>", methods=["GET", "POST"])
@csrf.exempt  # RFC 8058: a mail client's one-click POST carries no CSRF token
def unsubscribe_page(token: str):
    """GET asks (mail scanners open links); POST unsubscribes at once, with or without a CSRF
    token; subscribing again needs the page's own form (a CSRF token)."""
    found = _person(token)
    if found is None:
        return _link_problem("Unsubscribe")
    person, kind = found
    form = EmptyForm()
    done = None
    if request.method == "POST":
        if request.form.get("action") == "subscribe" and form.validate_on_submit():
            unsubscribe.set_wanted(person.id, kind.name, True)
            done = "subscribed"
        elif request.form.get("action") != "subscribe":  # the button, or the body List-Unsubscribe=One-Click
            unsubscribe.set_wanted(person.id, kind.name, False)
            done = "unsubscribed"
    return render_template(
        "engagement/unsubscribe.html",
        person=person,
        kind=kind,
        form=form,
        done=done,
        subscribed=unsubscribe.wants(person.id, kind.name),
    ), 422 if request.method == "POST" and done is None else 200


def _preferences_form(user: User, formdata=None) -> EmailPreferencesForm:
    kinds = preferences.switchable_kinds()
    return EmailPreferencesForm(
        formdata=formdata,
        kinds=kinds,
        data={"wanted": preferences.wanted_kinds(user.id), "digest": digests.frequency_of(user.id).value},
    )


@bp.route("/account/email-preferences", methods=["GET", "POST"])
@login_required
def email_preferences():
    """Every kind of email with its switch, and the digest: weekly, monthly or off."""
    viewer = current_user._get_current_object()
    form = _preferences_form(viewer, formdata=request.form if request.method == "POST" else None)
    if form.validate_on_submit():
        preferences.save_preferences(viewer.id, form.wanted.data or [], DigestFrequency(form.digest.data))
        flash("Saved. Your email preferences apply from the next email.", "success")
        return redirect(url_for("engagement.email_preferences"))
    return render_template(
        "engagement/email_preferences.html",
        form=form,
        kinds=preferences.switchable_kinds(),
        settings=digests.digest_settings(viewer.id),
    ), 422 if form.errors else 200


@bp.get("/digests/open/<token>")
def digest_open(token: str):
    """A link in a digest: the click counts as opening it, then on to the page."""
    person = digests.user_for(digests.OPEN_PURPOSE, token)
    if person is not None:
        digests.record_open(person.id)
    return redirect(safe_next_url(request.args.get("next"), url_for("core.index")))


@bp.route("/digests/resume/<token>", methods=["GET", "POST"])
@csrf.exempt  # the paused email's link works without a session: the signed token is the proof
def digest_resume(token: str):
    """GET shows what the button does (mail scanners open links); the POST resumes digests."""
    person = digests.user_for(digests.RESUME_PURPOSE, token)
    if person is None:
        return _link_problem("Resume your digest")
    resumed = None
    if request.method == "POST":
        resumed = digests.resume(person.id)
    return render_template("engagement/digest_resume.html", person=person, resumed=resumed)


@bp.record_once
def _register_email_pages(state) -> None:
    unsubscribe.use_unsubscribe_endpoint(state.app, "engagement.unsubscribe_page")
    sections.add_part(state.app, sections.ACCOUNT_SECTIONS, preferences.account_part, order=17)
