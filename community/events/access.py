"""Loading an event for a request and refusing those who may not see it, for every feature
with pages under /c/<slug>/events/<id> and /c/<slug>/manage/events/<id> (events, rsvps, and
the features that come after).

Public pages answer through core.access: a members-only event asks a visitor to log in (401,
without its title) and tells a signed-in non-member to join the community (403); a draft, an
event of another community and no event at all are 404. Organizer screens: logged out -> log
in, a non-member 404, a member 403, and an event of another community 404.
"""

from __future__ import annotations

from typing import Any

from flask import abort, request, url_for

from community.communities.access import (
    checked_community,
    load_community,
    require_organizer,
    viewer_membership,
)
from community.communities.models import Community, Membership, MembershipStatus
from community.core import sections
from community.core.access import Disclosure, Prompt, require
from community.events.models import Event, EventStatus
from community.events.permissions import can_view_event
from community.events.presentation import when
from community.events.queries import event_at, event_in
from community.events.services import is_past


def load_visible_event(slug: str, event_id: int) -> tuple[Community, Event, Membership | None]:
    """The event, for any page of it that needs the viewer to see the event.

    :raises: 404 for no such event or a draft (organizers aside); for a members-only event,
        the page asking a visitor to log in (401) or a signed-in non-member to join (403).
    """
    event = event_at(slug, event_id)
    if event is None:
        load_community(slug)  # 410 for a suspended community, 404 for none
        abort(404)
    community = checked_community(event.community)
    membership = viewer_membership(community)
    disclosure = Disclosure.NOTHING if event.status == EventStatus.DRAFT else Disclosure.EXISTS
    # Logging in comes back to the page asked for; after a form, to the event page.
    back_to = (
        url_for("events.event_page", slug=community.slug, event_id=event.id)
        if request.method != "GET"
        else None
    )
    detail = f"This event is for members of {community.name}."
    prompt = members_only_prompt(community, membership, "this event", detail, next_url=back_to)
    require(can_view_event(event, membership), disclosure, prompt)
    return community, event, membership


def members_only_prompt(
    community: Community, membership: Membership | None, what: str, detail: str, **values
) -> Prompt:
    """The refusal page's text for a part of `community` that is for its members."""
    return Prompt(
        what=what,
        detail=detail,
        community_name=community.name,
        community_url=url_for("communities.home", slug=community.slug),
        pending=membership is not None and membership.status == MembershipStatus.PENDING,
        **values,
    )


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
