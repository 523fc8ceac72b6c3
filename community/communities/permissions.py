"""Who may do what in a community. Plain predicates over a membership (None = not a member).

Templates use these too, to show or hide controls; routes check them on the server.
"""

from __future__ import annotations

from community.communities.models import Community, Membership, Role


def is_member(membership: Membership | None) -> bool:
    return membership is not None and membership.is_active


def can_manage(membership: Membership | None) -> bool:
    """Organizer screens: members, invitations, import, audit log, settings."""
    return membership is not None and membership.is_organizer


def can_view_directory(community: Community, membership: Membership | None, *, signed_in: bool) -> bool:
    """Members always; anyone signed in when the organizers opened the directory (never visitors)."""
    return is_member(membership) or (community.directory_public and signed_in)


def can_change_member(actor: Membership | None, target: Membership) -> bool:
    """Organizers approve, decline, promote, demote and remove members and organizers;
    only an owner may act on another owner (and nobody on themselves here)."""
    if not can_manage(actor) or actor.user_id == target.user_id:
        return False
    if target.role == Role.OWNER:
        return actor.is_owner
    return True


def can_transfer_ownership(actor: Membership | None) -> bool:
    return actor is not None and actor.is_owner


def can_edit_settings(membership: Membership | None) -> bool:
    return can_manage(membership)
