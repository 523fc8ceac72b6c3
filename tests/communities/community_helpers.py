"""Test data for the community pages: memberships (tests/factories.py), what to check, a form."""

from __future__ import annotations

from sqlalchemy import select

from community.auth.models import User
from community.communities.models import Community, Membership, MembershipStatus, Role
from community.core.audit import AuditEntry
from community.extensions import db
from tests.factories import create_membership


def add_member(
    community: Community, user: User | None = None, *, role: Role = Role.MEMBER, pending: bool = False, **kw
) -> Membership:
    """create_membership, with `pending=True` for a request to join."""
    status = MembershipStatus.PENDING if pending else MembershipStatus.ACTIVE
    return create_membership(community, user, role=role, status=status, **kw)


def membership(community: Community, user: User) -> Membership | None:
    db.session.expire_all()
    return db.session.scalar(
        select(Membership).where(Membership.community_id == community.id, Membership.user_id == user.id)
    )


def audit_actions(community: Community) -> list[str]:
    db.session.expire_all()
    return list(
        db.session.scalars(
            select(AuditEntry.action).where(AuditEntry.community_id == community.id).order_by(AuditEntry.id)
        )
    )


SETTINGS_FORM = {
    "name": "Northfield Alumni",
    "tagline": "Graduates of Northfield",
    "description": "We meet twice a year.",
    "kind": "alumni_association",
    "timezone": "Europe/London",
    "join_policy": "open",
    "join_question": "Which year did you graduate?",
}
