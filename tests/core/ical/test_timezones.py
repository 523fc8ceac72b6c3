"""VTIMEZONE components: every parser must put every event on its wall-clock time, in zones
with yearly DST rules, without DST, with half-hour offsets and with irregular changes."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from community.core.ical.document import feed_document
from community.core.ical.timezones import resolve_zone, transitions, vtimezone, yearly_rule
from tests.core.ical.samples import at, make

ZONES = [
    "Europe/London",
    "America/New_York",
    "America/St_Johns",  # -03:30 / -02:30
    "Australia/Sydney",  # southern hemisphere: daylight time at new year
    "Australia/Lord_Howe",  # a 30-minute DST change
    "Asia/Tokyo",  # no DST at all
    "Asia/Kolkata",  # +05:30, no DST
    "America/Santiago",  # "first Sunday on or after 2 April": no RRULE fits
    "Africa/Casablanca",  # Ramadan: a different change every year
    "Pacific/Chatham",  # +12:45 / +13:45
]


@pytest.mark.parametrize("zone", ZONES)
def test_every_parser_puts_events_on_their_wall_clock_time_all_year(read, zone):
    days = [date(2027, 1, 3) + timedelta(days=5 * n) for n in range(146)]  # two years, every 5 days
    events = [
        make(n, starts_at=at(day, 12, 30, zone=zone), ends_at=at(day, 14, zone=zone), timezone=zone)
        for n, day in enumerate(days)
    ]

    parsed = read(feed_document("N", events, timezone_hint=zone))

    assert parsed.timezones == [zone]
    wrong = [
        (seen.start, seen.start_utc, event.starts_at)
        for event, seen in zip(events, parsed.events, strict=True)
        if seen.start_utc != event.starts_at or seen.end_utc != event.ends_at
    ]
    assert wrong == []
    assert [seen.start for seen in parsed.events] == [f"{day}T12:30:00" for day in days]


def test_a_regular_zone_is_written_as_yearly_rules():
    text = vtimezone("Europe/London", 2026, 2028).to_ical().decode()

    assert "BEGIN:DAYLIGHT\r\nDTSTART:20260329T010000\r\nRRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3\r\n" in text
    assert "DTSTART:20261025T020000\r\nRRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10\r\n" in text
    assert "TZOFFSETFROM:+0000\r\nTZOFFSETTO:+0100\r\n" in text


def test_irregular_changes_get_one_rdate_line_each_including_dtstart():
    text = vtimezone("Africa/Casablanca", 2026, 2028).to_ical().decode()

    assert "RRULE" not in text
    assert "DTSTART:20260215T030000\r\nRDATE:20260215T030000\r\nRDATE:20270207T030000\r\n" in text
    assert "," not in text  # never a list: ical.js reads only the first date of one


def test_a_zone_without_dst_repeats_its_dtstart():
    text = vtimezone("Asia/Tokyo", 2026, 2028).to_ical().decode()
    assert "DTSTART:20260101T000000\r\nRDATE:20260101T000000\r\n" in text
    assert "TZOFFSETTO:+0900" in text


def test_transitions_are_found_to_the_minute():
    zone = resolve_zone("America/New_York")
    found = transitions(zone, datetime(2027, 1, 1, tzinfo=UTC), datetime(2028, 1, 1, tzinfo=UTC))
    assert [instant for instant, _, _ in found] == [
        datetime(2027, 3, 14, 7, tzinfo=UTC),
        datetime(2027, 11, 7, 6, tzinfo=UTC),
    ]


def test_yearly_rule_only_when_it_gives_exactly_the_onsets():
    us_spring = yearly_rule([datetime(2026, 3, 8, 2), datetime(2027, 3, 14, 2)])
    assert us_spring.to_ical() == b"FREQ=YEARLY;BYDAY=2SU;BYMONTH=3"
    assert yearly_rule([datetime(2026, 3, 8, 2)]) is None  # one onset is no rule
    assert yearly_rule([datetime(2026, 3, 8, 2), datetime(2028, 3, 12, 2)]) is None  # a year missing
    chile = [datetime(2026, 4, 5), datetime(2027, 4, 4), datetime(2028, 4, 2), datetime(2029, 4, 8)]
    assert yearly_rule(chile) is None  # first Sunday three times, then the second


def test_utc_and_unknown_zones_need_no_vtimezone():
    assert resolve_zone("UTC") is None and resolve_zone("Etc/UTC") is None
    assert resolve_zone("Mars/Olympus_Mons") is None
    document = feed_document("N", [make(timezone="Mars/Olympus_Mons")], timezone_hint="Mars/Olympus_Mons")
    assert b"VTIMEZONE" not in document
    assert b"DTSTART:20270612T173000Z\r\n" in document  # 18:30 BST, written in UTC
    assert b"X-WR-TIMEZONE:UTC\r\n" in document
    with pytest.raises(ValueError):
        vtimezone("UTC", 2026, 2028)
