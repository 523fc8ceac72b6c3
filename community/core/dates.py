"""The calendar the site works in: dates between 1900 and 2200.

Python's datetime ends at 9999-12-31 and starts at 0001-01-01, so a date near either end
cannot be moved to another time zone (10000-01-01 03:00 UTC does not exist). Nobody plans an
event in either, so forms and the time-zone conversions both refuse dates outside this range.
"""

from __future__ import annotations

from datetime import date

EARLIEST = date(1900, 1, 1)
LATEST = date(2200, 12, 31)
OUT_OF_RANGE = f"Pick a date between {EARLIEST.year} and {LATEST.year}."


def in_range(day: date) -> bool:
    return EARLIEST <= day <= LATEST
