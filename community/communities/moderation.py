"""What organizers do to memberships: approve, decline, promote, demote, remove, hand ownership over.

Every action here is written to the community's audit log. Services flush; the request commits.
"""

from __future__ import annotations

from flask import url_for

from community.communities.models import Community, Membership, MembershipStatus, Role
from community.communities.permissions import can_change_member, can_transfer_ownership
from community.communities.services import CommunityError, activate_membership, owner_count
from community.core import audit
from community.core.mail.services import queue_email
from community.extensions import db


def _check(actor: Membership, target: Membership) -> None:
    if target.community_id != actor.community_id:
        raise CommunityError("That person is not in this community.")
    if not can_change_member(actor, target):
        if actor.user_id == target.user_id:
            raise CommunityError("You can't change your own membership here.")
        raise CommunityError("Only an owner can change another owner's membership.")


def approve(actor: Membership, target: Membership) -> Membership:
    """Accept a request to join; the person is emailed. :raises CommunityError:"""
    _check(actor, target)
    if target.status != MembershipStatus.PENDING:
        raise CommunityError(f"{target.user.name} is already a member.")
    community, person = target.community, target.user
    activate_membership(community, person)
    queue_email(
        to=person.email,
        subject=f"Welcome to {community.name}",
        template="communities/request_approved",
        kind="communities.request-approved",
        community=community,
        person=person,
        link=url_for("communities.home", slug=community.slug, _external=True),
    )
    audit.record(community, actor.user, "member.approved", subject=person)
    db.session.flush()
    return target


def decline(actor: Membership, target: Membership) -> None:
    """Turn down a request to join; the person is told, kindly. :raises CommunityError:"""
    _check(actor, target)
    if target.status != MembershipStatus.PENDING:
        raise CommunityError(f"{target.user.name} is already a member; remove them instead.")
    community, person = target.community, target.user
    db.session.delete(target)
    queue_email(
        to=person.email,
        subject=f"Your request to join {community.name}",
        template="communities/request_declined",
        kind="communities.request-declined",
        community=community,
        person=person,
    )
    audit.record(community, actor.user, "member.declined", subject=person)
    db.session.flush()


def promote(actor: Membership, target: Membership) -> Membership:
    """Make a member an organizer. :raises CommunityError:"""
    _check(actor, target)
    if not target.is_active or target.role != Role.MEMBER:
        raise CommunityError(f"{target.user.name} is not a member who can be made an organizer.")
    target.role = Role.ORGANIZER
    audit.record(target.community, actor.user, "member.promoted", subject=target.user, detail="to organizer")
    db.session.flush()
    return target


def demote(actor: Membership, target: Membership) -> Membership:
    """Make an organizer a member again. :raises CommunityError:"""
    _check(actor, target)
    if not target.is_active or target.role != Role.ORGANIZER:
        raise CommunityError(f"{target.user.name} is not an organizer.")
    target.role = Role.MEMBER
    audit.record(target.community, actor.user, "member.demoted", subject=target.user, detail="to member")
    db.session.flush()
    return target


def remove(actor: Membership, target: Membership) -> None:
    """Remove someone from the community. :raises CommunityError:"""
    _check(actor, target)
    if target.is_owner and owner_count(target.community) <= 1:
        raise CommunityError("A community needs an owner: hand ownership over before removing this one.")
    community, person = target.community, target.user
    db.session.delete(target)
    audit.record(community, actor.user, "member.removed", subject=person)
    db.session.flush()


def transfer_ownership(actor: Membership, target: Membership) -> None:
    """Hand ownership to another active member; the old owner stays on as an organizer.

    :raises CommunityError: if the actor is not an owner or the target is not an active member.
    """
    if not can_transfer_ownership(actor):
        raise CommunityError("Only an owner can hand ownership over.")
    if target.community_id != actor.community_id or not target.is_active:
        raise CommunityError("Choose an active member of this community.")
    if target.user_id == actor.user_id:
        raise CommunityError("You already own this community. Choose someone else.")
    if target.is_owner:
        raise CommunityError(f"{target.user.name} is already an owner.")
    target.role = Role.OWNER
    actor.role = Role.ORGANIZER
    community = actor.community
    audit.record(community, actor.user, "ownership.transferred", subject=target.user)
    queue_email(
        to=target.user.email,
        subject=f"You are now the owner of {community.name}",
        template="communities/ownership",
        kind="communities.ownership",
        community=community,
        person=target.user,
        previous=actor.user,
        link=url_for("manage.overview", slug=community.slug, _external=True),
    )
    db.session.flush()


def membership_in(community: Community, membership_id: int) -> Membership | None:
    membership = db.session.get(Membership, membership_id)
    if membership is None or membership.community_id != community.id:
        return None
    return membership
