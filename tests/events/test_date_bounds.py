"""Dates at the edges of the calendar: a clear form error, never a 500, and nothing stored.

Events (start, end, RSVP deadline, a series' last date) lie between 1900 and 2200; the
conversions between zones refuse anything else themselves, for callers that skip the form.
"""

from __future__ import annotations

from datetime import date, time

import pytest
from sqlalchemy import func, select

from community.core.dates import OUT_OF_RANGE
from community.core.errors import DomainError
from community.events.models import Event, EventSeries
from community.events.services import Recurrence, create_event, create_series
from community.events.timing import TimingError, all_day_bounds, local_to_utc, recurrence_dates
from community.extensions import db
from tests.events.page_helpers import event_form
from tests.factories import event_details

NEW_EVENT = "/c/northfield/manage/events/new"


def stored() -> tuple[int, int]:
    db.session.expire_all()
    return (
        db.session.scalar(select(func.count()).select_from(Event)),
        db.session.scalar(select(func.count()).select_from(EventSeries)),
    )


EDGES = {
    "all day 9999-12-30 to 9999-12-31": dict(
        all_day="y", start_date="9999-12-30", end_date="9999-12-31", start_time="", end_time=""
    ),
    "9999-12-31 22:00 in New York": dict(
        start_date="9999-12-31", start_time="22:00", end_time="23:00", timezone="America/New_York"
    ),
    "0001-01-01 00:30 in Tokyo": dict(
        start_date="0001-01-01", start_time="00:30", end_time="01:30", timezone="Asia/Tokyo"
    ),
    "1899": dict(start_date="1899-12-31"),
    "2201": dict(start_date="2201-01-01"),
    "ends in 2201": dict(start_date="2200-12-31", end_date="2201-01-01", end_time="01:00"),
    "deadline in 9999": dict(deadline_date="9999-12-31", deadline_time="12:00"),
    "deadline in 0001": dict(deadline_date="0001-01-01", deadline_time="00:30", timezone="Asia/Tokyo"),
    "series until 9999": dict(repeat="weekly", repeat_end="until", repeat_until="9999-12-31"),
}


@pytest.mark.parametrize("fields", EDGES.values(), ids=EDGES.keys())
def test_a_date_at_the_edge_of_the_calendar_is_a_form_error(as_organizer, fields):
    response = as_organizer.submit(NEW_EVENT, event_form(**fields))

    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert OUT_OF_RANGE in page or "Not a valid date value." in page
    assert stored() == (0, 0)


def test_the_calendar_edges_the_issue_found_give_the_date_message(as_organizer):
    for name in ["all day 9999-12-30 to 9999-12-31", "9999-12-31 22:00 in New York", "series until 9999"]:
        page = as_organizer.submit(NEW_EVENT, event_form(**EDGES[name])).get_data(as_text=True)
        assert OUT_OF_RANGE in page, name


def test_a_series_that_would_run_past_2200_is_a_form_error(as_organizer):
    response = as_organizer.submit(
        NEW_EVENT, event_form(start_date="2200-12-01", repeat="weekly", repeat_end="count", repeat_count="10")
    )

    assert response.status_code == 422
    assert "The series would go on past 2200. Make it shorter." in response.get_data(as_text=True)
    assert stored() == (0, 0)


@pytest.mark.parametrize("day", ["1900-01-01", "2200-12-31"])
def test_the_first_and_last_days_of_the_range_are_fine(as_organizer, day):
    response = as_organizer.submit(NEW_EVENT, event_form(start_date=day))

    assert response.status_code == 302
    assert stored() == (1, 0)


def test_the_date_inputs_tell_the_browser_the_range(as_organizer):
    page = as_organizer.get(NEW_EVENT).get_data(as_text=True)
    assert 'max="2200-12-31" min="1900-01-01"' in page and 'name="start_date"' in page


# -- the conversions refuse the edges themselves --------------------------------------------------


@pytest.mark.parametrize(
    ("day", "at", "zone"),
    [
        (date(9999, 12, 31), time(22, 0), "America/New_York"),
        (date(1, 1, 1), time(0, 30), "Asia/Tokyo"),
        (date(2201, 1, 1), time(12, 0), "UTC"),
        (date(1899, 12, 31), time(12, 0), "UTC"),
    ],
)
def test_local_to_utc_refuses_days_out_of_range(day, at, zone):
    with pytest.raises(TimingError, match=OUT_OF_RANGE):
        local_to_utc(day, at, zone)


def test_all_day_bounds_and_series_refuse_days_out_of_range():
    with pytest.raises(TimingError, match=OUT_OF_RANGE):
        all_day_bounds(date(9999, 12, 30), date(9999, 12, 31), "Europe/London")
    with pytest.raises(TimingError, match=OUT_OF_RANGE):
        recurrence_dates(date(9999, 12, 1), frequency="weekly", count=5)
    with pytest.raises(TimingError, match=OUT_OF_RANGE):
        recurrence_dates(date(2031, 1, 6), frequency="weekly", until=date(9999, 12, 31))
    with pytest.raises(TimingError, match="past 2200"):
        recurrence_dates(date(2200, 11, 6), frequency="monthly", count=4)


@pytest.mark.parametrize(
    "overrides",
    [
        dict(all_day=True, day=date(9999, 12, 30), end_day=date(9999, 12, 31)),
        dict(day=date(9999, 12, 31), start_time=time(22), end_time=time(23), timezone="America/New_York"),
        dict(day=date(1, 1, 1), start_time=time(0, 30), end_time=time(1, 30), timezone="Asia/Tokyo"),
    ],
    ids=["all day", "New York", "Tokyo"],
)
def test_the_services_refuse_the_edges_even_without_the_form(db, community, organizer, overrides):
    with pytest.raises(DomainError, match=OUT_OF_RANGE):
        create_event(community, organizer, event_details(**overrides))
    db.session.rollback()
    assert stored() == (0, 0)


def test_a_series_until_past_the_range_is_refused_by_the_service(db, community, organizer):
    with pytest.raises(DomainError, match=OUT_OF_RANGE):
        create_series(community, organizer, event_details(), Recurrence("weekly", until=date(9999, 12, 31)))
    db.session.rollback()
    assert stored() == (0, 0)
