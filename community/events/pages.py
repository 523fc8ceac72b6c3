"""Everything the public event page shows, gathered in a fixed number of queries.

Routes call render_event_page(); templates only display what it returns. Who comes, and the
form to answer, are the attendance section of the feature that keeps seats (events.hooks);
other features add parts (core.sections.EVENT_PAGE_SECTIONS) and calendar links.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask import render_template, url_for
from flask_login import current_user

from community.auth.models import User
from community.communities.models import Community, Membership
from community.communities.permissions import can_manage, is_member
from community.core.markdown import markdown_to_text
from community.core.models import utcnow
from community.core.sections import EVENT_CALENDAR_LINKS, EVENT_PAGE_SECTIONS, parts, section
from community.events.covers import Cover, sharing_image
from community.events.hooks import EVENT_ATTENDANCE
from community.events.models import Event, EventVisibility
from community.events.permissions import has_structured_data, is_indexable
from community.events.presentation import (
    OG_DESCRIPTION_LENGTH,
    json_ld,
    map_url,
    shorten,
    structured_data,
    when,
)
from community.events.queries import series_dates
from community.events.timing import short_when
from community.members.people import organizers_seen_by


def canonical_url(event: Event, **values) -> str:
    return url_for("events.event_page", slug=event.community.slug, event_id=event.id, **values)


@dataclass
class Sharing:
    """OpenGraph and schema.org data for a page that may be shared."""

    title: str
    description: str
    url: str
    json_ld: Any
    indexable: bool
    image: Cover | None = None


def sharing(event: Event, seats_left: int | None) -> Sharing | None:
    if not has_structured_data(event):
        return None
    url = canonical_url(event, _external=True)
    community_url = url_for("communities.home", slug=event.community.slug, _external=True)
    plain = " ".join(markdown_to_text(event.description).split())
    data = structured_data(
        event, url=url, community_url=community_url, seats_left=seats_left, plain_description=plain
    )
    image = sharing_image(event)
    if image is not None:
        data["image"] = [image.url]
    description = (
        shorten(plain, OG_DESCRIPTION_LENGTH) or f"{event.kind.value.title()} by {event.community.name}"
    )
    return Sharing(
        title=event.title,
        description=description,
        url=url,
        json_ld=json_ld(data),
        indexable=is_indexable(event),
        image=image,
    )


def visible_dates_of_series(event: Event, membership: Membership | None) -> tuple[EventVisibility, ...]:
    """Which of a series' other events this page may link: public ones, members-only ones
    for members, and unlisted ones from an unlisted event (the same link-holders)."""
    visibilities = [EventVisibility.PUBLIC]
    if is_member(membership):
        visibilities.append(EventVisibility.MEMBERS)
    if event.visibility == EventVisibility.UNLISTED:
        visibilities.append(EventVisibility.UNLISTED)
    return tuple(visibilities)


def event_page_context(
    community: Community,
    event: Event,
    membership: Membership | None,
    viewer: User | None,
    now: datetime,
    answer: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """What the event page shows to this viewer (a fixed number of queries). `answer` goes
    to the attendance section unchanged: what its own POST route shows again."""
    attendance = section(EVENT_ATTENDANCE, event, membership, viewer, now, answer or {})
    return {
        "community": community,
        "event": event,
        "membership": membership,
        "is_organizer": can_manage(membership),
        "attendance": attendance,
        "is_past": event.ends_at <= now,
        # The online link is for people going, whom the attendance section knows.
        "show_online_link": bool(attendance and attendance["show_online_link"]),
        "organizers": organizers_seen_by(community, viewer, membership),
        "calendar_links": section(EVENT_CALENDAR_LINKS, event),
        "more_sections": parts(EVENT_PAGE_SECTIONS, event, membership, viewer),
        "when": when(event),
        "short_when": short_when(event.starts_at, event.ends_at, event.timezone, event.all_day),
        "series": series_dates(event, visible_dates_of_series(event, membership), now),
        "map_url": map_url(event),
        "sharing": sharing(event, attendance["seats_left"] if attendance else None),
        "canonical_url": canonical_url(event, _external=True),
    }


def render_event_page(
    community: Community, event: Event, membership: Membership | None, answer: dict[str, Any] | None = None
) -> str:
    """The event page for the current viewer; features' POST routes render it again with
    their `answer` (a form and its errors)."""
    viewer = current_user if current_user.is_authenticated else None
    context = event_page_context(community, event, membership, viewer, utcnow(), answer)
    return render_template("events/event.html", **context)
