"""People named on pages outside the directory (organised by, who's going), as a viewer may see them.

The directory's rule holds everywhere a name is shown: a person whose name the viewer may not
see is left out, and the rest show only what the viewer's audience may see. Each list is one
query: the row carries whether the person shares an active community with the viewer.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement, Select, false, select, true
from sqlalchemy.orm import aliased, contains_eager, load_only

from community.auth.models import User
from community.communities.models import Community, Membership, MembershipStatus, Role
from community.communities.queries import organizers_first, running, shares_a_community, viewer_community_ids
from community.core.kept import kept_in_community
from community.extensions import db
from community.members.models import Profile
from community.members.permissions import Audience, ProfileView, can_see_person

#: Built once: making an alias and its columns took about 1 ms a call, and name lists ask
#: twice a page (who's going, the organizers).
_THEIRS = aliased(Membership, name="their_membership")
_THEIR_ACTIVE_MEMBERSHIP = (_THEIRS.user_id == User.id, _THEIRS.status == MembershipStatus.ACTIVE)


def shares_a_community_with(viewer: User | None) -> ColumnElement[bool]:
    """True for people who are active members of a community the viewer is active in.

    With the viewer's communities known this request (loaded with the signed-in user), they
    are literal ids. The test is a scalar subquery with LIMIT 1, not EXISTS: PostgreSQL may
    turn an EXISTS into a hash of every active membership of the viewer's communities (50,000
    rows, ~6 ms, for a member of a large community, on every list however short), while this
    form is one index probe per person listed (ix_membership_community_status_user)."""
    if viewer is None:
        return false()
    known = viewer_community_ids(viewer)
    if known is not None and not known:
        return false()
    communities = (
        known
        if known is not None
        else select(Membership.community_id).where(
            Membership.user_id == viewer.id, Membership.status == MembershipStatus.ACTIVE
        )
    )
    return (
        select(_THEIRS.id)
        .where(*_THEIR_ACTIVE_MEMBERSHIP, _THEIRS.community_id.in_(communities))
        .limit(1)
        .scalar_subquery()
        .is_not(None)
    )


#: The columns a name card (name, initials, headline, photo) reads: lists of people load only these.
NAME_CARD_COLUMNS = (
    load_only(User.id, User.name, User.email, User.deleted_at),
    load_only(
        Profile.user_id, Profile.headline, Profile.visibility, Profile.photo_content_type, Profile.updated_at
    ),
)


def is_active_member_of(community_id: int) -> ColumnElement[bool]:
    """True for people who are active members of the community (one index probe each)."""
    return (
        select(_THEIRS.id)
        .where(*_THEIR_ACTIVE_MEMBERSHIP, _THEIRS.community_id == community_id)
        .limit(1)
        .scalar_subquery()
        .is_not(None)
    )


def seen_by(viewer: User | None, user: User, profile: Profile | None, shared: bool) -> ProfileView | None:
    """`user` as `viewer` sees them, or None when their name is hidden from the viewer."""
    if viewer is not None and user.id == viewer.id:
        audience = Audience.SELF
    else:
        audience = Audience.MEMBERS if shared else Audience.PUBLIC
    return ProfileView(user, profile, audience) if can_see_person(profile, audience) else None


@dataclass(frozen=True)
class NameCard:
    """A person in a list of names (who's going, the organizers): only what this viewer may
    see, worked out once, plain values (lists of them are kept across requests, core.kept)."""

    id: int
    name: str
    initials: str
    headline: str
    #: The photo's address when the viewer may see it, else "" (templates/_macros/people.html).
    photo_url: str = ""


def name_card(view: ProfileView) -> NameCard:
    return NameCard(
        id=view.id, name=view.name, initials=view.initials, headline=view.headline, photo_url=view.photo_url
    )


def cards_seen_by(viewer: User | None, rows) -> tuple[list[NameCard], list[int]]:
    """(name cards of the people the viewer may see, the indexes of those rows), from rows of
    (user, profile, shares a community with the viewer, ...)."""
    cards, shown = [], []
    for index, (user, profile, shared, *_) in enumerate(rows):
        view = seen_by(viewer, user, profile, shared)
        if view is not None:
            cards.append(name_card(view))
            shown.append(index)
    return cards, shown


def seen_otherwise_by_themselves(rows) -> frozenset[int]:
    """Of rows of (user, profile, ...) as members see them, the people whose own view of their
    card differs (they keep something from members): a kept list is not theirs to see."""
    ids = set()
    for user, profile, *_ in rows:
        as_members = seen_by(None, user, profile, True)
        if as_members is None or name_card(as_members) != name_card(
            ProfileView(user, profile, Audience.SELF)
        ):
            ids.add(user.id)
    return frozenset(ids)


def sees_as_a_member(viewer: User | None, membership: Membership | None) -> bool:
    """The viewer sees lists as every active member of the community does (kept for all of
    them, core.kept), unless they would see themselves on one otherwise."""
    return viewer is not None and membership is not None and membership.is_active


@dataclass(frozen=True)
class Organizers:
    """The organizers a viewer may see by name (with their roles), and how many keep it hidden."""

    people: list[tuple[NameCard, Role]]
    hidden: int
    #: Kept as members see it: who would see themselves otherwise (seen_otherwise_by_themselves).
    seen_otherwise: frozenset[int] = frozenset()


def organizers_seen_by(
    community: Community, viewer: User | None, membership: Membership | None = None
) -> Organizers:
    """Owners first, then organizers, by name (one query; none for a member of the community
    when the list as members see it is kept, unless they would see themselves on it otherwise)."""
    if sees_as_a_member(viewer, membership):
        # Those who run a community are its active members: each shares it with the viewer.
        found = kept_in_community(
            community.id, ("organizers",), lambda: _organizers(community, None, members=True)
        )
        if viewer.id not in found.seen_otherwise:
            return found
    return _organizers(community, viewer)


def _organizers(community: Community, viewer: User | None, *, members: bool = False) -> Organizers:
    shared = true() if members else shares_a_community_with(viewer)
    rows = db.session.execute(
        select(User, Profile, shared, Membership.role)
        .join(Membership, Membership.user_id == User.id)
        .outerjoin(Profile, Profile.user_id == User.id)
        .options(*NAME_CARD_COLUMNS)
        .where(*running(community))
        .order_by(*organizers_first)
    ).all()
    cards, shown = cards_seen_by(viewer, rows)
    return Organizers(
        people=[(card, rows[index][3]) for card, index in zip(cards, shown, strict=True)],
        hidden=len(rows) - len(cards),
        seen_otherwise=seen_otherwise_by_themselves(rows) if members else frozenset(),
    )


# -- one person's profile and communities -----------------------------------------------


def profile_of(user: User) -> Profile | None:
    return db.session.get(Profile, user.id)


def person_with_profile(user_id: int) -> tuple[User, Profile | None] | None:
    """An account that has not been deleted, and its profile if it has one."""
    row = db.session.execute(
        select(User, Profile)
        .outerjoin(Profile, Profile.user_id == User.id)
        .where(User.id == user_id, User.deleted_at.is_(None), User.suspended_at.is_(None))
    ).first()
    return (row[0], row[1]) if row else None


def audience_for(viewer: User | None, person: User) -> Audience:
    """How `viewer` sees `person`: themselves, a fellow member of a community, or the public."""
    if viewer is not None and getattr(viewer, "is_authenticated", False) and viewer.id == person.id:
        return Audience.SELF
    return Audience.MEMBERS if shares_a_community(viewer, person) else Audience.PUBLIC


def _memberships(user: User) -> Select:
    return (
        select(Membership)
        .join(Membership.community)
        .options(contains_eager(Membership.community))
        .where(Membership.user_id == user.id, Membership.status == MembershipStatus.ACTIVE)
        .order_by(Community.name)
    )


def active_memberships(user: User) -> list[Membership]:
    """The user's active memberships, with their communities, by community name."""
    return list(db.session.scalars(_memberships(user)))


def communities_in_common(viewer: User | None, person: User) -> list[Membership]:
    """The person's active memberships in communities where the viewer is an active member too."""
    if viewer is None or not getattr(viewer, "is_authenticated", False):
        return []
    if viewer.id == person.id:
        return active_memberships(person)
    mine = select(Membership.community_id).where(
        Membership.user_id == viewer.id, Membership.status == MembershipStatus.ACTIVE
    )
    return list(db.session.scalars(_memberships(person).where(Membership.community_id.in_(mine))))
