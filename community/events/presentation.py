"""How an event reads on its page and when shared: its dates, map links, OpenGraph and
schema.org data. Pure functions: objects in, strings and dicts out; tests call them directly.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlencode

from markupsafe import Markup

from community.core.markdown import markdown_to_text
from community.events.models import Event, EventStatus
from community.events.timing import describe_when, to_local

OG_DESCRIPTION_LENGTH = 200


def when(event: Event) -> str:
    """The event's dates and times in its own zone, as its page and emails say them."""
    return describe_when(event.starts_at, event.ends_at, event.timezone, event.all_day)


def map_url(event: Event) -> str | None:
    """A link to OpenStreetMap (never an embedded map): by coordinates, else by address."""
    if event.latitude is not None and event.longitude is not None:
        return (
            f"https://www.openstreetmap.org/?mlat={event.latitude:.6f}&mlon={event.longitude:.6f}"
            f"#map=17/{event.latitude:.6f}/{event.longitude:.6f}"
        )
    query = ", ".join(part for part in (event.venue_name, event.address) if part)
    if not event.address:
        return None
    return "https://www.openstreetmap.org/search?" + urlencode({"query": query})


def plain_summary(markdown: str, length: int = OG_DESCRIPTION_LENGTH) -> str:
    """The description as one line of plain text, cut at a word boundary."""
    return shorten(" ".join(markdown_to_text(markdown).split()), length)


def shorten(text: str, length: int) -> str:
    """`text` cut at a word boundary to at most `length` characters, "…" included."""
    if len(text) <= length:
        return text
    cut = text[: length - 1]
    if not text[length - 1].isspace():  # drop the word cut in half
        cut = cut.rsplit(" ", 1)[0]
    cut = cut.rstrip(",;:.-–— ")
    return cut + "…"


def _iso(instant: datetime, zone: str) -> str:
    return to_local(instant, zone).isoformat(timespec="minutes")


def attendance_mode(event: Event) -> str:
    has_place = bool(event.venue_name or event.address)
    if event.online_url and has_place:
        return "https://schema.org/MixedEventAttendanceMode"
    if event.online_url:
        return "https://schema.org/OnlineEventAttendanceMode"
    return "https://schema.org/OfflineEventAttendanceMode"


def structured_data(
    event: Event,
    *,
    url: str,
    community_url: str,
    seats_left: int | None,
    plain_description: str | None = None,
) -> dict[str, Any]:
    """A schema.org Event for search engines. The online link is never in it (it is for
    people going); a virtual location points at the event page instead."""
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": event.title,
        "url": url,
        "startDate": _iso(event.starts_at, event.timezone),
        "endDate": _iso(event.ends_at, event.timezone),
        "eventStatus": "https://schema.org/EventCancelled"
        if event.status == EventStatus.CANCELLED
        else "https://schema.org/EventScheduled",
        "eventAttendanceMode": attendance_mode(event),
        "organizer": {"@type": "Organization", "name": event.community.name, "url": community_url},
    }
    if event.all_day:  # dates only; the stored end is the exclusive midnight after the last day
        data["startDate"] = to_local(event.starts_at, event.timezone).date().isoformat()
        data["endDate"] = (to_local(event.ends_at, event.timezone) - timedelta(days=1)).date().isoformat()
    if plain_description is None:
        plain_description = " ".join(markdown_to_text(event.description).split())
    description = shorten(plain_description, 500)
    if description:
        data["description"] = description
    locations: list[dict[str, Any]] = []
    if event.venue_name or event.address:
        place: dict[str, Any] = {"@type": "Place", "name": event.venue_name or event.address}
        if event.address:
            place["address"] = event.address
        if event.latitude is not None and event.longitude is not None:
            place["geo"] = {
                "@type": "GeoCoordinates",
                "latitude": event.latitude,
                "longitude": event.longitude,
            }
        locations.append(place)
    if event.online_url:
        locations.append({"@type": "VirtualLocation", "url": url})
    if locations:
        data["location"] = locations[0] if len(locations) == 1 else locations
    if event.capacity is not None:
        data["maximumAttendeeCapacity"] = event.capacity
        data["remainingAttendeeCapacity"] = seats_left if seats_left is not None else event.capacity
    if event.status != EventStatus.CANCELLED:
        data["offers"] = {
            "@type": "Offer",
            "url": url,
            "availability": "https://schema.org/SoldOut" if seats_left == 0 else "https://schema.org/InStock",
        }
    return data


def json_ld(data: dict[str, Any]) -> Markup:
    """JSON safe inside <script type="application/ld+json">: no "<", ">" or "&" can end the
    element or start a comment, whatever the organizer typed."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return Markup(text)  # noqa: S704 - escaped above for a script data block
