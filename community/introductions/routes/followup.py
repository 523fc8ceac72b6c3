"""After an event: "Who did you meet?" (/c/<slug>/events/<id>/met), and unsubscribing from
those emails with the signed link they carry, without logging in.

The met page answers like the event page for people who may not see the event (404, or a
prompt to log in or join); then it is for the people who went.
"""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user

from community.core.forms import EmptyForm
from community.events.access import load_visible_event
from community.introductions import followup
from community.introductions.manage_forms import MetForm
from community.introductions.optins import IntroductionError
from community.introductions.routes import bp


def _choices(page: followup.MetPage) -> list[tuple[int, str]]:
    return [(person.id, person.name) for person in (*page.introduced, *page.others)]


def _thanks(made: list) -> str:
    if made:
        count = len(made)
        return (
            f"Saved. You have {count} new connection{'s' if count != 1 else ''}: you both said you met. "
            "They are in My network."
        )
    return "Saved. When someone you ticked ticks you too, you'll be connected."


@bp.route("/c/<slug>/events/<int:event_id>/met", methods=["GET", "POST"])
def met(slug: str, event_id: int):
    community, event, _ = load_visible_event(slug, event_id)
    if not current_user.is_authenticated:
        return current_app.login_manager.unauthorized()
    viewer = current_user._get_current_object()
    context = {"community": community, "event": event}
    try:
        followup.check_can_tick(event, viewer)
    except IntroductionError as error:
        status = 403 if request.method == "POST" else 200
        return render_template("introductions/met.html", **context, closed=error.message), status
    page = followup.met_page(event, viewer)
    form = MetForm(people=_choices(page))
    if form.validate_on_submit():
        made = followup.record_met(event, viewer, form.met.data, page)
        flash(_thanks(made), "success")
        return redirect(url_for("introductions.met", slug=slug, event_id=event.id))
    return render_template(
        "introductions/met.html",
        **context,
        page=page,
        form=form,
        checked=set(form.met.data or ()) if form.is_submitted() else set(),
        wants_emails=followup.wants_followups(viewer),
        unsubscribe_link=followup.unsubscribe_link(viewer),
    ), 422 if form.errors else 200


@bp.route("/introductions/unsubscribe/<token>", methods=["GET", "POST"])
def unsubscribe(token: str):
    """GET asks (mail scanners open links); the button unsubscribes, or subscribes again."""
    try:
        person = followup.user_for_unsubscribe_token(token)
    except IntroductionError as error:
        return render_template("introductions/manage/unsubscribe.html", problem=error.message), 400
    form = EmptyForm()
    done = None
    if form.validate_on_submit():
        wanted = request.form.get("action") == "subscribe"
        followup.set_followups(person, wanted)
        done = "subscribed" if wanted else "unsubscribed"
    return render_template(
        "introductions/manage/unsubscribe.html",
        person=person,
        form=form,
        done=done,
        subscribed=followup.wants_followups(person),
    ), 422 if form.errors else 200
