"""Read-only lists for the community pages: a constant number of queries per page."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, or_, select
from sqlalchemy.orm import selectinload

from community.auth.models import User
from community.communities.models import (
    Community,
    Invitation,
    InviteLink,
    Membership,
    MembershipStatus,
    Role,
)
from community.core import audit
from community.core.audit import AuditEntry
from community.core.models import utcnow
from community.extensions import db

PER_PAGE = 20


@dataclass(frozen=True)
class CommunityRow:
    community: Community
    members: int


def communities_page(page: int, per_page: int = PER_PAGE):
    """All communities, newest first."""
    query = select(Community).order_by(Community.created_at.desc(), Community.id.desc())
    return db.paginate(query, page=page, per_page=per_page, error_out=False)


def community_rows(communities: list[Community]) -> list[CommunityRow]:
    """Communities with their active member counts (one aggregate query for them all)."""
    counts = member_counts([c.id for c in communities])
    return [CommunityRow(c, counts.get(c.id, 0)) for c in communities]


def member_counts(community_ids: list[int]) -> dict[int, int]:
    """Active members per community, in one query."""
    if not community_ids:
        return {}
    rows = db.session.execute(
        select(Membership.community_id, func.count(Membership.id))
        .where(Membership.community_id.in_(community_ids), Membership.status == MembershipStatus.ACTIVE)
        .group_by(Membership.community_id)
    )
    return dict(rows.all())


def memberships_of_user(user: User) -> list[Membership]:
    """The user's memberships (active and pending), communities loaded, by community name."""
    return list(
        db.session.scalars(
            select(Membership)
            .join(Membership.community)
            .options(selectinload(Membership.community))
            .where(Membership.user_id == user.id)
            .order_by(Community.name)
        )
    )


@dataclass(frozen=True)
class ManageFigures:
    members: int
    organizers: int
    pending: int
    invitations: int
    links: int


def manage_figures(community: Community) -> ManageFigures:
    by_state = dict(
        db.session.execute(
            select(Membership.status, func.count(Membership.id))
            .where(Membership.community_id == community.id)
            .group_by(Membership.status)
        ).all()
    )
    organizers = db.session.scalar(
        select(func.count(Membership.id)).where(
            Membership.community_id == community.id,
            Membership.status == MembershipStatus.ACTIVE,
            Membership.role.in_([Role.OWNER, Role.ORGANIZER]),
        )
    )
    now = utcnow()
    invitations = db.session.scalar(
        select(func.count(Invitation.id)).where(
            Invitation.community_id == community.id,
            Invitation.accepted_at.is_(None),
            Invitation.expires_at > now,
        )
    )
    links = db.session.scalar(
        select(func.count(InviteLink.id)).where(
            InviteLink.community_id == community.id, InviteLink.revoked_at.is_(None)
        )
    )
    return ManageFigures(
        members=by_state.get(MembershipStatus.ACTIVE, 0),
        organizers=organizers or 0,
        pending=by_state.get(MembershipStatus.PENDING, 0),
        invitations=invitations or 0,
        links=links or 0,
    )


#: Filters on the organizers' member list: name -> (label, condition builder).
MEMBER_FILTERS = {
    "pending": "Requests",
    "members": "Members",
    "organizers": "Organizers",
}


def members_page(community: Community, which: str, page: int, per_page: int = PER_PAGE):
    """Memberships of one kind, users loaded, paginated; requests oldest first, others by name."""
    query = (
        select(Membership)
        .join(Membership.user)
        .options(selectinload(Membership.user))
        .where(Membership.community_id == community.id)
    )
    if which == "pending":
        query = query.where(Membership.status == MembershipStatus.PENDING).order_by(
            Membership.requested_at, Membership.id
        )
    elif which == "organizers":
        query = query.where(
            Membership.status == MembershipStatus.ACTIVE,
            Membership.role.in_([Role.OWNER, Role.ORGANIZER]),
        ).order_by(Membership.role.desc(), User.name, Membership.id)
    else:
        query = query.where(Membership.status == MembershipStatus.ACTIVE).order_by(User.name, Membership.id)
    return db.paginate(query, page=page, per_page=per_page, error_out=False)


def active_members(community: Community) -> list[Membership]:
    """Everyone active, by name (for choosing a new owner)."""
    return list(
        db.session.scalars(
            select(Membership)
            .join(Membership.user)
            .options(selectinload(Membership.user))
            .where(Membership.community_id == community.id, Membership.status == MembershipStatus.ACTIVE)
            .order_by(User.name, Membership.id)
        )
    )


def pending_invitations_page(community: Community, page: int, per_page: int = PER_PAGE):
    query = (
        select(Invitation)
        .where(
            Invitation.community_id == community.id,
            Invitation.accepted_at.is_(None),
            Invitation.expires_at > utcnow(),
        )
        .order_by(Invitation.created_at.desc(), Invitation.id.desc())
    )
    return db.paginate(query, page=page, per_page=per_page, error_out=False)


def invite_links(community: Community) -> list[InviteLink]:
    """Links not revoked, newest first."""
    return list(
        db.session.scalars(
            select(InviteLink)
            .where(InviteLink.community_id == community.id, InviteLink.revoked_at.is_(None))
            .order_by(InviteLink.created_at.desc(), InviteLink.id.desc())
        )
    )


def audit_page(community: Community, page: int, per_page: int = 30, *, person: str = "", kind: str = ""):
    """A page of the log, newest first: only entries whose actor or subject has `person` in their
    name (any case), only actions of `kind` (a key of audit.KINDS)."""
    query = (
        select(AuditEntry)
        .options(selectinload(AuditEntry.actor), selectinload(AuditEntry.subject))
        .where(AuditEntry.community_id == community.id)
        .order_by(AuditEntry.created_at.desc(), AuditEntry.id.desc())
    )
    if kind in audit.KINDS:
        prefixes = audit.KINDS[kind][1]
        query = query.where(or_(*(AuditEntry.action.startswith(p, autoescape=True) for p in prefixes)))
    if person:
        named = select(User.id).where(func.lower(User.name).contains(person.lower(), autoescape=True))
        query = query.where(or_(AuditEntry.actor_id.in_(named), AuditEntry.subject_user_id.in_(named)))
    return db.paginate(query, page=page, per_page=per_page, error_out=False)
