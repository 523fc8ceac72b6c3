"""Page sections that a feature higher up fills in for a page lower down.

The front page (core) lists upcoming events, and a community's home page (communities)
shows its upcoming events, yet neither core nor communities may import events. The events
blueprint provides a function per section when it is registered; the lower page asks for
the section by name and renders the template the function names. A page whose section
has no provider simply leaves it out.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Flask, current_app

EXTENSION_KEY = "roundtable.sections"

FRONT_PAGE_EVENTS = "front_page_events"  # fn(page: int) -> dict
COMMUNITY_EVENTS = "community_events"  # fn(community, membership) -> dict
EVENT_CALENDAR_LINKS = "event_calendar_links"  # fn(event) -> dict
COMMUNITY_CALENDAR_LINKS = "community_calendar_links"  # fn(community) -> dict
COMMUNITY_ORGANIZERS = "community_organizers"  # fn(community, viewer: User | None) -> dict


def provide(app: Flask, name: str, builder: Callable[..., dict[str, Any]]) -> None:
    app.extensions.setdefault(EXTENSION_KEY, {})[name] = builder


def section(name: str, *args: Any) -> dict[str, Any] | None:
    """The section's context (with its "template"), or None when no feature provides it."""
    builder = current_app.extensions.get(EXTENSION_KEY, {}).get(name)
    return builder(*args) if builder is not None else None
