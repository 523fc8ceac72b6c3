"""Read-only lists for the community pages: a constant number of queries per page."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from flask_sqlalchemy.pagination import SelectPagination
from sqlalchemy import ColumnElement, func, null, or_, select
from sqlalchemy.orm import contains_eager, selectinload

from community.auth.models import User
from community.communities.models import (
    Community,
    Invitation,
    InviteLink,
    Membership,
    MembershipStatus,
    Role,
)
from community.core import audit, sections
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
    query = select(Community).where(Community.suspended_at.is_(None))  # suspended: not listed
    query = query.order_by(Community.created_at.desc(), Community.id.desc())
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


#: The organizers' member list by role: key -> label ("members" is everyone active).
MEMBER_FILTERS = {
    "members": "Everyone",
    "owner": "Owner",
    "organizers": "Owner and organizers",
    "member": "Members (not organizers)",
    "pending": "Requests to join",
}
#: When they joined (asked, for requests): key -> (label, at most so many days ago, at least so many).
JOINED = {
    "30d": ("In the last 30 days", 30, None),
    "3m": ("In the last 3 months", 91, None),
    "12m": ("In the last 12 months", 365, None),
    "earlier": ("More than a year ago", None, 365),
}
#: When they last came to an event (core.sections.MEMBER_LAST_ATTENDED): key -> (label, days as above).
LAST_ATTENDED = {
    "never": ("Never", None, None),
    "6m": ("In the last 6 months", 182, None),
    "6-12m": ("6 to 12 months ago", 365, 182),
    "over-1y": ("More than a year ago", None, 365),
}


class MemberFilters(Protocol):
    """What the member list is asked for (forms.MemberQuery): every value already checked."""

    show: str
    search: str
    cohort: str
    joined: str
    attended: str


@dataclass(frozen=True)
class MemberRow:
    membership: Membership
    #: When they last came to an event here; None if never (or no feature tells).
    last_attended_at: datetime | None


class _MemberPagination(SelectPagination):
    """db.paginate's pages, with rows of (membership, last attended) and a count of ids only."""

    def _query_items(self) -> list[MemberRow]:
        statement = self._query_args["select"].limit(self.per_page).offset(self._query_offset)
        return [MemberRow(m, last) for m, last in self._query_args["session"].execute(statement)]

    def _query_count(self) -> int:
        return self._query_args["session"].scalar(self._query_args["counting"]) or 0


def _within(column, days: tuple[int | None, int | None], now: datetime) -> list[ColumnElement[bool]]:
    newest, oldest = days
    conditions = [] if newest is None else [column >= now - timedelta(days=newest)]
    return conditions if oldest is None else [*conditions, column < now - timedelta(days=oldest)]


def _member_conditions(community: Community, query: MemberFilters, last, now: datetime) -> list:
    show = query.show
    pending = show == "pending"
    conditions = [
        Membership.community_id == community.id,
        Membership.status == (MembershipStatus.PENDING if pending else MembershipStatus.ACTIVE),
    ]
    roles = {"owner": [Role.OWNER], "organizers": [Role.OWNER, Role.ORGANIZER], "member": [Role.MEMBER]}
    if show in roles:
        conditions.append(Membership.role.in_(roles[show]))
    if query.search:
        words = query.search.lower()
        conditions.append(
            or_(
                func.lower(User.name).contains(words, autoescape=True),
                func.lower(User.email).contains(words, autoescape=True),
            )
        )
    if query.cohort:
        conditions.append(Membership.cohort == query.cohort)
    if query.joined in JOINED:
        joined = Membership.requested_at if pending else Membership.joined_at
        conditions += _within(joined, JOINED[query.joined][1:], now)
    if last is not None and query.attended == "never":
        conditions.append(last.c.user_id.is_(None))
    elif last is not None and query.attended in LAST_ATTENDED:
        conditions += _within(last.c.last_attended_at, LAST_ATTENDED[query.attended][1:], now)
    return conditions


def members_page(community: Community, query: MemberFilters, page: int, per_page: int = PER_PAGE):
    """A page of memberships matching `query`, each with when they last came (one query for the
    rows, people included, and one for the count); requests oldest first, others by name."""
    now = utcnow()
    last = sections.section(sections.MEMBER_LAST_ATTENDED, community.id, now)
    last_column = last.c.last_attended_at if last is not None else null()
    conditions = _member_conditions(community, query, last, now)
    rows = select(Membership, last_column).join(Membership.user).options(contains_eager(Membership.user))
    count = select(func.count(Membership.id)).join(Membership.user)
    if last is not None:
        rows = rows.outerjoin(last, last.c.user_id == Membership.user_id)
        count = count.outerjoin(last, last.c.user_id == Membership.user_id)
    if query.show == "pending":
        order = (Membership.requested_at, Membership.id)
    elif query.show == "organizers":
        order = (Membership.role.desc(), User.name, Membership.id)
    else:
        order = (User.name, Membership.id)
    rows = rows.where(*conditions).order_by(*order)
    return _MemberPagination(
        select=rows, counting=count.where(*conditions), session=db.session,
        page=page, per_page=per_page, error_out=False,
    )  # fmt: skip


def attendance_known() -> bool:
    """Whether a feature tells when members last came (the "Last came" column and filter)."""
    return sections.provided(sections.MEMBER_LAST_ATTENDED)


def member_cohorts(community: Community) -> list[str]:
    """The cohorts of the community's members and requests, in order (from the cohort index)."""
    return list(
        db.session.scalars(
            select(Membership.cohort)
            .where(Membership.community_id == community.id, Membership.cohort.is_not(None))
            .distinct()
            .order_by(Membership.cohort)
        )
    )


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
