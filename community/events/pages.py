"""Everything the public event page shows, gathered in a fixed number of queries.

Routes call event_page_context(); templates only display what it returns.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask import url_for

from community.auth.models import User
from community.communities.models import Community, Membership
from community.communities.permissions import can_manage
from community.core.markdown import markdown_to_text
from community.core.sections import EVENT_CALENDAR_LINKS, section
from community.events import queries
from community.events.models import RSVP, Event, EventStatus, RSVPStatus
from community.events.permissions import (
    can_rsvp,
    can_see_attendees,
    can_see_online_link,
    has_structured_data,
    is_indexable,
)
from community.events.presentation import (
    OG_DESCRIPTION_LENGTH,
    capacity_text,
    json_ld,
    map_url,
    shorten,
    structured_data,
)
from community.events.rsvps import rsvp_of
from community.events.timing import describe_when, to_local
from community.members.people import organizers_seen_by


def canonical_url(event: Event, **values) -> str:
    return url_for("events.event_page", slug=event.community.slug, event_id=event.id, **values)


def offer_deadline_text(rsvp: RSVP, event: Event, now: datetime) -> str:
    """ "18:30" today, else "Fri 13 Jun, 18:30", in the event's zone."""
    expires = to_local(rsvp.offer_expires_at, event.timezone)
    if expires.date() == to_local(now, event.timezone).date():
        return f"{expires:%H:%M}"
    return f"{expires:%a %-d %b, %H:%M}"


def rsvp_state(rsvp: RSVP | None, event: Event, now: datetime) -> str | None:
    """One sentence saying where the viewer stands."""
    if rsvp is None:
        return None
    if rsvp.status == RSVPStatus.GOING:
        guests = f" with {rsvp.guests} guest{'s' if rsvp.guests != 1 else ''}" if rsvp.guests else ""
        return f"You're going{guests}"
    if rsvp.status == RSVPStatus.WAITLISTED:
        return f"You're number {queries.waitlist_position(rsvp)} on the waitlist"
    if rsvp.status == RSVPStatus.PENDING:
        return "Waiting for an organizer's approval"
    if rsvp.status == RSVPStatus.OFFERED:
        return f"A seat is held for you until {offer_deadline_text(rsvp, event, now)} — claim it"
    if rsvp.status == RSVPStatus.DECLINED:
        return "An organizer couldn't offer you a place this time"
    return "You said you can't go"


def going_label(event: Event, rsvp: RSVP | None, count: queries.Headcount) -> str:
    """The label of the "yes" button, saying what pressing it will do."""
    status = rsvp.status if rsvp else None
    if status == RSVPStatus.OFFERED:
        return "Claim your seat"
    if status in (RSVPStatus.GOING, RSVPStatus.WAITLISTED, RSVPStatus.PENDING):
        return "Save changes"
    if event.requires_approval:
        return "Request a place"
    if count.seats_left == 0 or (count.waitlisted and not event.waitlist_best_fit):
        return "Join the waitlist"
    return "Going"


def not_going_label(rsvp: RSVP | None) -> str:
    status = rsvp.status if rsvp else None
    return {
        RSVPStatus.WAITLISTED: "Leave the waitlist",
        RSVPStatus.PENDING: "Withdraw my request",
        RSVPStatus.OFFERED: "No thanks",
    }.get(status, "Can't go")


def closed_reason(event: Event, now: datetime) -> str | None:
    """Why RSVPs cannot be made or changed, or None while they are open."""
    if event.status == EventStatus.CANCELLED:
        return "This event is cancelled."
    if event.ends_at <= now:
        return "This event has ended."
    if event.status != EventStatus.PUBLISHED:
        return "RSVPs open once the event is published."
    if event.rsvp_deadline is not None and now > event.rsvp_deadline:
        deadline = to_local(event.rsvp_deadline, event.timezone)
        return f"RSVPs closed on {deadline:%-d %B at %H:%M}."
    return None


@dataclass
class Sharing:
    """OpenGraph and schema.org data for a page that may be shared."""

    title: str
    description: str
    url: str
    json_ld: Any
    indexable: bool


def sharing(event: Event, count: queries.Headcount) -> Sharing | None:
    if not has_structured_data(event):
        return None
    url = canonical_url(event, _external=True)
    community_url = url_for("communities.home", slug=event.community.slug, _external=True)
    plain = " ".join(markdown_to_text(event.description).split())
    data = structured_data(
        event, url=url, community_url=community_url, seats_left=count.seats_left, plain_description=plain
    )
    description = (
        shorten(plain, OG_DESCRIPTION_LENGTH) or f"{event.kind.value.title()} by {event.community.name}"
    )
    return Sharing(
        title=event.title,
        description=description,
        url=url,
        json_ld=json_ld(data),
        indexable=is_indexable(event),
    )


def event_page_context(
    community: Community, event: Event, membership: Membership | None, viewer: User | None, now: datetime
) -> dict[str, Any]:
    """What the event page shows to this viewer (a fixed number of queries)."""
    count = queries.headcount(event)
    rsvp = rsvp_of(event, viewer) if viewer is not None else None
    show_attendees = can_see_attendees(event, membership)
    attendees = queries.attendees(event, viewer) if show_attendees else []
    return {
        "community": community,
        "event": event,
        "membership": membership,
        "is_organizer": can_manage(membership),
        "count": count,
        "capacity_text": capacity_text(count.seats_left),
        "my_rsvp": rsvp,
        "rsvp_state": rsvp_state(rsvp, event, now),
        "closed_reason": closed_reason(event, now),
        "is_past": event.ends_at <= now,
        "may_rsvp": viewer is None or can_rsvp(event, membership),
        "going_label": going_label(event, rsvp, count),
        "not_going_label": not_going_label(rsvp),
        "show_attendees": show_attendees,
        "attendees": attendees,
        "more_attendees": max(count.listed_going - queries.ATTENDEES_ON_PAGE, 0),
        "show_online_link": can_see_online_link(event, membership, rsvp),
        "organizers": organizers_seen_by(community, viewer),
        "calendar_links": section(EVENT_CALENDAR_LINKS, event),
        "when": describe_when(event.starts_at, event.ends_at, event.timezone, event.all_day),
        "map_url": map_url(event),
        "sharing": sharing(event, count),
        "canonical_url": canonical_url(event, _external=True),
    }
