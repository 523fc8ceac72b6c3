"""Pins on the Tables tab: seat someone at a table in a round, keep two people together or
apart, or clear them all. Each makes a new plan around the pins (the one before is kept)."""

from __future__ import annotations

from flask import flash, redirect, url_for
from flask_login import current_user

from community.core.forms import EmptyForm
from community.events.access import require_event_organizer
from community.tables import queries, services
from community.tables.forms import PairForm, PinForm
from community.tables.routes import bp
from community.tables.services import TablesError

TAB = "/c/<slug>/manage/events/<int:event_id>/tables"


def pin_forms(plan, *, posted: bool = False) -> tuple[PinForm, PairForm]:
    """The two pin forms for the current plan (blank when shown, read from the request when posted)."""
    people = queries.pinnable(plan)
    data = {} if posted else {"formdata": None}
    pin = PinForm(people=people, rounds=plan.rounds, tables=plan.table_names, **data)
    pair = PairForm(people=people, **data)
    return pin, pair


def _refused(form) -> str:
    errors = [message for field in form for message in field.errors]
    return " ".join(errors) or "The form had expired. Please try again."


def _done(slug: str, event_id: int, made=None):
    if made is not None:
        flash(f"Re-planned around your pins: {made.report['summary']}", "success")
    return redirect(url_for("tables.plan", slug=slug, event_id=event_id))


def _current_or_none(event):
    plan = queries.current_plan(event)
    if plan is None:
        flash("There is no plan yet: make one first.", "error")
    return plan


def _replan_around(slug: str, event_id: int, pick, change):
    """The pin and keep screens' one way: the organizer's current plan, the posted form (`pick`
    chooses which of pin_forms), and `change(event, form)` re-planning around it; a refusal is
    a flash on the Tables tab, and nothing is written."""
    _, _, event = require_event_organizer(slug, event_id)
    plan = _current_or_none(event)
    if plan is None:
        return _done(slug, event.id)
    form = pick(pin_forms(plan, posted=True))
    if not form.validate_on_submit():
        flash(_refused(form), "error")
        return _done(slug, event.id)
    try:
        made = change(event, form)
    except TablesError as error:
        flash(error.message, "error")
        return _done(slug, event.id)
    return _done(slug, event.id, made)


@bp.post(f"{TAB}/pin")
def pin(slug: str, event_id: int):
    return _replan_around(
        slug,
        event_id,
        lambda forms: forms[0],
        lambda event, form: services.pin(
            event, current_user, form.pin_person.data, form.pin_round.data, form.pin_table.data
        ),
    )


@bp.post(f"{TAB}/keep")
def keep(slug: str, event_id: int):
    return _replan_around(
        slug,
        event_id,
        lambda forms: forms[1],
        lambda event, form: services.keep(
            event, current_user, form.pair_first.data, form.pair_second.data,
            together=form.pair_how.data == "together",
        ),  # fmt: skip
    )


@bp.post(f"{TAB}/unpin")
def unpin(slug: str, event_id: int):
    _, _, event = require_event_organizer(slug, event_id)
    if not EmptyForm().validate_on_submit():
        return _done(slug, event.id)
    try:
        made = services.clear_pins(event, current_user)
    except TablesError as error:
        flash(error.message, "error")
        return _done(slug, event.id)
    flash(f"Pins cleared and re-planned: {made.report['summary']}", "success")
    return _done(slug, event.id)
