"""The admin lists: accounts, communities and the admin audit log, searched and paginated,
each page in a fixed number of queries."""

from __future__ import annotations

import enum
from dataclasses import dataclass

from flask import request
from sqlalchemy import ColumnElement, func, or_, select
from sqlalchemy.orm import selectinload

from community.admin.models import AdminAuditEntry
from community.auth.models import User
from community.communities.models import Community, Membership, MembershipStatus, Role
from community.extensions import db

PER_PAGE = 25
#: A search longer than this is cut: no name or address is longer, and the LIKE stays cheap.
SEARCH_MAX = 100


class Status(enum.StrEnum):
    ACTIVE = "active"
    SUSPENDED = "suspended"
    DELETED = "deleted"


def status_of(row: User | Community) -> Status:
    if getattr(row, "deleted_at", None) is not None:
        return Status.DELETED
    return Status.SUSPENDED if row.suspended_at is not None else Status.ACTIVE


@dataclass(frozen=True)
class ListQuery:
    """What a list was asked for: ?q= words and ?status=, read leniently (nonsense is none)."""

    q: str = ""
    status: Status | None = None

    @classmethod
    def from_request(cls) -> ListQuery:
        q = " ".join(request.args.get("q", "").split())[:SEARCH_MAX]
        status = request.args.get("status", "")
        return cls(q=q, status=Status(status) if status in set(Status) else None)

    def args(self) -> dict[str, str]:
        """The query string that keeps this search across pages."""
        found = {"q": self.q, "status": self.status.value if self.status else ""}
        return {key: value for key, value in found.items() if value}

    @property
    def filtered(self) -> bool:
        return bool(self.q or self.status)


def _contains(column, words: str) -> ColumnElement[bool]:
    return func.lower(column).contains(words.lower(), autoescape=True)


def accounts_page(query: ListQuery, page: int):
    """Accounts by name, searched in name and email; each with its number of communities."""
    statement = select(User).order_by(func.lower(User.name), User.id)
    if query.q:
        statement = statement.where(or_(_contains(User.name, query.q), _contains(User.email, query.q)))
    if query.status is Status.ACTIVE:
        statement = statement.where(User.deleted_at.is_(None), User.suspended_at.is_(None))
    elif query.status is Status.SUSPENDED:
        statement = statement.where(User.deleted_at.is_(None), User.suspended_at.is_not(None))
    elif query.status is Status.DELETED:
        statement = statement.where(User.deleted_at.is_not(None))
    return db.paginate(statement, page=page, per_page=PER_PAGE, error_out=False)


def community_counts(user_ids: list[int]) -> dict[int, int]:
    """How many communities each person is an active member of (one query for a page)."""
    if not user_ids:
        return {}
    rows = db.session.execute(
        select(Membership.user_id, func.count(Membership.id))
        .where(Membership.user_id.in_(user_ids), Membership.status == MembershipStatus.ACTIVE)
        .group_by(Membership.user_id)
    )
    return dict(rows.all())


def communities_page(query: ListQuery, page: int):
    """Communities by name, searched in name and slug."""
    statement = select(Community).order_by(func.lower(Community.name), Community.id)
    if query.q:
        statement = statement.where(
            or_(_contains(Community.name, query.q), _contains(Community.slug, query.q))
        )
    if query.status is Status.ACTIVE:
        statement = statement.where(Community.suspended_at.is_(None))
    elif query.status is Status.SUSPENDED:
        statement = statement.where(Community.suspended_at.is_not(None))
    elif query.status is Status.DELETED:  # communities are never deleted, only suspended
        statement = statement.where(False)
    return db.paginate(statement, page=page, per_page=PER_PAGE, error_out=False)


def organizers_of(community: Community) -> list[Membership]:
    """The community's owners and organizers, suspended accounts included (the admin sees them)."""
    return list(
        db.session.scalars(
            select(Membership)
            .join(Membership.user)
            .options(selectinload(Membership.user))
            .where(
                Membership.community_id == community.id,
                Membership.status == MembershipStatus.ACTIVE,
                Membership.role.in_([Role.OWNER, Role.ORGANIZER]),
            )
            .order_by(Membership.role.desc(), func.lower(User.name), User.id)
        )
    )


def audit_page(page: int, per_page: int = 30):
    """The admin audit log, newest first, with its people and communities (three queries more)."""
    statement = (
        select(AdminAuditEntry)
        .options(
            selectinload(AdminAuditEntry.actor),
            selectinload(AdminAuditEntry.subject),
            selectinload(AdminAuditEntry.community),
        )
        .order_by(AdminAuditEntry.created_at.desc(), AdminAuditEntry.id.desc())
    )
    return db.paginate(statement, page=page, per_page=per_page, error_out=False)


def audit_of(*, user: User | None = None, community: Community | None = None, limit: int = 10):
    """The newest admin actions about one account or one community (for its detail page)."""
    statement = select(AdminAuditEntry).options(selectinload(AdminAuditEntry.actor))
    if user is not None:
        statement = statement.where(AdminAuditEntry.subject_user_id == user.id)
    if community is not None:
        statement = statement.where(AdminAuditEntry.community_id == community.id)
    statement = statement.order_by(AdminAuditEntry.created_at.desc(), AdminAuditEntry.id.desc())
    return list(db.session.scalars(statement.limit(limit)))
