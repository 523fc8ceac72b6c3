"""Fixtures for the feed tests: events' community and organizer, and `read` (one run per parser)."""

from tests.core.ical.samples import icaljs, read  # noqa: F401
from tests.events.conftest import community, organizer, published_event  # noqa: F401
