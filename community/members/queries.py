"""Reading profiles and a community's member directory.

The directory is one page query and one count, whatever the page shows: memberships of
the community joined to their users and profiles, filtered in SQL by what the viewer's
audience may see, so that a filter or a search never finds a person by a hidden field.
"""

from __future__ import annotations

import enum
import math
from dataclasses import dataclass

from sqlalchemy import ColumnElement, Select, and_, false, func, literal_column, or_, select, true
from sqlalchemy.orm import contains_eager

from community.auth.models import User
from community.communities.models import Community, Membership, MembershipStatus
from community.communities.queries import shares_a_community
from community.extensions import db
from community.members.models import DEFAULT_VISIBILITY, Profile, ProfileTag, Visibility
from community.members.permissions import Audience, ProfileView
from community.members.search import profile_ids_matching, query_words
from community.members.services import normalise_tag

PAGE_SIZE = 24


class Sort(enum.StrEnum):
    NAME = "name"
    JOINED = "joined"
    ACTIVE = "active"

    @property
    def label(self) -> str:
        return {"name": "Name", "joined": "Recently joined", "active": "Recently active"}[self.value]


@dataclass(frozen=True)
class DirectoryQuery:
    """What the viewer asked for: the directory's query string, parsed."""

    text: str = ""
    cohort: str = ""
    location: str = ""
    industry: str = ""
    tag: str = ""
    sort: Sort = Sort.NAME
    page: int = 1

    @property
    def is_filtered(self) -> bool:
        return any((query_words(self.text), self.cohort, self.location, self.industry, self.tag))

    def params(self, **changes) -> dict[str, str | int]:
        """The query string for a link to this view with `changes` (page=2, tag=None ...)."""
        values = {
            "q": self.text,
            "cohort": self.cohort,
            "location": self.location,
            "industry": self.industry,
            "tag": self.tag,
            "sort": "" if self.sort is Sort.NAME else self.sort.value,
            "page": self.page,
        }
        values.update(changes)
        return {key: value for key, value in values.items() if value and not (key == "page" and value == 1)}


@dataclass
class DirectoryEntry:
    person: ProfileView
    membership: Membership


@dataclass
class DirectoryPage:
    entries: list[DirectoryEntry]
    total: int
    page: int
    page_size: int = PAGE_SIZE

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.page_size))

    @property
    def first_index(self) -> int:
        return (self.page - 1) * self.page_size + 1 if self.total else 0

    @property
    def last_index(self) -> int:
        return min(self.total, self.page * self.page_size)

    def page_numbers(self, around: int = 2) -> list[int | None]:
        """1 … 4 5 [6] 7 8 … 20: None marks a gap."""
        shown = {1, self.pages, *range(self.page - around, self.page + around + 1)}
        numbers: list[int | None] = []
        for number in sorted(n for n in shown if 1 <= n <= self.pages):
            if numbers and number - (numbers[-1] or 0) > 1:
                numbers.append(None)
            numbers.append(number)
        return numbers


# -- visibility in SQL -------------------------------------------------------------------


def level_column(field_name: str, dialect: str) -> ColumnElement[str]:
    """The visibility of a profile field as SQL, with the default for fields not set.

    The JSON path is written literally (not as a bound parameter), so that an expression
    index on it could serve the directory (see the members benchmark).
    """
    assert field_name in DEFAULT_VISIBILITY
    if dialect == "postgresql":
        raw = Profile.visibility.op("->>")(literal_column(f"'{field_name}'"))
    else:
        raw = func.json_extract(Profile.visibility, literal_column(f"'$.{field_name}'"))
    return func.coalesce(raw, DEFAULT_VISIBILITY[field_name].value)


def visible_to(field_name: str, audience: Audience, dialect: str) -> ColumnElement[bool]:
    """SQL twin of permissions.can_see, for filtering lists in the database."""
    if audience is Audience.SELF:
        return true()
    if audience is Audience.PUBLIC:
        return level_column(field_name, dialect) == Visibility.EVERYONE.value
    return level_column(field_name, dialect) != Visibility.NOBODY.value


def _search_column(audience: Audience) -> str:
    return "search_public" if audience is Audience.PUBLIC else "search_members"


# -- the directory -----------------------------------------------------------------------


def _among(name: str, ids: Select) -> ColumnElement[bool]:
    """The membership's person is in `ids`, computed once as a set (a MATERIALIZED CTE):
    through the full-text or tag index, never re-checked row by row."""
    found = ids.with_only_columns(ids.selected_columns[0].label("user_id")).cte(name)
    return Membership.user_id.in_(select(found.prefix_with("MATERIALIZED").c.user_id))


def _matching(community: Community, audience: Audience, query: DirectoryQuery, dialect: str) -> Select:
    """Ids of the community's active members whom the audience may see (their name, first of
    all) and who match the query, each filter only on what the audience may see.

    Filters by word, tag, industry or place are sets of people found through their indexes;
    what the audience may see is then checked on each candidate's profile. Deleted accounts
    have no memberships (their rows are erased), so none are listed.
    """
    conditions = [
        Membership.community_id == community.id,
        Membership.status == MembershipStatus.ACTIVE,
        visible_to("name", audience, dialect),
    ]
    words = query_words(query.text)
    if words:
        conditions.append(
            _among("text_match", profile_ids_matching(dialect, _search_column(audience), words))
        )
    if query.cohort:
        # Cohorts are community data, shown to fellow members only.
        conditions.append(Membership.cohort == query.cohort if audience is not Audience.PUBLIC else false())
    if query.industry:
        conditions += [
            _among(
                "industry_match",
                select(Profile.user_id).where(func.lower(Profile.industry) == query.industry.lower()),
            ),
            visible_to("industry", audience, dialect),
        ]
    if query.location:
        place = query.location.lower()
        located = select(Profile.user_id).where(
            or_(func.lower(Profile.city) == place, func.lower(Profile.country) == place)
        )
        conditions += [_among("place_match", located), visible_to("location", audience, dialect)]
    if query.tag:
        tag = normalise_tag(query.tag)
        conditions.append(
            or_(
                *(
                    and_(
                        _among(
                            f"{kind}_match",
                            select(ProfileTag.user_id).where(ProfileTag.tag == tag, ProfileTag.kind == kind),
                        ),
                        visible_to(field_name, audience, dialect),
                    )
                    for kind, field_name in (("skill", "skills"), ("interest", "interests"))
                )
            )
        )
    return select(Membership.id).outerjoin(Profile, Profile.user_id == Membership.user_id).where(*conditions)


def _ordered(statement: Select, sort: Sort) -> Select:
    if sort is Sort.JOINED:
        return statement.order_by(Membership.joined_at.desc().nulls_last(), Membership.id.desc())
    statement = statement.join(User, User.id == Membership.user_id)
    if sort is Sort.ACTIVE:
        return statement.order_by(User.last_seen_at.desc().nulls_last(), User.name, User.id)
    return statement.order_by(User.name, User.id)


def _page_of_ids(matching: Select, sort: Sort, page: int) -> tuple[list[int], int | None]:
    """The page's membership ids and the total count, in one pass (a window count)."""
    statement = _ordered(matching.add_columns(func.count().over()), sort)
    rows = db.session.execute(statement.limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE)).all()
    return [row[0] for row in rows], (rows[0][1] if rows else None)


def directory_page(community: Community, audience: Audience, query: DirectoryQuery) -> DirectoryPage:
    """One page of the directory as `audience` sees it, in two queries whatever it shows:
    the page's membership ids with the total count; then their people and profiles.
    (A page past the end costs one more, to find the last page.)"""
    dialect = db.engine.dialect.name
    matching = _matching(community, audience, query, dialect)
    page = max(1, query.page)
    ids, total = _page_of_ids(matching, query.sort, page)
    if total is None:
        total = db.session.scalar(select(func.count()).select_from(matching.subquery())) or 0
        last_page = max(1, math.ceil(total / PAGE_SIZE))
        if total and page > last_page:
            page = last_page
            ids, _ = _page_of_ids(matching, query.sort, page)
    entries = []
    if ids:
        found = {
            membership.id: (membership, user, profile)
            for membership, user, profile in db.session.execute(
                select(Membership, User, Profile)
                .join(User, User.id == Membership.user_id)
                .outerjoin(Profile, Profile.user_id == Membership.user_id)
                .where(Membership.id.in_(ids))
            )
        }
        for membership_id in ids:
            membership, user, profile = found[membership_id]
            entries.append(DirectoryEntry(person=ProfileView(user, profile, audience), membership=membership))
    return DirectoryPage(entries=entries, total=total, page=page)


def directory_cohorts(community: Community, audience: Audience) -> list[str]:
    """The cohorts present among the community's active members (for members only: a
    cohort is community data, not shown to the public)."""
    if audience is Audience.PUBLIC:
        return []
    # coalesce() steers the planner to the (community, status) index rather than walking
    # the whole cohort index across every community.
    cohort = func.coalesce(Membership.cohort, "")
    return list(
        db.session.scalars(
            select(cohort)
            .where(
                Membership.community_id == community.id,
                Membership.status == MembershipStatus.ACTIVE,
                cohort != "",
            )
            .group_by(cohort)
            .order_by(cohort)
        )
    )


# -- profiles ----------------------------------------------------------------------------


def profile_of(user: User) -> Profile | None:
    return db.session.get(Profile, user.id)


def person_with_profile(user_id: int) -> tuple[User, Profile | None] | None:
    """An account that has not been deleted, and its profile if it has one."""
    row = db.session.execute(
        select(User, Profile)
        .outerjoin(Profile, Profile.user_id == User.id)
        .where(User.id == user_id, User.deleted_at.is_(None))
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
