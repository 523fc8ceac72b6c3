"""Fixtures for the feed tests: events' community and organizer, and `read` (one run per parser)."""

from tests.events.conftest import community, organizer, published_event  # noqa: F401
from tests.feeds.samples import icaljs, read  # noqa: F401
