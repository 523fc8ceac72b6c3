"""My goals (/me/goals): progress bars for this period, each goal's history as a chart, and
the settings that shape them (fading after, time zone)."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user, login_required
from markupsafe import Markup

from community.auth.models import User
from community.core.errors import DomainError
from community.core.forms import EmptyForm
from community.core.models import utcnow
from community.engagement import services
from community.engagement.charts import history_svg
from community.engagement.forms import GoalForm, SettingsForm
from community.engagement.models import Goal
from community.engagement.permissions import can_change_goal
from community.engagement.progress import goal_progress
from community.engagement.queries import settings_of
from community.engagement.routes import bp
from community.extensions import db


def _viewer() -> User:
    return current_user._get_current_object()


def _charts(progress) -> dict[int, Markup]:
    return {
        item.goal.id: Markup(
            history_svg(
                f"{item.label}: the last {len(item.history)} periods",
                [row.period.label for row in item.history],
                [row.count for row in item.history],
                item.goal.target,
                chart_id=f"goal-{item.goal.id}",
            )
        )
        for item in progress
    }


def _page(*, new_form: GoalForm | None = None, settings_form: SettingsForm | None = None, error: str = ""):
    viewer = _viewer()
    progress = goal_progress(viewer.id, utcnow())
    settings = settings_of(viewer.id)
    if settings_form is None:
        settings_form = SettingsForm(
            fading_months=str(settings.fading_months),
            timezone=settings.timezone if settings.chosen_zone else "",
        )
    return render_template(
        "engagement/goals.html",
        progress=progress,
        charts=_charts(progress),
        settings=settings,
        new_form=new_form or GoalForm(),
        settings_form=settings_form,
        edit_forms={
            item.goal.id: _edit_form(item.goal.id, obj=item.goal, formdata=None) for item in progress
        },
        delete_form=EmptyForm(),
        error=error,
    )


@bp.get("/me/goals")
@login_required
def goals():
    """My goals with their progress and history."""
    return _page()


@bp.post("/me/goals")
@login_required
def create_goal():
    form = GoalForm()
    if not form.validate_on_submit():
        return _page(new_form=form, error="The goal was not saved: please check it."), 422
    try:
        services.create_goal(_viewer(), kind=form.kind.data, target=form.target.data, period=form.period.data)
    except DomainError as error:
        return _page(new_form=form, error=error.message), 422
    flash("Your goal is set.", "success")
    return redirect(url_for("engagement.goals"))


def _edit_form(goal_id: int, **kwargs) -> GoalForm:
    """Each goal's form has its own field names, so every label on the page is unique."""
    return GoalForm(prefix=f"goal-{goal_id}", **kwargs)


def _own_goal(goal_id: int) -> Goal:
    """:raises NotFound: unless it is the viewer's goal."""
    goal = db.session.get(Goal, goal_id)
    if goal is None or not can_change_goal(current_user, goal):
        abort(404)
    return goal


@bp.post("/me/goals/<int:goal_id>")
@login_required
def update_goal(goal_id: int):
    goal = _own_goal(goal_id)
    form = _edit_form(goal_id)
    if not form.validate_on_submit():
        return _page(error="The goal was not changed: " + _first_error(form)), 422
    try:
        services.update_goal(goal, kind=form.kind.data, target=form.target.data, period=form.period.data)
    except DomainError as error:
        return _page(error=error.message), 422
    flash("Your goal is changed.", "success")
    return redirect(url_for("engagement.goals"))


@bp.post("/me/goals/<int:goal_id>/delete")
@login_required
def delete_goal(goal_id: int):
    goal = _own_goal(goal_id)
    if not EmptyForm().validate_on_submit():
        return _page(error="The form had expired. Please try again."), 422
    services.delete_goal(goal)
    flash("The goal is removed. Its records stay: only the goal is gone.", "success")
    return redirect(url_for("engagement.goals"))


@bp.post("/me/goals/settings")
@login_required
def save_settings():
    form = SettingsForm()
    if not form.validate_on_submit():
        return _page(settings_form=form, error="Your settings were not saved: please check them."), 422
    services.save_settings(_viewer(), fading_months=int(form.fading_months.data), timezone=form.timezone.data)
    flash("Your settings are saved.", "success")
    return redirect(url_for("engagement.goals"))


def _first_error(form: GoalForm) -> str:
    return next((error for field in form for error in field.errors), "please check it.")
