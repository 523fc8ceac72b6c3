"""Reading communities and memberships."""

from __future__ import annotations

from sqlalchemy import ColumnElement, func, select

from community.auth.models import User
from community.communities.models import Community, Membership, MembershipStatus, Role
from community.extensions import db


def community_by_slug(slug: str) -> Community | None:
    return db.session.scalar(select(Community).where(Community.slug == slug.lower()))


def membership_of(user: User | None, community: Community) -> Membership | None:
    """The user's membership (active or pending) in the community, if any."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return db.session.scalar(
        select(Membership).where(Membership.community_id == community.id, Membership.user_id == user.id)
    )


def active_member_count(community: Community) -> int:
    return (
        db.session.scalar(
            select(func.count(Membership.id)).where(
                Membership.community_id == community.id, Membership.status == MembershipStatus.ACTIVE
            )
        )
        or 0
    )


def running(community: Community) -> tuple[ColumnElement[bool], ...]:
    """Who runs a community, as conditions on Membership joined to User: its active owners and
    organizers with accounts that still exist. Order such lists by `organizers_first`."""
    return (
        Membership.community_id == community.id,
        Membership.status == MembershipStatus.ACTIVE,
        Membership.role.in_([Role.OWNER, Role.ORGANIZER]),
        User.deleted_at.is_(None),
    )


#: Owners first, then organizers, by name.
organizers_first = (Membership.role.desc(), User.name)


def organizer_users(community: Community) -> list[User]:
    """The people running the community (owners first, then organizers, by name)."""
    return list(
        db.session.scalars(
            select(User)
            .join(Membership, Membership.user_id == User.id)
            .where(*running(community))
            .order_by(*organizers_first)
        )
    )


def shares_a_community(viewer: User | None, person: User) -> bool:
    """Whether `viewer` and `person` are both active members of at least one community."""
    if viewer is None or not getattr(viewer, "is_authenticated", False):
        return False
    if viewer.id == person.id:
        return True
    mine = select(Membership.community_id).where(
        Membership.user_id == viewer.id, Membership.status == MembershipStatus.ACTIVE
    )
    return (
        db.session.scalar(
            select(Membership.id)
            .where(
                Membership.user_id == person.id,
                Membership.status == MembershipStatus.ACTIVE,
                Membership.community_id.in_(mine),
            )
            .limit(1)
        )
        is not None
    )
