"""Who may answer an event and see who comes. Plain predicates over an event, the viewer's
membership of its community (None = not a member) and the viewer's RSVP.

Templates use these too, to show or hide parts of the page; routes check them on the server.
"""

from __future__ import annotations

from community.communities.models import Membership
from community.communities.permissions import can_manage, is_member
from community.events.models import Event
from community.events.permissions import can_view_event
from community.rsvps.models import RSVP, RSVPStatus


def can_rsvp(event: Event, membership: Membership | None) -> bool:
    """Who may answer at all (the policy then decides whether it is open: published, not
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
