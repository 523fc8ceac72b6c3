"""Manage → Insights (/c/<slug>/manage/insights): is the community alive? Charts with their
tables and a CSV of each, for the period the organizer picks.

require_organizer as on every Manage screen: logged out -> log in, non-member 404, member 403.
"""

from __future__ import annotations

from flask import Blueprint, Response, abort, render_template, request

from community.communities.access import require_organizer
from community.core import sections
from community.core.models import utcnow
from community.insights import dashboard
from community.insights.forms import PeriodForm
from community.insights.permissions import can_view_insights

bp = Blueprint("insights", __name__)

PAGE = "/c/<slug>/manage/insights"


def _period() -> tuple[PeriodForm, str]:
    form = PeriodForm(formdata=request.args if "period" in request.args else None)
    return form, form.chosen()


@bp.get(PAGE)
def page(slug: str):
    community, membership = require_organizer(slug)
    form, period = _period()
    figures = dashboard.insights(community, period, utcnow())
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
