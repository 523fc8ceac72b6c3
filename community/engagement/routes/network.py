"""Keeping in touch with one connection: a "Let's catch up" note, "remind me next month" and
a rhythm, from My network or this person's own small page."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user, login_required

from community.auth.models import User
from community.core.errors import DomainError
from community.core.forms import EmptyForm
from community.core.models import utcnow
from community.engagement import services
from community.engagement.forms import NoteForm, RhythmForm
from community.engagement.queries import connection_states
from community.engagement.routes import bp
from community.extensions import db
from community.introductions.connections import connection_between


def _viewer() -> User:
    return current_user._get_current_object()


def _connection(user_id: int) -> User:
    """:raises NotFound: unless the viewer is connected with this person."""
    other = db.session.get(User, user_id)
    if other is None or other.deleted_at is not None or connection_between(current_user.id, other.id) is None:
        abort(404)
    return other


def _page(other: User, *, note: NoteForm | None = None, rhythm: RhythmForm | None = None, error: str = ""):
    state = connection_states(current_user.id, utcnow()).get(other.id)
    rhythm = rhythm or RhythmForm(rhythm=str(state.rhythm_months or "") if state else "")
    return render_template(
        "engagement/keep_in_touch.html",
        other=other,
        state=state,
        note_form=note or NoteForm(),
        rhythm_form=rhythm,
        snooze_form=EmptyForm(),
        error=error,
    )


def _back(other: User, message: str):
    flash(message, "success")
    return redirect(url_for("introductions.network", _anchor=f"person-{other.id}"))


@bp.get("/me/network/<int:user_id>/keep-in-touch")
@login_required
def keep_in_touch(user_id: int):
    """A note, a snooze and a rhythm for one connection."""
    return _page(_connection(user_id))


@bp.post("/me/network/<int:user_id>/note")
@login_required
def send_note(user_id: int):
    other = _connection(user_id)
    form = NoteForm()
    if not form.validate_on_submit():
        return _page(other, note=form, error="The note was not sent: please check it."), 422
    try:
        services.send_note(_viewer(), other, form.message.data)
    except DomainError as error:
        return _page(other, note=form, error=error.message), 422
    return _back(other, f"Your note is on its way to {other.name}.")


@bp.post("/me/network/<int:user_id>/snooze")
@login_required
def snooze(user_id: int):
    other = _connection(user_id)
    if not EmptyForm().validate_on_submit():
        return _page(other, error="The form had expired. Please try again."), 422
    services.snooze(_viewer(), other)
    return _back(other, f"We'll remind you about {other.name} next month.")


@bp.post("/me/network/<int:user_id>/rhythm")
@login_required
def rhythm(user_id: int):
    other = _connection(user_id)
    form = RhythmForm()
    if not form.validate_on_submit():
        return _page(other, rhythm=form, error="Choose how often from the list."), 422
    services.set_rhythm(_viewer(), other, form.months)
    when = f"every {form.months} months" if form.months else "as your usual setting says"
    return _back(other, f"We'll nudge you about {other.name} {when}.")
