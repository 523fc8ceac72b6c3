"""The member directory's filters as SQL: who is listed, each filter only on what the viewer's
audience may see, so that a filter or a search never finds a person by a hidden field.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, Select, false, func, literal_column, or_, select, true
from sqlalchemy.orm import aliased

from community.auth.models import User
from community.communities.models import Community, Membership, MembershipStatus
from community.members.models import DEFAULT_VISIBILITY, Profile, ProfileTag, Visibility
from community.members.permissions import LEVELS_SEEN, Audience
from community.members.search import equals_ignoring_case, profile_ids_matching
from community.members.services import normalise_tag

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


def search_column(audience: Audience) -> str:
    return "search_public" if audience is Audience.PUBLIC else "search_members"


# -- the directory's filters ------------------------------------------------------------------


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
    return _among(profile_ids_matching(dialect, search_column(audience), words))


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


def _not_suspended(dialect: str) -> ColumnElement[bool]:
    """The membership's person is not suspended: on PostgreSQL an anti-join, which it
    estimates (NOT IN a hashed subquery it takes to keep half the members, and then joins
    a search's matches to the members the wrong way round); on SQLite NOT IN, a set built once."""
    person = aliased(User)  # not the person a sort by name joins
    suspended = select(person.id).where(person.suspended_at.is_not(None))
    if dialect == "postgresql":
        return ~suspended.where(person.id == Membership.user_id).exists()
    return Membership.user_id.not_in(suspended)


def member_conditions(
    community: Community,
    audience: Audience,
    dialect: str,
    *,
    cohort: str = "",
    location: str = "",
    industry: str = "",
    tag: str = "",
    words: list[str] | None = None,
) -> list[ColumnElement[bool]]:
    """Conditions on Membership picking the community's active members whom the audience
    may see (their name, first of all) and who match the filters (and all `words`), each
    filter only on what the audience may see.

    Each filter is a set of people found through an index (full-text, tag, industry, place)
    and kept only where the audience may see the field that matched; the memberships are
    picked from those sets, without reading every member's profile. Deleted accounts have
    no memberships (their rows are erased), so none are listed; suspended accounts are left out.
    """
    conditions = [
        Membership.community_id == community.id,
        Membership.status == MembershipStatus.ACTIVE,
        _not_suspended(dialect),
        name_visible_to(audience, dialect),
    ]
    if cohort:
        # Cohorts are community data, shown to fellow members only.
        conditions.append(Membership.cohort == cohort if audience is not Audience.PUBLIC else false())
    if industry:
        industry = equals_ignoring_case(Profile.industry, industry.lower(), dialect)
        conditions.append(_people_with("industry", audience, dialect, industry))
    if location:
        place = location.lower()
        located = or_(
            equals_ignoring_case(Profile.city, place, dialect),
            equals_ignoring_case(Profile.country, place, dialect),
        )
        conditions.append(_people_with("location", audience, dialect, located))
    if tag:
        conditions.append(_tagged(normalise_tag(tag), audience))
    # Words last: SQLite tends to drive the query from the first set, and a word prefix
    # often matches the most people.
    if words:
        conditions.append(_found_by_words(words, audience, dialect))
    return conditions
