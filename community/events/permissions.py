"""Who may see which event and which parts of it. Plain predicates over an event and the
viewer's membership of its community (None = not a member); who may answer and see who
comes is community.rsvps.permissions.

Templates use these too, to show or hide parts of the page; routes check them on the server.
"""

from __future__ import annotations

from community.communities.models import Membership
from community.communities.permissions import can_manage, is_member
from community.events.models import Event, EventStatus, EventVisibility


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


def has_structured_data(event: Event) -> bool:
    """OpenGraph and schema.org data only for pages meant to be shared beyond members."""
    return event.status != EventStatus.DRAFT and event.visibility in (
        EventVisibility.PUBLIC,
        EventVisibility.UNLISTED,
    )


def is_indexable(event: Event) -> bool:
    """Search engines may index public events only; unlisted ones stay out of results."""
    return event.status != EventStatus.DRAFT and event.visibility == EventVisibility.PUBLIC
