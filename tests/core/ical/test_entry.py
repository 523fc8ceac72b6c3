"""CalendarEntry: the value every builder takes refuses what no calendar client could show."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tests.core.ical.samples import make


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"status": "MAYBE"}, "status must be one of"),
        ({"starts_at": datetime(2027, 6, 12, 18)}, "naive datetime"),
        ({"ends_at": datetime(2027, 6, 12, 17, tzinfo=UTC)}, "cannot end before it starts"),
    ],
)
def test_calendar_events_refuse_what_no_client_could_show(overrides, message):
    with pytest.raises(ValueError, match=message):
        make(**overrides)
