"""Reading communities and memberships."""

from __future__ import annotations

from functools import cache

from sqlalchemy import ColumnElement, Select, bindparam, func, inspect, select
from sqlalchemy.orm.exc import ObjectDeletedError

from community.auth.models import User
from community.communities.models import Community, Membership, MembershipStatus, Role
from community.core import page_versions
from community.core.per_request import recall, remember
from community.core.public_pages import PageState
from community.core.reads import read_first
from community.extensions import db


def _memberships_key(user_id: int) -> tuple[str, int]:
    return ("memberships", user_id)


@cache
def _session_user_and_memberships() -> Select:
    """Built once, on the first log-in check (the models are mapped by then)."""
    return (
        User.session_statement().add_columns(Membership).outerjoin(Membership, Membership.user_id == User.id)
    )


def load_session_user(session_id: str) -> User | None:
    """Flask-Login's user loader: the user of a valid session and all their memberships in
    one statement, the memberships remembered for the request, so that the pages' "is the
    viewer a member here?" and "who shares a community with the viewer?" cost nothing more."""
    found = User.session_parameters(session_id)
    if found is None:
        return None
    parameters, token = found
    rows = db.session.execute(_session_user_and_memberships(), parameters).all()
    if not rows:
        return None
    user = rows[0][0]
    user.session_token = token
    remember(_memberships_key(user.id), {m.community_id: m for _, m in rows if m is not None})
    return user


def _remembered(user: User, community_id: int) -> Membership | None:
    """The membership loaded with the user this request, if it still stands."""
    known = recall(_memberships_key(user.id))
    membership = known.get(community_id) if known else None
    if membership is None or inspect(membership).was_deleted:
        return None
    try:
        return membership if membership.user_id == user.id else None  # refreshes if expired
    except ObjectDeletedError:
        return None


def viewer_community_ids(viewer: User) -> list[int] | None:
    """The communities the viewer is an active member of, when loaded with them this request
    (None otherwise: callers then ask the database)."""
    known = recall(_memberships_key(viewer.id))
    if known is None:
        return None
    ids = []
    for community_id in list(known):
        membership = _remembered(viewer, community_id)
        if membership is not None and membership.status == MembershipStatus.ACTIVE:
            ids.append(community_id)
    return ids


def community_by_slug(slug: str) -> Community | None:
    return db.session.scalar(select(Community).where(Community.slug == slug.lower()))


_COMMUNITY_PAGE_STATE = select(Community.id, page_versions.version_column(Community.id)).where(
    Community.slug == bindparam("slug")
)  # built once, like events.queries._EVENT_PAGE_STATE


def community_page_state(slug: str) -> PageState | None:
    """What visitors' pages of a community (its home, its events) are stored under: its page
    version, in one statement; None when there is no such community (the view answers 404)."""
    row = read_first(_COMMUNITY_PAGE_STATE, {"slug": slug.lower()})
    return None if row is None else PageState(key=f"v{row[1]}", community_id=row[0])


def membership_of(user: User | None, community: Community) -> Membership | None:
    """The user's membership (active or pending) in the community, if any."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    known = _remembered(user, community.id)
    if known is not None:
        return known
    # Not loaded with the user (another person, or a membership made this request): ask.
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
        User.suspended_at.is_(None),
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
    known = viewer_community_ids(viewer)
    if known is not None and not known:
        return False
    mine = (  # the viewer's communities, as loaded with them this request if they were
        known
        if known is not None
        else select(Membership.community_id).where(
            Membership.user_id == viewer.id, Membership.status == MembershipStatus.ACTIVE
        )
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
