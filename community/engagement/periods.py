"""Goal periods: calendar months and quarters in the member's own time zone (pure)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from community.engagement.models import GoalPeriod

MONTH_NAMES = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


@dataclass(frozen=True)
class Period:
    """[starts_at, ends_at) in UTC, with its label in the member's words ("Mar 2027", "Q1 2027")."""

    starts_at: datetime
    ends_at: datetime
    label: str


def _months(period: GoalPeriod) -> int:
    return 3 if period == GoalPeriod.QUARTER else 1


def _shift(year: int, month: int, months: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + months
    return index // 12, index % 12 + 1


def _label(year: int, month: int, period: GoalPeriod) -> str:
    if period == GoalPeriod.QUARTER:
        return f"Q{(month - 1) // 3 + 1} {year}"
    return f"{MONTH_NAMES[month - 1]} {year}"


def period_at(moment: datetime, period: GoalPeriod, zone: str, back: int = 0) -> Period:
    """The month or quarter holding `moment` in `zone` (or the one `back` periods before it)."""
    tz = ZoneInfo(zone)
    local = moment.astimezone(tz)
    size = _months(period)
    first_month = (local.month - 1) // size * size + 1
    year, month = _shift(local.year, first_month, -back * size)
    end_year, end_month = _shift(year, month, size)
    starts = datetime(year, month, 1, tzinfo=tz).astimezone(UTC)
    ends = datetime(end_year, end_month, 1, tzinfo=tz).astimezone(UTC)
    return Period(starts, ends, _label(year, month, period))


def recent_periods(moment: datetime, period: GoalPeriod, zone: str, count: int) -> list[Period]:
    """The current period and the `count - 1` before it, oldest first."""
    return [period_at(moment, period, zone, back) for back in range(count - 1, -1, -1)]


def months_before(moment: datetime, months: int) -> datetime:
    """The same moment `months` calendar months earlier (the last day of a shorter month)."""
    year, month = _shift(moment.year, moment.month, -months)
    day = moment.day
    while True:
        try:
            return moment.replace(year=year, month=month, day=day)
        except ValueError:
            day -= 1
