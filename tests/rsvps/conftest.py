"""RSVP tests use the event fixtures: a community with an organizer, and an event builder."""

from __future__ import annotations

from tests.events.conftest import as_organizer, community, organizer, published_event  # noqa: F401
