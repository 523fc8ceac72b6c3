"""Reading profiles and a community's member directory.

The directory is one page query and one count, whatever the page shows: memberships of
the community joined to their users and profiles, filtered in SQL by what the viewer's
audience may see, so that a filter or a search never finds a person by a hidden field.
"""

from __future__ import annotations

import enum
import math
from dataclasses import dataclass

from sqlalchemy import ColumnElement, Select, false, func, literal_column, or_, select, true
from sqlalchemy.orm import contains_eager

from community.auth.models import User
from community.communities.models import Community, Membership, MembershipStatus
from community.communities.queries import shares_a_community
from community.extensions import db
from community.members.models import DEFAULT_VISIBILITY, Profile, ProfileTag, Visibility
from community.members.permissions import LEVELS_SEEN, Audience, ProfileView
from community.members.search import equals_ignoring_case, profile_ids_matching, query_words
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

    The name's level is read from its plain column (a copy of the JSON value). For the
    other fields the JSON path is written literally (not as a bound parameter), so that an
    expression index on it could serve the directory.
    """
    assert field_name in DEFAULT_VISIBILITY
    if field_name == "name":
        raw = Profile.name_visibility
    elif dialect == "postgresql":
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


def name_visible_to(audience: Audience, dialect: str) -> ColumnElement[bool]:
    """visible_to("name", ...) for a membership's person, from the name_visibility index
    rather than a lookup of every member's profile (which dominated the directory's time
    at 50,000 members).

    Members see everyone but the few who hide their name (a person without a profile has
    the default, which they see): on PostgreSQL an anti-join, which it estimates well; on
    SQLite NOT IN, a set built once. The public sees only those who show it to everyone.
    """
    if audience is Audience.SELF:
        return true()
    seen = LEVELS_SEEN[audience]
    if DEFAULT_VISIBILITY["name"] not in seen:
        shown = [level.value for level in seen]
        return Membership.user_id.in_(select(Profile.user_id).where(Profile.name_visibility.in_(shown)))
    hidden = Profile.name_visibility.in_([level.value for level in Visibility if level not in seen])
    if dialect == "postgresql":
        return ~select(Profile.user_id).where(Profile.user_id == Membership.user_id, hidden).exists()
    return Membership.user_id.not_in(select(Profile.user_id).where(hidden))


def _search_column(audience: Audience) -> str:
    return "search_public" if audience is Audience.PUBLIC else "search_members"


# -- the directory -----------------------------------------------------------------------


def _among(people: Select) -> ColumnElement[bool]:
    """The membership's person is among `people` (a SELECT of user ids), found as a set,
    once, through its own index.

    OFFSET 0 keeps PostgreSQL from merging the subquery into the outer query, where it
    could test each member row by row instead: computing their tsvector, or reading their
    profile while walking people in name order. Unlike a MATERIALIZED CTE, it still lets
    the planner estimate the set's size. (SQLite builds such a set once in any case.)
    """
    return Membership.user_id.in_(people.offset(0))


def _found_by_words(words: list[str], audience: Audience, dialect: str) -> ColumnElement[bool]:
    """The membership's person matches every word, through the full-text index."""
    return _among(profile_ids_matching(dialect, _search_column(audience), words))


def _people_with(field_name: str, audience: Audience, dialect: str, *conditions) -> ColumnElement[bool]:
    """The membership's person is among the profiles meeting `conditions` (through their
    index) whose `field_name` the audience may see."""
    return _among(select(Profile.user_id).where(*conditions, visible_to(field_name, audience, dialect)))


def _tagged(tag: str, audience: Audience) -> ColumnElement[bool]:
    """The membership's person has `tag` among the skills or interests the audience may see
    (each tag carries the visibility of its field).

    No OFFSET 0 here: testing one person against the tag index is cheap, so PostgreSQL may
    well walk people in name order and test each, stopping at a page.
    """
    seen = [level.value for level in LEVELS_SEEN[audience]]
    return Membership.user_id.in_(
        select(ProfileTag.user_id).where(ProfileTag.tag == tag, ProfileTag.level.in_(seen))
    )


def _matching(community: Community, audience: Audience, query: DirectoryQuery, dialect: str) -> Select:
    """Ids of the community's active members whom the audience may see (their name, first of
    all) and who match the query, each filter only on what the audience may see.

    Each filter is a set of people found through an index (full-text, tag, industry, place)
    and kept only where the audience may see the field that matched; the memberships are
    picked from those sets, without reading every member's profile. Deleted accounts have
    no memberships (their rows are erased), so none are listed.
    """
    conditions = [
        Membership.community_id == community.id,
        Membership.status == MembershipStatus.ACTIVE,
        name_visible_to(audience, dialect),
    ]
    if query.cohort:
        # Cohorts are community data, shown to fellow members only.
        conditions.append(Membership.cohort == query.cohort if audience is not Audience.PUBLIC else false())
    if query.industry:
        industry = equals_ignoring_case(Profile.industry, query.industry.lower(), dialect)
        conditions.append(_people_with("industry", audience, dialect, industry))
    if query.location:
        place = query.location.lower()
        located = or_(
            equals_ignoring_case(Profile.city, place, dialect),
            equals_ignoring_case(Profile.country, place, dialect),
        )
        conditions.append(_people_with("location", audience, dialect, located))
    if query.tag:
        conditions.append(_tagged(normalise_tag(query.tag), audience))
    # Words last: SQLite tends to drive the query from the first set, and a word prefix
    # often matches the most people.
    words = query_words(query.text)
    if words:
        conditions.append(_found_by_words(words, audience, dialect))
    return select(Membership.id).where(*conditions)


def _ordered(statement: Select, sort: Sort) -> Select:
    if sort is Sort.JOINED:
        return statement.order_by(Membership.joined_at.desc().nulls_last(), Membership.id.desc())
    statement = statement.join(User, User.id == Membership.user_id)
    if sort is Sort.ACTIVE:
        return statement.order_by(User.last_seen_at.desc().nulls_last(), User.name, User.id)
    return statement.order_by(User.name, User.id)


def directory_page(community: Community, audience: Audience, query: DirectoryQuery) -> DirectoryPage:
    """One page of the directory as `audience` sees it, in three queries whatever it shows:
    the count (a page past the end shows the last page), the page's membership ids, then
    their people and profiles.

    The count is a query of its own rather than a window count(*) OVER () on the page's
    query: it needs neither the accounts nor the sort, and the window made the database
    keep every matching row before sorting (about twice the time at 50,000 members).
    """
    dialect = db.engine.dialect.name
    matching = _matching(community, audience, query, dialect)
    total = db.session.scalar(select(func.count()).select_from(matching.subquery())) or 0
    page = min(max(1, query.page), max(1, math.ceil(total / PAGE_SIZE)))
    if not total:
        return DirectoryPage(entries=[], total=0, page=page)
    ids = list(
        db.session.scalars(_ordered(matching, query.sort).limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE))
    )
    found = {
        membership.id: (membership, user, profile)
        for membership, user, profile in db.session.execute(
            select(Membership, User, Profile)
            .join(User, User.id == Membership.user_id)
            .outerjoin(Profile, Profile.user_id == Membership.user_id)
            .where(Membership.id.in_(ids))
        )
    }
    entries = [
        DirectoryEntry(person=ProfileView(user, profile, audience), membership=membership)
        for membership, user, profile in (found[membership_id] for membership_id in ids)
    ]
    return DirectoryPage(entries=entries, total=total, page=page)


def directory_cohorts(community: Community, audience: Audience) -> list[str]:
    """The cohorts present among the community's active members (for members only: a
    cohort is community data, not shown to the public)."""
    if audience is Audience.PUBLIC:
        return []
    # DISTINCT over the (community, status, cohort) index: SQLite skips from one cohort to
    # the next rather than reading every membership.
    return list(
        db.session.scalars(
            select(Membership.cohort)
            .distinct()
            .where(
                Membership.community_id == community.id,
                Membership.status == MembershipStatus.ACTIVE,
                Membership.cohort != "",
            )
            .order_by(Membership.cohort)
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
