"""Loading a community for a request and refusing those who may not see it.

Used by every blueprint with pages under /c/<slug>/...: a missing community or a screen a
non-member may not know about is 404; a member on an organizer screen gets 403; someone
logged out is sent to log in first; a suspended community is 410 for everyone.
"""

from __future__ import annotations

from flask import abort, current_app, make_response, render_template
from flask_login import current_user

from community.communities.models import Community, Membership
from community.communities.permissions import can_manage, is_member
from community.communities.queries import community_by_slug, membership_of


def load_community(slug: str) -> Community:
    """:raises NotFound: when there is no such community; for a suspended one, the calm page
    saying so, with 410 Gone: crawlers and calendar apps drop what they kept of it (a restore
    brings the same addresses back), and nothing of it (events, members, RSVPs) is reachable."""
    community = community_by_slug(slug)
    if community is None:
        abort(404)
    return checked_community(community)


def checked_community(community: Community) -> Community:
    """The community, if it is not suspended (see load_community)."""
    if community.suspended_at is not None:
        abort(make_response(render_template("communities/suspended.html", community=community), 410))
    return community


def viewer_membership(community: Community) -> Membership | None:
    return membership_of(current_user, community)


def _require_login() -> None:
    if not current_user.is_authenticated:
        abort(current_app.login_manager.unauthorized())


def require_member(slug: str) -> tuple[Community, Membership]:
    """:raises: a redirect to log in, or 404 for anyone but an active member."""
    community = load_community(slug)
    _require_login()
    membership = viewer_membership(community)
    if not is_member(membership):
        abort(404)
    return community, membership


def require_organizer(slug: str) -> tuple[Community, Membership]:
    """:raises: a redirect to log in, 404 for a non-member, 403 for a member."""
    community, membership = require_member(slug)
    if not can_manage(membership):
        abort(403)
    return community, membership
