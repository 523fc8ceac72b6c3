"""The Insights page's figures for a period, as tables: each chart's data, the same rows its
screen-reader table and its CSV download show (a pure CSV builder; the route sets headers)."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from community.communities.models import Community
from community.core.cache import cached_value, store_value
from community.core.spreadsheets import BOM, safe_cell
from community.engagement.periods import months_before
from community.insights import charts, state
from community.insights.queries import CohortTurnout, EventFigures, cohort_turnout, event_figures
from community.insights.trends import DriftingMember, MonthFigures, drifting_away, month_of, monthly

#: The periods an organizer can pick, in months (None: all), and the default.
PERIODS: dict[str, int | None] = {"3": 3, "6": 6, "12": 12, "24": 24, "all": None}
DEFAULT_PERIOD = "12"
#: The per-event charts show the latest events; their tables and CSVs have every event of the period.
CHART_EVENTS = 24


@dataclass(frozen=True)
class Table:
    """A chart's data: its name (also the CSV's), a header and rows of plain values."""

    name: str
    caption: str
    header: Sequence[str]
    rows: list[Sequence[object]] = field(default_factory=list)


@dataclass
class Insights:
    events: list[EventFigures]
    months: list[MonthFigures]
    cohorts: list[CohortTurnout]
    drifting: list[DriftingMember]

    @property
    def chart_events(self) -> list[EventFigures]:
        return self.events[-CHART_EVENTS:]


def insights(community: Community, period: str, now: datetime) -> Insights:
    """Everything the page shows, in a fixed number of statements whatever the community's size:
    one when the same state was seen before (kept in the shared cache under state.state_key)."""
    months = PERIODS[period]
    since = months_before(now, months) if months is not None else None
    key = state.state_key(community.id, period, since, now)
    found = cached_value(key)
    if isinstance(found, Insights):
        return found
    figures = _computed(community, since, now)
    store_value(key, figures, timeout=state.TIMEOUT)
    return figures


def _computed(community: Community, since: datetime | None, now: datetime) -> Insights:
    events = event_figures(community.id, since, now)
    if since is not None:
        first_month = month_of(since)
    else:
        first_month = min(
            [month_of(community.created_at), *(month_of(event.starts_at) for event in events[:1])]
        )
    return Insights(
        events=events,
        months=monthly(community.id, first_month, now),
        cohorts=cohort_turnout(community.id, events, now),
        drifting=drifting_away(community.id, now),
    )


def _share(value: float | None) -> str:
    return "" if value is None else f"{round(value * 100)}%"


def tables(figures: Insights) -> dict[str, Table]:
    """Each chart's table, by its name."""
    day = "%Y-%m-%d"
    return {
        "attendance": Table(
            "attendance", "Attendance per event",
            ("Event", "Date", "Going", "Checked in", "No-show rate", "Capacity"),
            [(e.title, e.starts_at.strftime(day), e.going, e.checked_in, _share(e.no_show_rate),
              "" if e.capacity is None else e.capacity) for e in figures.events],
        ),
        "newcomers": Table(
            "newcomers", "New and returning attendees per event",
            ("Event", "Date", "Attended", "New", "Returning", "Made a new connection", "Share connected"),
            [(e.title, e.starts_at.strftime(day), e.attended, e.newcomers, e.returning, e.connected,
              _share(e.connected_share)) for e in figures.events],
        ),
        "members": Table(
            "members", "Members per month (active: RSVP'd, attended or connected in the last 6 months)",
            ("Month", "Members", "Active", "Dormant", "Joined", "Left"),
            [(m.label, m.members, m.active, m.dormant, m.joined, m.left) for m in figures.months],
        ),
        "introductions": Table(
            "introductions", "Introductions and connections per month",
            ("Month", "Introductions requested", "Accepted", "Connections made at events"),
            [(m.label, m.requested, m.accepted, m.connections) for m in figures.months],
        ),
        "cohorts": Table(
            "cohorts", "Turnout per cohort at the events for it",
            ("Cohort", "Members", "Going", "Going share", "Attended", "Attended share"),
            [(c.cohort, c.members, c.going, _share(c.going_share), c.attended, _share(c.attended_share))
             for c in figures.cohorts],
        ),
        "drifting": Table(
            "drifting", "Drifting away: two or more events in the year before the last 6 months, none since",
            ("Member", "Cohort", "Events in that year", "Last event", "Last came"),
            [(d.name, d.cohort or "", d.earlier_events, d.last_event_title, d.last_attended_at.strftime(day))
             for d in figures.drifting],
        ),
    }  # fmt: skip


def csv_bytes(table: Table) -> bytes:
    """The table as CSV that spreadsheets open safely (UTF-8 with a BOM, no formulas)."""
    out = io.StringIO()
    out.write(BOM)
    writer = csv.writer(out)
    writer.writerow(table.header)
    for row in table.rows:
        writer.writerow([safe_cell(cell) for cell in row])
    return out.getvalue().encode("utf-8")


def _short(event: EventFigures) -> str:
    return event.starts_at.strftime("%d %b %y")


def pictures(figures: Insights) -> dict[str, str]:
    """Each chart's SVG, by the name of its table (empty charts left out)."""
    events, months, cohorts = figures.chart_events, figures.months, figures.cohorts
    days = [_short(event) for event in events]
    month_labels = [month.label[:3] + month.label[-2:] for month in months]
    svg: dict[str, str] = {}
    if events:
        svg["attendance"] = charts.bar_chart(
            "chart-attendance",
            "Going and checked in per event",
            days,
            [
                charts.Series("Going", [e.going for e in events]),
                charts.Series("Checked in", [e.checked_in for e in events]),
            ],
            line=charts.Series("Capacity", [e.capacity for e in events]),
        )
        svg["newcomers"] = charts.bar_chart(
            "chart-newcomers",
            "New and returning attendees per event",
            days,
            [
                charts.Series("New", [e.newcomers for e in events]),
                charts.Series("Returning", [e.returning for e in events]),
            ],
        )
        svg["connected"] = charts.bar_chart(
            "chart-connected",
            "Share of attendees who made a new connection",
            days,
            [charts.Series("Made a new connection", [e.connected_share for e in events])],
            unit="%",
        )
    if months:
        svg["members"] = charts.bar_chart(
            "chart-members",
            "Active and dormant members at each month's end",
            month_labels,
            [
                charts.Series("Active", [m.active for m in months]),
                charts.Series("Dormant", [m.dormant for m in months]),
            ],
        )
        svg["growth"] = charts.bar_chart(
            "chart-growth",
            "Members joined and left per month",
            month_labels,
            [
                charts.Series("Joined", [m.joined for m in months]),
                charts.Series("Left", [m.left for m in months]),
            ],
        )
        svg["introductions"] = charts.bar_chart(
            "chart-introductions",
            "Introductions and connections per month",
            month_labels,
            [
                charts.Series("Requested", [m.requested for m in months]),
                charts.Series("Accepted", [m.accepted for m in months]),
                charts.Series("Connections", [m.connections for m in months]),
            ],
        )
    if cohorts:
        svg["cohorts"] = charts.bar_chart(
            "chart-cohorts",
            "Turnout per cohort",
            [c.cohort for c in cohorts],
            [
                charts.Series("Going", [c.going_share for c in cohorts]),
                charts.Series("Attended", [c.attended_share for c in cohorts]),
            ],
            unit="%",
        )
    return svg  # fmt: skip
