"""Who sees a community's Insights: its organizers and owners, as on the other Manage screens."""

from __future__ import annotations

from community.communities.models import Membership
from community.communities.permissions import can_manage


def can_view_insights(membership: Membership | None) -> bool:
    return can_manage(membership)


def can_invite_drifting(membership: Membership | None) -> bool:
    """Who may send "Invite to <next event>" to a member drifting away: the same organizers."""
    return can_manage(membership)
