"""A goal's history as a small bar chart: a pure function from values to SVG text (no script,
every bar labelled with its number and period, the target a dashed line named in words)."""

from __future__ import annotations

from collections.abc import Sequence
from xml.sax.saxutils import escape

WIDTH = 320
HEIGHT = 140
TOP = 20
BOTTOM = 34  # room for the period labels (two lines)
LEFT = 8


def history_svg(
    title: str, labels: Sequence[str], counts: Sequence[int], target: int, *, chart_id: str = "goal"
) -> str:
    """A bar for each period (oldest first) with its count above it, and the target as a line."""
    if len(labels) != len(counts):
        raise ValueError("one label per count")
    peak = max([target, *counts, 1])
    plot = HEIGHT - TOP - BOTTOM
    slot = (WIDTH - 2 * LEFT) / max(len(counts), 1)
    bar = slot * 0.6
    previous_year = ""
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}" '
        f'height="{HEIGHT}" role="img" aria-labelledby="{chart_id}-title {chart_id}-desc" '
        'class="goal-chart">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(_summary(labels, counts, target))}</desc>',
    ]
    for index, (label, count) in enumerate(zip(labels, counts, strict=True)):
        height = plot * count / peak
        x = LEFT + index * slot + (slot - bar) / 2
        y = TOP + plot - height
        reached = count >= target
        parts.append(
            f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar:.1f}" height="{height:.1f}" '
            f'class="goal-chart__bar{" goal-chart__bar--met" if reached else ""}"/>'
        )
        centre = x + bar / 2
        parts.append(f'<text x="{centre:.1f}" y="{y - 4:.1f}" text-anchor="middle">{count}</text>')
        # "Jul 2026" as "Jul" over "2026", the year only where it changes: six fit in 320 px.
        period, _, year = label.rpartition(" ")
        period, year = (period, year) if period else (label, "")
        shown_year = year if year and year != previous_year else ""
        previous_year = year
        parts.append(
            f'<text x="{centre:.1f}" y="{HEIGHT - 16}" text-anchor="middle" class="goal-chart__label">'
            f"{escape(period)}</text>"
        )
        if shown_year:
            parts.append(
                f'<text x="{centre:.1f}" y="{HEIGHT - 4}" text-anchor="middle" class="goal-chart__label">'
                f"{escape(shown_year)}</text>"
            )
    line_y = TOP + plot - plot * target / peak
    parts.append(
        f'<line x1="{LEFT}" x2="{WIDTH - LEFT}" y1="{line_y:.1f}" y2="{line_y:.1f}" '
        'class="goal-chart__target" stroke-dasharray="4 3"/>'
    )
    parts.append(
        f'<text x="{WIDTH - LEFT}" y="{line_y - 4:.1f}" text-anchor="end" class="goal-chart__label">'
        f"target {target}</text>"
    )
    parts.append("</svg>")
    return "".join(parts)


def _summary(labels: Sequence[str], counts: Sequence[int], target: int) -> str:
    values = ", ".join(f"{label}: {count}" for label, count in zip(labels, counts, strict=True))
    return f"Target {target} a period. {values}."
