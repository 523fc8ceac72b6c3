"""Test data for the community pages, built through the real services."""

from __future__ import annotations

from sqlalchemy import select

from community.auth.models import User
from community.communities.models import (
    Community,
    JoinPolicy,
    Membership,
    MembershipStatus,
    Role,
)
from community.communities.services import activate_membership, create_community
from community.core.audit import AuditEntry
from community.extensions import db
from tests.factories import create_user


def make_community(
    owner: User | None = None,
    *,
    slug: str = "northfield",
    name: str = "Northfield Alumni",
    policy: JoinPolicy = JoinPolicy.OPEN,
    **fields,
) -> Community:
    owner = owner or create_user(name="Olive Owner")
    fields.setdefault("kind", "alumni_association")
    fields.setdefault("timezone", "Europe/London")
    community = create_community(owner, slug=slug, name=name, join_policy=policy, **fields)
    db.session.commit()
    return community


def add_member(
    community: Community, user: User | None = None, *, role: Role = Role.MEMBER, pending: bool = False, **kw
) -> Membership:
    user = user or create_user(**kw)
    if pending:
        membership = Membership(
            community=community, user=user, status=MembershipStatus.PENDING, join_answer="I was in class 2009"
        )
        db.session.add(membership)
    else:
        membership = activate_membership(community, user, role=role)
    db.session.commit()
    return membership


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
