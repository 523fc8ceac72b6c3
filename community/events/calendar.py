"""Events as calendars see them: each Event becomes a CalendarEntry for the pure builders
in community.core.ical (rsvps/invitations.py turns an RSVP into the iTIP invitation).

The one place that knows both an Event and a CalendarEntry: what a cancelled event's title
says, which place is shown, what the organizer is called. The feeds themselves are served
by community.feeds.
"""

from __future__ import annotations

from collections.abc import Mapping
from email.utils import parseaddr
from functools import lru_cache

from flask import current_app, url_for

from community.core.ical.entry import CANCELLED, CONFIRMED, CalendarEntry
from community.core.markdown import markdown_to_text
from community.events.models import Event, EventStatus

#: Markdown -> text, cached by the Markdown: a feed renders the same descriptions on every poll.
plain_text = lru_cache(maxsize=4096)(markdown_to_text)


def event_uid(event_id: int, server_name: str) -> str:
    """The UID an event keeps for ever, in every document: event-<id>@<server name>."""
    return f"event-{event_id}@{server_name}"


def entry_of(
    event: Event,
    *,
    server_name: str,
    event_url: str,
    organizer_email: str,
    description_text: str | None = None,
    status: str | None = None,
    join_url: str = "",
) -> CalendarEntry:
    """An Event as calendars see it, from the event alone (no app context needed).

    `description_text` defaults to the event's Markdown rendered as text (pass it in to
    reuse a cached rendering). `status` is CONFIRMED, or TENTATIVE for someone on the
    waitlist; a cancelled event is always CANCELLED and its title says so, for calendars
    that ignore STATUS. `join_url` only for someone going. The organizer is the community.
    """
    text = plain_text(event.description) if description_text is None else description_text
    summary = event.title
    if event.status == EventStatus.CANCELLED:
        status = CANCELLED
        summary = f"Cancelled: {event.title}"
        note = "This event has been cancelled."
        if event.cancel_reason.strip():
            note = f"{note}\n{event.cancel_reason.strip()}"
        text = f"{note}\n\n{text}" if text else note
    place = ", ".join(part for part in (event.venue_name.strip(), event.address.strip()) if part)
    if not place and event.online_url:
        place = join_url or "Online"
    geo = None
    if event.latitude is not None and event.longitude is not None:
        geo = (event.latitude, event.longitude)
    return CalendarEntry(
        uid=event_uid(event.id, server_name),
        sequence=event.sequence,
        summary=summary,
        starts_at=event.starts_at,
        ends_at=event.ends_at,
        timezone=event.timezone,
        all_day=event.all_day,
        status=status or CONFIRMED,
        description=text,
        url=event_url,
        location=place,
        geo=geo,
        created=event.created_at,
        last_modified=event.updated_at,
        organizer_name=event.community.name,
        organizer_email=organizer_email,
        join_url=join_url,
    )


def organizer_address(config: Mapping | None = None) -> str:
    """The site's no-reply address: the ORGANIZER of every event (never a person's email);
    from `config` outside a request (the app's by default)."""
    return _address_in((config or current_app.config)["MAIL_DEFAULT_SENDER"])


@lru_cache(maxsize=8)
def _address_in(sender: str) -> str:
    return parseaddr(sender)[1]


def event_url(event: Event) -> str:
    return url_for("events.event_page", slug=event.community.slug, event_id=event.id, _external=True)


def calendar_entry(
    event: Event, *, status: str | None = None, join: str = "", description_text: str | None = None
) -> CalendarEntry:
    """`entry_of` with this site's name, event page and no-reply organizer."""
    return entry_of(
        event,
        server_name=current_app.config["SERVER_NAME"] or "localhost",
        event_url=event_url(event),
        organizer_email=organizer_address(),
        description_text=description_text,
        status=status,
        join_url=join,
    )
