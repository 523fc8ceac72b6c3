"""Local wall-clock times <-> UTC, all-day events, and recurrence dates. Pure functions."""

from __future__ import annotations

import calendar
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from community.core.dates import LATEST, OUT_OF_RANGE, in_range
from community.core.errors import DomainError

MAX_OCCURRENCES = 52


class TimingError(DomainError):
    """A date or time that cannot be used; the message says why."""


def zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise TimingError(f"{name!r} is not a time zone we know. Pick one from the list.") from None


def check_in_range(*days: date | None) -> None:
    """:raises TimingError: for a day outside core.dates' range (1900 to 2200).

    The forms refuse these days too; this holds even where a form's check is skipped, so
    that no conversion below meets a date it cannot move across zones (an OverflowError).
    """
    if any(day is not None and not in_range(day) for day in days):
        raise TimingError(OUT_OF_RANGE)


def local_to_utc(day: date, at: time, zone_name: str) -> datetime:
    """The UTC instant of a wall-clock time in a zone.

    :raises TimingError: for a day out of range, or a time that does not exist that day
        (clocks going forward).
    """
    check_in_range(day)
    tz = zone(zone_name)
    local = datetime.combine(day, at, tzinfo=tz)
    try:
        instant = local.astimezone(UTC)
        back = instant.astimezone(tz)
    except (OverflowError, ValueError):
        raise TimingError(OUT_OF_RANGE) from None
    if back.replace(tzinfo=None) != local.replace(tzinfo=None):
        raise TimingError(
            f"{at:%H:%M} does not exist on {day:%-d %B %Y} in {zone_name}: the clocks change. "
            "Choose another time."
        )
    return instant


def to_local(instant: datetime, zone_name: str) -> datetime:
    return instant.astimezone(zone(zone_name))


def all_day_bounds(first_day: date, last_day: date, zone_name: str) -> tuple[datetime, datetime]:
    """An all-day (or multi-day) event: from local midnight of the first day to local
    midnight after the last day (an exclusive end, as iCalendar DATE values have).

    :raises TimingError: the last day before the first, or either out of range.
    """
    check_in_range(first_day, last_day)
    if last_day < first_day:
        raise TimingError("The last day must not be before the first day.")
    tz = zone(zone_name)
    try:
        start = datetime.combine(first_day, time(0), tzinfo=tz).astimezone(UTC)
        end = datetime.combine(last_day + timedelta(days=1), time(0), tzinfo=tz).astimezone(UTC)
    except (OverflowError, ValueError):
        raise TimingError(OUT_OF_RANGE) from None
    return start, end


def nth_weekday(year: int, month: int, weekday: int, ordinal: int) -> date | None:
    """The `ordinal`-th `weekday` (0=Monday) of a month; -1 is the last. None if there is none."""
    days = [
        day
        for day in calendar.Calendar().itermonthdates(year, month)
        if day.month == month and day.weekday() == weekday
    ]
    if ordinal == -1:
        return days[-1]
    return days[ordinal - 1] if 1 <= ordinal <= len(days) else None


def recurrence_dates(
    first: date,
    *,
    frequency: str,
    interval: int = 1,
    weekday_ordinal: int | None = None,
    until: date | None = None,
    count: int | None = None,
) -> list[date]:
    """The dates of a series starting on `first` (included), ending by `until` or `count`.

    weekly: every `interval` weeks on the same weekday.
    monthly: the `weekday_ordinal`-th same weekday of every `interval`-th month (1..4, -1 last).
    :raises TimingError: for a rule without an end, one that would make too many events, or
        dates out of range.
    """
    if until is None and count is None:
        raise TimingError("Say when the series ends: an end date or a number of events.")
    if interval < 1:
        raise TimingError("The interval must be at least 1.")
    check_in_range(first, until)
    limit = min(count or MAX_OCCURRENCES + 1, MAX_OCCURRENCES + 1)
    days: list[date] = []
    step = 0
    while len(days) < limit:
        try:
            day = _occurrence(first, frequency, step * interval, weekday_ordinal)
        except (OverflowError, ValueError):  # stepping past year 9999
            raise TimingError(OUT_OF_RANGE) from None
        if day is None:  # no 5th Monday that month: skip it
            step += 1
            continue
        if until is not None and day > until:
            break
        if not in_range(day):
            raise TimingError(f"The series would go on past {LATEST.year}. Make it shorter.")
        days.append(day)
        step += 1
    if len(days) > MAX_OCCURRENCES:
        raise TimingError(f"A series can have at most {MAX_OCCURRENCES} events. Choose an earlier end.")
    return days


def _occurrence(first: date, frequency: str, steps: int, weekday_ordinal: int | None) -> date | None:
    """The date `steps` weeks or months after `first`; None for a month without that weekday."""
    if frequency == "weekly":
        return first + timedelta(weeks=steps)
    if frequency == "monthly":
        month_index = first.month - 1 + steps
        year, month = first.year + month_index // 12, month_index % 12 + 1
        ordinal = weekday_ordinal or (first.day - 1) // 7 + 1
        return nth_weekday(year, month, first.weekday(), ordinal)
    raise TimingError("A series repeats weekly or monthly.")


def describe_when(starts_at: datetime, ends_at: datetime, zone_name: str, all_day: bool) -> str:
    """Human dates in the event's zone: "Saturday 14 June 2027, 18:00–21:00 (Europe/London)",
    "Friday 11 – Sunday 13 June 2027 (all day)"."""
    start, end = to_local(starts_at, zone_name), to_local(ends_at, zone_name)
    if all_day:
        last = (end - timedelta(days=1)).date()
        if last == start.date():
            return f"{start:%A %-d %B %Y} (all day)"
        return f"{start:%A %-d %B} – {last:%A %-d %B %Y} (all day)"
    if start.date() == end.date():
        return f"{start:%A %-d %B %Y}, {start:%H:%M}–{end:%H:%M} ({zone_name})"
    return f"{start:%A %-d %B %Y, %H:%M} – {end:%A %-d %B %Y, %H:%M} ({zone_name})"


#: A timed event that ends on the next morning before this hour is an evening out, not a
#: multi-day event: lists give its start only.
NIGHT_ENDS_BEFORE = time(6)


def _day_span(first: date, last: date) -> str:
    """ "Fri 29 – Sun 31 Jan 2027", "Fri 29 Jan – Mon 1 Feb 2027", "Thu 30 Dec 2027 – Sun 2 Jan 2028"."""
    if first.year != last.year:
        return f"{first:%a %-d %b %Y} – {last:%a %-d %b %Y}"
    if first.month != last.month:
        return f"{first:%a %-d %b} – {last:%a %-d %b %Y}"
    return f"{first:%a %-d} – {last:%a %-d %b %Y}"


def short_when(starts_at: datetime, ends_at: datetime, zone_name: str, all_day: bool) -> str:
    """An event's dates as one line of a list, in its own zone: "Sat 14 Jun 2027, 18:30 BST",
    "Sat 14 Jun 2027, all day", "Fri 29 – Sun 31 Jan 2027" (all days), and for a timed event
    over several days "Fri 29 Jan, 18:00 – Sun 31 Jan 2027, 14:00 GMT"."""
    start, end = to_local(starts_at, zone_name), to_local(ends_at, zone_name)
    if all_day:
        last = (end - timedelta(days=1)).date()
        if last <= start.date():
            return f"{start:%a %-d %b %Y}, all day"
        return _day_span(start.date(), last)
    overnight = end.date() == start.date() + timedelta(days=1) and end.time() < NIGHT_ENDS_BEFORE
    if end.date() <= start.date() or overnight:
        return f"{start:%a %-d %b %Y, %H:%M %Z}"
    start_text = f"{start:%a %-d %b %Y, %H:%M}" if start.year != end.year else f"{start:%a %-d %b, %H:%M}"
    return f"{start_text} – {end:%a %-d %b %Y, %H:%M %Z}"


def describe_rhythm(frequency: str, interval: int = 1) -> str:
    """How often a series repeats, as a list says it: "weekly", "every 2 weeks", "monthly"."""
    if frequency == "weekly":
        return "weekly" if interval <= 1 else f"every {interval} weeks"
    if frequency == "monthly":
        return "monthly" if interval <= 1 else f"every {interval} months"
    return "repeating"
