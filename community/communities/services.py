"""Communities and memberships. Services flush; the request commits."""

from __future__ import annotations

from sqlalchemy import select

from community.auth.models import User
from community.communities import audit
from community.communities.models import Community, Membership, MembershipStatus, Role
from community.core.errors import DomainError
from community.core.models import utcnow
from community.extensions import db
from community.members.services import ensure_profile


class CommunityError(DomainError):
    """A community rule was broken; the message says which."""


def activate_membership(
    community: Community, user: User, *, role: Role = Role.MEMBER, cohort: str | None = None
) -> Membership:
    """Make `user` an active member (creating or confirming the membership); idempotent.

    An existing membership keeps its role (joining again never demotes an organizer).
    """
    membership = db.session.scalar(
        select(Membership).where(Membership.community_id == community.id, Membership.user_id == user.id)
    )
    if membership is None:
        membership = Membership(community=community, user=user, role=role)
        db.session.add(membership)
    if membership.status != MembershipStatus.ACTIVE:
        membership.status = MembershipStatus.ACTIVE
        membership.joined_at = utcnow()
    if cohort and not membership.cohort:
        membership.cohort = cohort
    ensure_profile(user)
    db.session.flush()
    return membership


def record(community: Community, actor: User | None, action: str, **kwargs) -> None:
    audit.record(community, actor, action, **kwargs)
