"""Loading an event for a request and refusing those who may not see it, for every feature
with pages under /c/<slug>/events/<id> and /c/<slug>/manage/events/<id> (events, rsvps, and
the features that come after).

Public pages: an event this viewer may not see (a draft, members-only) is 404, as is one of
another community. Organizer screens: logged out -> log in, a non-member 404, a member 403,
and an event of another community 404.
"""

from __future__ import annotations

from typing import Any

from flask import abort, url_for

from community.communities.access import load_community, require_organizer, viewer_membership
from community.communities.models import Community, Membership
from community.core import sections
from community.events.models import Event
from community.events.permissions import can_view_event
from community.events.presentation import when
from community.events.queries import event_in
from community.events.services import is_past


def load_visible_event(slug: str, event_id: int) -> tuple[Community, Event, Membership | None]:
    """:raises NotFound: no such event, or one this viewer may not see (drafts, members-only)."""
    community = load_community(slug)
    event = event_in(community, event_id)
    membership = viewer_membership(community)
    if event is None or not can_view_event(event, membership):
        abort(404)
    return community, event, membership


def require_event_organizer(slug: str, event_id: int) -> tuple[Community, Membership, Event]:
    """The community, the organizer's membership and the event, for an organizer screen.

    :raises: a redirect to log in, 404 for a non-member, 403 for a member, 404 for an event
        that is not this community's.
    """
    community, membership = require_organizer(slug)
    event = event_in(community, event_id)
    if event is None:
        abort(404)
    return community, membership, event


def screen_context(
    community: Community, membership: Membership, event: Event | None = None
) -> dict[str, Any]:
    """What every organizer event screen's layout (events/manage/_layout.html) shows."""
    return {
        "community": community,
        "membership": membership,
        "event": event,
        "when": when(event) if event is not None else None,
        "is_past": is_past(event) if event is not None else False,
    }


def manage_home_url(membership: Membership, event: Event) -> str:
    """The event's first organizer screen (its first tab): where the list of events links and
    where the event screens go back to."""
    home = sections.tabs(sections.EVENT_MANAGE_TABS, membership, event)[0]
    return url_for(home.endpoint, slug=event.community.slug, event_id=event.id)
