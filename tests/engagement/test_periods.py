"""Goal periods in the member's zone: months, quarters, the turn of the year, far zones."""

from __future__ import annotations

from community.engagement.models import GoalPeriod
from community.engagement.periods import months_before, period_at, recent_periods
from tests.engagement.conftest import at


def test_a_month_in_london_starts_at_local_midnight():
    period = period_at(at(2027, 3, 15, 12), GoalPeriod.MONTH, "Europe/London")

    assert period.label == "Mar 2027"
    assert period.starts_at == at(2027, 3, 1, 0)  # GMT in early March
    assert period.ends_at == at(2027, 3, 31, 23)  # BST from 28 March


def test_kiritimati_is_already_in_the_new_year_when_utc_is_not():
    moment = at(2026, 12, 31, 11)  # 01:00 on 1 January 2027 at UTC+14

    month = period_at(moment, GoalPeriod.MONTH, "Pacific/Kiritimati")
    quarter = period_at(moment, GoalPeriod.QUARTER, "Pacific/Kiritimati")

    assert (month.label, month.starts_at, month.ends_at) == (
        "Jan 2027",
        at(2026, 12, 31, 10),
        at(2027, 1, 31, 10),
    )
    assert (quarter.label, quarter.starts_at, quarter.ends_at) == (
        "Q1 2027",
        at(2026, 12, 31, 10),
        at(2027, 3, 31, 10),
    )
    assert period_at(moment, GoalPeriod.MONTH, "UTC").label == "Dec 2026"


def test_pago_pago_is_still_in_the_old_year_when_utc_is_not():
    moment = at(2027, 1, 1, 5)  # 18:00 on 31 December 2026 at UTC-11

    quarter = period_at(moment, GoalPeriod.QUARTER, "Pacific/Pago_Pago")

    assert (quarter.label, quarter.starts_at, quarter.ends_at) == (
        "Q4 2026",
        at(2026, 10, 1, 11),
        at(2027, 1, 1, 11),
    )
    assert period_at(moment, GoalPeriod.QUARTER, "UTC").label == "Q1 2027"


def test_recent_periods_go_back_across_the_year():
    months = recent_periods(at(2027, 2, 10), GoalPeriod.MONTH, "UTC", 4)
    quarters = recent_periods(at(2027, 2, 10), GoalPeriod.QUARTER, "UTC", 3)

    assert [period.label for period in months] == ["Nov 2026", "Dec 2026", "Jan 2027", "Feb 2027"]
    assert [period.label for period in quarters] == ["Q3 2026", "Q4 2026", "Q1 2027"]
    assert all(a.ends_at == b.starts_at for a, b in zip(months, months[1:], strict=False))


def test_months_before_keeps_the_day_or_takes_the_last_of_a_short_month():
    assert months_before(at(2027, 3, 31, 9), 1) == at(2027, 2, 28, 9)
    assert months_before(at(2027, 1, 15), 6) == at(2026, 7, 15)
    assert months_before(at(2027, 1, 31), -1) == at(2027, 2, 28)
