"""The time zones people may choose (IANA names), shared by every form and service that asks."""

from __future__ import annotations

from datetime import date, datetime
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from wtforms import SelectChoice


@lru_cache(maxsize=1)
def timezone_names() -> tuple[str, ...]:
    """IANA zone names, sorted (the list is read from disk once)."""
    return tuple(sorted(available_timezones()))


def is_timezone(name: str | None) -> bool:
    """Whether `name` is one of the zones offered (so ZoneInfo(name) works)."""
    return name in timezone_names()


def timezone_choices() -> list[SelectChoice]:
    """The zones for a select field: "America/New_York" shown as "America/New York"."""
    return [SelectChoice(name, name.replace("_", " ")) for name in timezone_names()]


def today_in(name: str) -> date:
    """Today's date in the zone `name`, or in UTC when the name is not a zone we know."""
    try:
        return datetime.now(ZoneInfo(name)).date()
    except (ZoneInfoNotFoundError, ValueError):
        return datetime.now(ZoneInfo("UTC")).date()
