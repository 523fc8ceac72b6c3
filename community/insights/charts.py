"""The dashboard's charts: pure functions from values to SVG text (no script, nothing fetched).

Readable without colour: each series has its own fill pattern (solid, hatched, dotted) named in
a legend, every bar carries its number, and the line (capacity) is dashed and named. Colours
come from classes in app.css; the SVG itself has presentation attributes only (the CSP allows no
inline style).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape

HEIGHT = 220
TOP = 34  # the legend
BOTTOM = 34  # room for the labels under the bars
SIDE = 10
MIN_WIDTH = 320
#: The fill of the first, second and third series: solid, hatched, dotted.
PATTERNS = ("solid", "hatch", "dots")


@dataclass(frozen=True)
class Series:
    """One kind of bar: its name in the legend and a value per label (None: not known)."""

    name: str
    values: Sequence[float | None]


def value_text(value: float | None, unit: str) -> str:
    if value is None:
        return "–"
    if unit == "%":
        return f"{round(value * 100)}%"
    return f"{value:g}"


def _defs(chart_id: str) -> str:
    return (
        "<defs>"
        f'<pattern id="{chart_id}-hatch" width="6" height="6" patternUnits="userSpaceOnUse" '
        'patternTransform="rotate(45)">'
        '<rect width="6" height="6" class="chart__paper"/>'
        '<line x1="0" y1="0" x2="0" y2="6" stroke-width="3" class="chart__ink chart__ink--2"/></pattern>'
        f'<pattern id="{chart_id}-dots" width="5" height="5" patternUnits="userSpaceOnUse">'
        '<rect width="5" height="5" class="chart__paper"/>'
        '<circle cx="2.5" cy="2.5" r="1.4" class="chart__dot chart__ink--3"/></pattern>'
        "</defs>"
    )


def _fill(chart_id: str, index: int) -> str:
    pattern = PATTERNS[index % len(PATTERNS)]
    if pattern == "solid":
        return 'class="chart__bar chart__bar--1"'
    return f'fill="url(#{chart_id}-{pattern})" class="chart__bar chart__bar--{index + 1}"'


def bar_chart(
    chart_id: str,
    title: str,
    labels: Sequence[str],
    series: Sequence[Series],
    *,
    line: Series | None = None,
    unit: str = "",
) -> str:
    """Bars side by side for each label (oldest first), one per series, each with its value
    above it; `line` (capacity) a dashed line across each group; `unit` "%" for shares (0-1)."""
    for one in [*series, *([line] if line else [])]:
        if len(one.values) != len(labels):
            raise ValueError(f"{one.name}: one value per label")
    known = [v for one in [*series, *([line] if line else [])] for v in one.values if v is not None]
    peak = 1.0 if unit == "%" else max([*known, 1])
    group = max(22 * len(series) + 12, 40)
    width = max(MIN_WIDTH, SIDE * 2 + group * len(labels))
    plot = HEIGHT - TOP - BOTTOM
    bar = (group - 12) / max(len(series), 1)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {HEIGHT}" width="{width}" '
        f'height="{HEIGHT}" role="img" aria-labelledby="{chart_id}-title {chart_id}-desc" class="chart">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(describe(labels, series, line, unit))}</desc>',
        _defs(chart_id),
        _legend(chart_id, series, line),
        f'<line x1="{SIDE}" x2="{width - SIDE}" y1="{TOP + plot}" y2="{TOP + plot}" class="chart__axis"/>',
    ]
    for position, label in enumerate(labels):
        left = SIDE + position * group + 6
        for index, one in enumerate(series):
            value = one.values[position]
            height = plot * (value or 0) / peak
            x, y = left + index * bar, TOP + plot - height
            fill = _fill(chart_id, index)
            size = f'width="{bar - 2:.1f}" height="{height:.1f}"'
            parts.append(f'<rect x="{x:.1f}" y="{y:.1f}" {size} {fill}/>')
            parts.append(
                f'<text x="{x + (bar - 2) / 2:.1f}" y="{y - 3:.1f}" text-anchor="middle" '
                f'class="chart__value">{escape(value_text(value, unit))}</text>'
            )
        if line is not None and line.values[position] is not None:
            y = TOP + plot - plot * (line.values[position] or 0) / peak
            parts.append(
                f'<line x1="{left - 3:.1f}" x2="{left + group - 9:.1f}" y1="{y:.1f}" y2="{y:.1f}" '
                'stroke-dasharray="4 3" stroke-width="2" class="chart__line"/>'
            )
        parts.append(
            f'<text x="{left + (group - 12) / 2:.1f}" y="{HEIGHT - 14}" text-anchor="middle" '
            f'class="chart__label">{escape(label)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def _legend(chart_id: str, series: Sequence[Series], line: Series | None) -> str:
    parts, x = [], SIDE
    for index, one in enumerate(series):
        parts.append(f'<rect x="{x}" y="8" width="14" height="14" {_fill(chart_id, index)}/>')
        parts.append(f'<text x="{x + 19}" y="19" class="chart__legend">{escape(one.name)}</text>')
        x += 28 + 7 * len(one.name)
    if line is not None:
        parts.append(
            f'<line x1="{x}" x2="{x + 16}" y1="15" y2="15" stroke-dasharray="4 3" stroke-width="2" '
            'class="chart__line"/>'
        )
        parts.append(f'<text x="{x + 21}" y="19" class="chart__legend">{escape(line.name)}</text>')
    return "".join(parts)


def describe(labels: Sequence[str], series: Sequence[Series], line: Series | None, unit: str) -> str:
    """The chart in one sentence per label, for those who cannot see it."""
    every = [*series, *([line] if line else [])]
    return " ".join(
        f"{label}: " + ", ".join(f"{one.name} {value_text(one.values[i], unit)}" for one in every) + "."
        for i, label in enumerate(labels)
    )
