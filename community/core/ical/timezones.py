"""IANA zones as iCalendar VTIMEZONE components, built from the zoneinfo database.

The offset changes are read from zoneinfo (not from `icalendar.Timezone.from_tzinfo`,
which misses some, e.g. Morocco's Ramadan changes in 2024 and 2027, and writes a DAYLIGHT
onset in the new offset where RFC 5545 3.6.5 wants the local time before the change).
Each kind of change becomes one observance, in the form every parser reads:

- onsets that follow a yearly rule (last Sunday of March...) are DTSTART + RRULE, as
  tzurl.org, Google and Outlook write them;
- anything else (a single change, Morocco's Ramadan, a rule that changed) gets one RDATE
  property per onset, DTSTART included. RFC 5545 counts DTSTART in the set anyway and
  allows a list in one RDATE, but ical.js (Thunderbird) reads only the first date of a
  list and ignores DTSTART when there are RDATEs, and the strict `ical` package ignores
  a DTSTART that no RRULE or RDATE repeats (a zone without DST, Asia/Tokyo, fell to UTC+0).
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from icalendar import Timezone, TimezoneDaylight, TimezoneStandard, vRecur

#: Zone names that mean "UTC": events in them are written as UTC times ("...Z"), no VTIMEZONE.
UTC_NAMES = frozenset({"UTC", "Etc/UTC", "Etc/UCT", "UCT", "Etc/Zulu", "Zulu", "GMT", "Etc/GMT", "Universal"})
WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


@lru_cache(maxsize=512)
def resolve_zone(name: str) -> ZoneInfo | None:
    """The zone for an IANA name, or None when all there is is UTC (or the name is unknown)."""
    if not name or name in UTC_NAMES:
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None


def zone_years(instants: Iterable[datetime]) -> tuple[int, int]:
    """The first and last year a set of instants touches, a year of slack each side."""
    years = [instant.year for instant in instants]
    return min(years) - 1, max(years) + 1


def _state(zone: ZoneInfo, instant: datetime) -> tuple[timedelta, str, bool]:
    local = instant.astimezone(zone)
    dst = local.dst()
    return local.utcoffset(), local.tzname() or "", bool(dst and dst > timedelta(0))


def transitions(zone: ZoneInfo, start: datetime, end: datetime) -> list[tuple[datetime, tuple, tuple]]:
    """(UTC instant, state before, state after) for every change of offset or name between
    two UTC instants. Sampled daily, then narrowed to the minute (changes are on minutes)."""
    found = []
    day = timedelta(days=1)
    here, state = start, _state(zone, start)
    while here < end:
        there = min(here + day, end)
        after = _state(zone, there)
        if after != state:
            low, high = here, there  # state(low) == state, state(high) != state
            while high - low > timedelta(minutes=1):
                middle = low + (high - low) / 2
                middle = middle.replace(second=0, microsecond=0)
                if middle <= low:
                    middle = low + timedelta(minutes=1)
                if _state(zone, middle) == state:
                    low = middle
                else:
                    high = middle
            found.append((high, state, _state(zone, high)))
            state = _state(zone, high)
            here = high
            continue
        here = there
    return found


@lru_cache(maxsize=256)
def vtimezone(name: str, first_year: int, last_year: int) -> Timezone:
    """A VTIMEZONE for `name` with every offset change from 1 January `first_year` to
    31 December `last_year`, so clients place times in those years on the right wall clock.

    Cached: a component is never changed after it is built, only serialised.
    """
    zone = resolve_zone(name)
    if zone is None:
        raise ValueError(f"{name!r} needs no VTIMEZONE: times in it are written in UTC")
    start = datetime(first_year, 1, 1, tzinfo=zone).astimezone(UTC)
    end = datetime(last_year + 1, 1, 1, tzinfo=zone).astimezone(UTC)
    initial = _state(zone, start)
    # (kind, offset from, offset to, name) -> onsets, in the local time before each change.
    observances: dict[tuple, list[datetime]] = {
        (initial[2], initial[0], initial[0], initial[1]): [start.astimezone(zone).replace(tzinfo=None)]
    }
    for instant, before, after in transitions(zone, start, end):
        key = (after[2], before[0], after[0], after[1])
        observances.setdefault(key, []).append((instant + before[0]).replace(tzinfo=None))
    component = Timezone()
    component.add("tzid", name)
    for (daylight, offset_from, offset_to, tzname), onsets in observances.items():
        observance = TimezoneDaylight() if daylight else TimezoneStandard()
        observance.add("dtstart", onsets[0])
        rule = yearly_rule(onsets)
        if rule is not None:
            observance.add("rrule", rule)
        else:
            for onset in onsets:  # one per line: ical.js reads only the first of a list
                observance.add("rdate", onset)
        if tzname:
            observance.add("tzname", tzname)
        observance.add("tzoffsetfrom", offset_from)
        observance.add("tzoffsetto", offset_to)
        component.add_component(observance)
    return component


def yearly_rule(onsets: list[datetime]) -> vRecur | None:
    """The RRULE that gives exactly these onsets (one a year, the same weekday of the same
    month at the same time: "the last Sunday of October at 02:00"), or None if there is none."""
    if len(onsets) < 2:
        return None
    first = onsets[0]
    if any(
        onset.year != first.year + index
        or (onset.month, onset.time(), onset.weekday()) != (first.month, first.time(), first.weekday())
        for index, onset in enumerate(onsets)
    ):
        return None
    weekday = WEEKDAYS[first.weekday()]
    if all(onset.day > calendar.monthrange(onset.year, onset.month)[1] - 7 for onset in onsets):
        by_day = f"-1{weekday}"
    elif len({(onset.day - 1) // 7 for onset in onsets}) == 1 and first.day <= 28:
        by_day = f"{(first.day - 1) // 7 + 1}{weekday}"
    else:
        return None
    return vRecur({"FREQ": "YEARLY", "BYMONTH": first.month, "BYDAY": by_day})
