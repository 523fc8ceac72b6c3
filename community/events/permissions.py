"""Who may see which event and which parts of it. Plain predicates over an event, the viewer's
membership of its community (None = not a member) and the viewer's RSVP.

Templates use these too, to show or hide parts of the page; routes check them on the server.
"""

from __future__ import annotations

from community.communities.models import Membership
from community.communities.permissions import can_manage, is_member
from community.events.models import RSVP, Event, EventStatus, EventVisibility, RSVPStatus


def can_view_event(event: Event, membership: Membership | None) -> bool:
    """Drafts: organizers only. Members-only: active members. Public and unlisted: anyone
    (unlisted events are reachable by their link but never listed)."""
    if event.status == EventStatus.DRAFT:
        return can_manage(membership)
    if event.visibility == EventVisibility.MEMBERS:
        return is_member(membership)
    return True


def is_listed(event: Event, membership: Membership | None) -> bool:
    """Whether the event appears in the community's list of events for this viewer."""
    if event.status == EventStatus.DRAFT or event.visibility == EventVisibility.UNLISTED:
        return False
    return can_view_event(event, membership)


def can_rsvp(event: Event, membership: Membership | None) -> bool:
    """Who may answer at all (the RSVP rules then decide whether it is open: published, not
    over, before the deadline): anyone signed in who may see the event, so anyone for a
    public or unlisted event and members for a members-only one."""
    return can_view_event(event, membership)


def can_see_attendees(event: Event, membership: Membership | None) -> bool:
    """Names in "who's going": members, or everyone when the organizer opened the list."""
    return is_member(membership) or event.attendee_list_public


def can_see_online_link(event: Event, membership: Membership | None, rsvp: RSVP | None) -> bool:
    """The online link is for people going (and the organizers who run the event)."""
    if not event.online_url:
        return False
    return can_manage(membership) or (rsvp is not None and rsvp.status == RSVPStatus.GOING)


def has_structured_data(event: Event) -> bool:
    """OpenGraph and schema.org data only for pages meant to be shared beyond members."""
    return event.status != EventStatus.DRAFT and event.visibility in (
        EventVisibility.PUBLIC,
        EventVisibility.UNLISTED,
    )


def is_indexable(event: Event) -> bool:
    """Search engines may index public events only; unlisted ones stay out of results."""
    return event.status != EventStatus.DRAFT and event.visibility == EventVisibility.PUBLIC
