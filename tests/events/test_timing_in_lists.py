"""How an event's dates read in a list (timing.short_when) and how a series' rhythm is worded
(timing.describe_rhythm): pure functions, called directly."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest

from community.events.timing import all_day_bounds, describe_rhythm, local_to_utc, short_when

LONDON = "Europe/London"


def all_days(first: date, last: date, zone: str = LONDON) -> str:
    starts_at, ends_at = all_day_bounds(first, last, zone)
    return short_when(starts_at, ends_at, zone, True)


def timed(first: date, start: time, last: date, end: time, zone: str = LONDON) -> str:
    return short_when(local_to_utc(first, start, zone), local_to_utc(last, end, zone), zone, False)


@pytest.mark.parametrize(
    ("first", "last", "expected"),
    [
        (date(2027, 6, 14), date(2027, 6, 14), "Mon 14 Jun 2027, all day"),
        (date(2027, 1, 29), date(2027, 1, 31), "Fri 29 – Sun 31 Jan 2027"),
        (date(2027, 1, 29), date(2027, 2, 1), "Fri 29 Jan – Mon 1 Feb 2027"),
        (date(2027, 12, 30), date(2028, 1, 2), "Thu 30 Dec 2027 – Sun 2 Jan 2028"),
    ],
)
def test_all_day_events_show_their_span(first, last, expected):
    assert all_days(first, last) == expected


def test_an_all_day_span_is_read_in_the_events_own_zone():
    # Midnight in Auckland is the previous day in UTC: the days are still Auckland's.
    assert all_days(date(2027, 3, 5), date(2027, 3, 7), "Pacific/Auckland") == "Fri 5 – Sun 7 Mar 2027"


def test_a_timed_event_on_one_day_gives_its_start_and_zone():
    assert timed(date(2027, 6, 14), time(18, 30), date(2027, 6, 14), time(22)) == "Mon 14 Jun 2027, 18:30 BST"


def test_an_evening_that_ends_after_midnight_is_not_a_span():
    assert timed(date(2027, 6, 18), time(22), date(2027, 6, 19), time(3)) == "Fri 18 Jun 2027, 22:00 BST"


def test_a_timed_event_over_several_days_shows_both_ends():
    text = timed(date(2027, 1, 29), time(18), date(2027, 1, 31), time(14))
    assert text == "Fri 29 Jan, 18:00 – Sun 31 Jan 2027, 14:00 GMT"
    across_years = timed(date(2027, 12, 31), time(20), date(2028, 1, 2), time(12))
    assert across_years == "Fri 31 Dec 2027, 20:00 – Sun 2 Jan 2028, 12:00 GMT"


def test_the_utc_instant_is_shown_in_the_zone_not_in_utc():
    starts_at = datetime(2027, 6, 14, 23, 30, tzinfo=UTC)  # 19:30 in New York
    ends_at = datetime(2027, 6, 15, 2, 0, tzinfo=UTC)
    assert short_when(starts_at, ends_at, "America/New_York", False) == "Mon 14 Jun 2027, 19:30 EDT"


@pytest.mark.parametrize(
    ("frequency", "interval", "expected"),
    [
        ("weekly", 1, "weekly"),
        ("weekly", 2, "every 2 weeks"),
        ("monthly", 1, "monthly"),
        ("monthly", 3, "every 3 months"),
    ],
)
def test_a_series_rhythm_in_words(frequency, interval, expected):
    assert describe_rhythm(frequency, interval) == expected
