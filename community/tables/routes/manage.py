"""An event's "Tables" tab for organizers: make a plan, see it with its report, re-plan
(from a round), restore an older plan, publish it, print a round and download the CSV.

Every screen starts with require_event_organizer (logged out -> log in, non-member 404,
member 403, an event of another community 404).
"""

from __future__ import annotations

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from community.core import sections
from community.core.forms import EmptyForm
from community.events.access import require_event_organizer, screen_context
from community.tables import queries, services
from community.tables.export import tables_csv
from community.tables.forms import PlanForm, ReplanFromForm
from community.tables.models import Seated
from community.tables.routes import bp
from community.tables.routes.pins import pin_forms
from community.tables.services import Settings, TablesError

TAB = "/c/<slug>/manage/events/<int:event_id>/tables"


def _settings(form: PlanForm) -> Settings:
    arrange = form.arrange.data
    return Settings(
        rounds=form.rounds.data,
        table_size=form.table_size.data if arrange == "size" else None,
        table_count=form.table_count.data if arrange == "count" else None,
        named_tables=form.named if arrange == "named" else None,
        seated=Seated(form.seated.data),
    )


def _tab_page(community, membership, event, form: PlanForm, status: int = 200):
    plan = queries.current_plan(event)
    published = queries.published_plan(event)
    return render_template(
        "tables/manage.html",
        **screen_context(community, membership, event),
        form=form,
        plan=plan,
        grid=queries.grid(plan) if plan else [],
        names=queries.names_by_key(plan) if plan else {},
        published=published,
        plans=queries.plans_of(event),
        replan_form=ReplanFromForm(formdata=None, from_round=2),
        pin_forms=pin_forms(plan) if plan else (None, None),
        pins=_pins_in_words(plan) if plan else [],
        action=EmptyForm(formdata=None),
        figures=queries.figures,
    ), status


@bp.route(TAB, methods=["GET", "POST"])
def plan(slug: str, event_id: int):
    """The tab, and its "Make plan" form."""
    community, membership, event = require_event_organizer(slug, event_id)
    current = queries.current_plan(event)
    form = PlanForm(obj=None)
    if request.method == "GET" and current is not None:
        form = PlanForm(formdata=None, **_form_values(current))
    if form.validate_on_submit():
        try:
            made = services.make_plan(event, current_user, _settings(form))
        except TablesError as error:
            form.form_errors.append(error.message)
        else:
            unpinned = " Pins were cleared, as the tables may have changed." if _had_pins(current) else ""
            flash(f"Plan made: {made.report['summary']}{unpinned}", "success")
            return redirect(url_for("tables.plan", slug=slug, event_id=event.id))
    return _tab_page(community, membership, event, form, 422 if form.errors or form.form_errors else 200)


def _had_pins(plan) -> bool:
    return plan is not None and bool((plan.constraints or {}).get("pins"))


def _pins_in_words(plan) -> list[str]:
    """The plan's pins as the organizer set them: "Ana: round 2, Table 3", "Ana and Bo apart"."""
    names = queries.names_by_key(plan)
    kept = plan.constraints or {}
    words = [
        f"{names.get(person, 'Someone')}: round {round_}, {plan.table_names[table - 1]}"
        for person, round_, table in kept.get("pins", [])
        if 0 < table <= len(plan.table_names)
    ]
    for how in ("together", "apart"):
        pairs = kept.get(how, [])
        words += [f"{names.get(a, 'Someone')} and {names.get(b, 'someone')} {how}" for a, b in pairs]
    return words


def _form_values(plan) -> dict:
    named = (plan.constraints or {}).get("named_tables")
    return {
        "arrange": "named" if named else "count" if plan.table_count is not None else "size",
        "named_tables": "\n".join(f"{name}: {seats}" for name, seats in named or []),
        "table_size": plan.table_size,
        "table_count": plan.table_count,
        "rounds": plan.rounds,
        "seated": plan.seated.value,
    }


def _back(slug: str, event_id: int):
    return redirect(url_for("tables.plan", slug=slug, event_id=event_id))


@bp.post(f"{TAB}/replan")
def replan(slug: str, event_id: int):
    _, _, event = require_event_organizer(slug, event_id)
    if EmptyForm().validate_on_submit():
        try:
            made = services.replan(event, current_user)
        except TablesError as error:
            flash(error.message, "error")
        else:
            flash(f"New plan made (the one before is kept below): {made.report['summary']}", "success")
    return _back(slug, event.id)


@bp.post(f"{TAB}/replan-from")
def replan_from(slug: str, event_id: int):
    _, _, event = require_event_organizer(slug, event_id)
    form = ReplanFromForm()
    if not form.validate_on_submit():
        flash(" ".join(form.from_round.errors) or "The form had expired. Please try again.", "error")
        return _back(slug, event.id)
    try:
        made = services.replan(event, current_user, from_round=form.from_round.data)
    except TablesError as error:
        flash(error.message, "error")
    else:
        flash(f"Re-planned from round {form.from_round.data}: {made.report['summary']}", "success")
    return _back(slug, event.id)


@bp.route(f"{TAB}/publish", methods=["GET", "POST"])
def publish(slug: str, event_id: int):
    """Asks first: publishing emails everyone seated."""
    community, membership, event = require_event_organizer(slug, event_id)
    plan = queries.current_plan(event)
    if plan is None:
        flash("There is no plan yet: make one first.", "error")
        return _back(slug, event.id)
    form = EmptyForm()
    if form.validate_on_submit():
        try:
            sent = services.publish(plan, current_user)
        except TablesError as error:
            flash(error.message, "error")
        else:
            emailed = "1 person was" if sent == 1 else f"{sent} people were"
            flash(f"Published: attendees see their tables, and {emailed} emailed.", "success")
        return _back(slug, event.id)
    people = len(queries.tables_people(plan))
    return render_template(
        "tables/publish.html",
        **screen_context(community, membership, event),
        plan=plan,
        people=people,
        form=form,
    )


@bp.get(f"{TAB}/plans/<int:plan_id>")
def view_plan(slug: str, event_id: int, plan_id: int):
    """One plan of the event, its tables and its figures beside the current plan's."""
    community, membership, event = require_event_organizer(slug, event_id)
    shown = queries.plan_of(event, plan_id)
    if shown is None:
        abort(404)
    current = queries.current_plan(event)
    theirs = queries.figures(current.report) if current else []
    comparison = list(zip(queries.figures(shown.report), theirs, strict=True)) if current else []
    return render_template(
        "tables/plan.html", **screen_context(community, membership, event), plan=shown, current=current,
        grid=queries.grid(shown), comparison=comparison, figures=queries.figures,
    )  # fmt: skip


@bp.post(f"{TAB}/plans/<int:plan_id>/restore")
def restore(slug: str, event_id: int, plan_id: int):
    _, _, event = require_event_organizer(slug, event_id)
    older = queries.plan_of(event, plan_id)
    if older is None:
        abort(404)
    if EmptyForm().validate_on_submit():
        try:
            services.restore(older, current_user)
        except TablesError as error:
            flash(error.message, "error")
        else:
            flash("That plan is the current one again. Publish it to show it to attendees.", "success")
    return _back(slug, event.id)


@bp.get("/c/<slug>/manage/events/<int:event_id>/tables.csv")
def download(slug: str, event_id: int):
    _, _, event = require_event_organizer(slug, event_id)
    plan = queries.current_plan(event)
    if plan is None:
        abort(404)
    return Response(
        tables_csv(queries.csv_rows(plan)),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="tables-event-{event.id}.csv"'},
    )


@bp.get(f"{TAB}/print")
def print_round(slug: str, event_id: int):
    """A print sheet for one round (one block per table, large type) and place cards."""
    community, membership, event = require_event_organizer(slug, event_id)
    plan = queries.current_plan(event)
    if plan is None:
        abort(404)
    number = request.args.get("round", 1, type=int)
    if not 1 <= number <= plan.rounds:
        abort(404)
    rows = queries.grid(plan)
    return render_template(
        "tables/print.html", **screen_context(community, membership, event), plan=plan, number=number,
        tables=[(row.name, row.cells[number - 1]) for row in rows],
    )  # fmt: skip


@bp.record_once
def _register(state) -> None:
    app = state.app
    others = (
        "tables.replan", "tables.replan_from", "tables.publish", "tables.restore", "tables.print_round",
        "tables.view_plan",
        "tables.pin", "tables.keep", "tables.unpin",
    )  # fmt: skip
    tab = sections.Tab("Tables", "tables.plan", 60, active=others)
    sections.add_tab(app, sections.EVENT_MANAGE_TABS, tab)
    sections.also_current(app, sections.COMMUNITY_MANAGE_TABS, "event_admin.events", "tables.plan", *others)
