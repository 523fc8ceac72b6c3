"""Manage → Insights (/c/<slug>/manage/insights): is the community alive? Charts with their
tables and a CSV of each, for the period the organizer picks.

require_organizer as on every Manage screen: logged out -> log in, non-member 404, member 403.
"""

from __future__ import annotations

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from community.communities.access import require_organizer
from community.core import sections
from community.core.errors import DomainError
from community.core.models import utcnow
from community.insights import dashboard, services
from community.insights.forms import InviteForm, PeriodForm
from community.insights.permissions import can_invite_drifting, can_view_insights

bp = Blueprint("insights", __name__)

PAGE = "/c/<slug>/manage/insights"
#: The drifting-away list shows this many (the latest to have come); the CSV has them all.
DRIFTING_SHOWN = 50


def _period() -> tuple[PeriodForm, str]:
    form = PeriodForm(formdata=request.args if "period" in request.args else None)
    return form, form.chosen()


@bp.get(PAGE)
def page(slug: str):
    community, membership = require_organizer(slug)
    form, period = _period()
    now = utcnow()
    figures = dashboard.insights(community, period, now)
    drifting = figures.drifting[:DRIFTING_SHOWN]
    return render_template(
        "insights/page.html",
        community=community,
        membership=membership,
        form=form,
        period=period,
        figures=figures,
        tables=dashboard.tables(figures),
        charts=dashboard.pictures(figures),
        chart_events=dashboard.CHART_EVENTS,
        drifting=drifting,
        next_event=services.next_event(community.id, [member.user_id for member in drifting], now),
        invite_form=InviteForm(),
        can_invite=can_invite_drifting(membership),
    )


@bp.get(f"{PAGE}/<any(attendance, newcomers, members, introductions, cohorts, drifting):chart>.csv")
def download(slug: str, chart: str):
    community, _ = require_organizer(slug)
    _, period = _period()
    table = dashboard.tables(dashboard.insights(community, period, utcnow())).get(chart)
    if table is None:
        abort(404)
    filename = f"{community.slug}-{chart}-{period}.csv"
    return Response(
        dashboard.csv_bytes(table),
        mimetype="text/csv",
        headers={
            "Content-Disposition": f'attachment; filename="{filename}"',
            "Cache-Control": "private, no-store",
        },
    )


@bp.post(f"{PAGE}/drifting/<int:user_id>/invite")
def invite(slug: str, user_id: int):
    """ "Invite to <next event>" for one member drifting away; back to the list either way."""
    community, membership = require_organizer(slug)
    if not can_invite_drifting(membership):
        abort(403)
    _, period = _period()
    back = redirect(url_for("insights.page", slug=community.slug, period=period, _anchor="drifting-title"))
    form = InviteForm()
    if not form.validate():
        flash("Nothing was sent: reload the page and try again.", "error")
        return back
    try:
        member, event = services.invite_back(community, current_user, user_id, form.event_id.data, utcnow())
    except DomainError as error:
        flash(error.message, "error")
        return back
    flash(f"Invited {member.name} to {event.title}: the email is on its way.", "success")
    return back


@bp.record_once
def _register(state) -> None:
    app = state.app
    sections.add_tab(
        app,
        sections.COMMUNITY_MANAGE_TABS,
        sections.Tab("Insights", "insights.page", 15, active=("insights.",), shown=can_view_insights),
    )
    sections.add_tab(
        app, sections.COMMUNITY_OVERVIEW_LINKS,
        sections.Tab("Insights", "insights.page", 15, shown=can_view_insights,
                     description="Is the community alive? Attendance, newcomers, who is drifting away."),
    )  # fmt: skip
