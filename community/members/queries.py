"""Reading profiles and a community's member directory.

The directory is a few queries whatever the page shows (see directory_page): memberships
of the community joined to their users and profiles, filtered in SQL by what the viewer's
audience may see (filters.py), so a filter or a search never finds a person by a hidden
field. With words it is by relevance unless the viewer chose another sort; each card says
which visible fields the words matched.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import ColumnElement, Select, func, literal_column, select, text, true
from sqlalchemy.orm import aliased

from community.auth.models import User
from community.communities.models import Community, Membership, MembershipStatus
from community.core import page_versions
from community.core.cache import cached_value, store_value
from community.extensions import db
from community.members.directory import PAGE_SIZE, DirectoryEntry, DirectoryPage, DirectoryQuery, Sort
from community.members.directory import Mode as Mode  # the directory's values, as ever read from here
from community.members.filters import member_conditions, search_column
from community.members.models import Profile, level_in
from community.members.permissions import LEVELS_SEEN, Audience, ProfileView
from community.members.search import profile_scores

#: The directory counts matches exactly up to this many; beyond, it says "1,000+ members"
#: and pages on with Previous / Next (counting 46,000 members cost more than the page).
COUNT_CAP = 1000


def _conditions(
    community: Community, audience: Audience, query: DirectoryQuery, dialect: str, *, words: bool = True
) -> list[ColumnElement[bool]]:
    """filters.member_conditions for the query (its words only if `words`)."""
    return member_conditions(
        community, audience, dialect, cohort=query.cohort, location=query.location,
        industry=query.industry, tag=query.tag, words=query.words if words else None,
    )  # fmt: skip


def _latest(column: ColumnElement) -> ColumnElement:
    return column.desc().nulls_last()


def _descending(column: ColumnElement) -> ColumnElement:
    return column.desc()


def _ascending(column: ColumnElement) -> ColumnElement:
    return column


Direction = Callable[[ColumnElement], ColumnElement]


def _ordered(
    community: Community, audience: Audience, query: DirectoryQuery, dialect: str
) -> tuple[Select, list[tuple[ColumnElement, Direction]]]:
    """The matching membership ids, unordered, and the keys of the query's order, each with
    its direction (any order but best match: see _best_page)."""
    statement = select(Membership.id).where(*_conditions(community, audience, query, dialect))
    if query.order is Sort.JOINED:
        return statement, [(Membership.joined_at, _latest), (Membership.id, _descending)]
    statement = statement.join(User, User.id == Membership.user_id)
    if query.order is Sort.ACTIVE:
        return statement, [(User.last_seen_at, _latest), (User.name, _ascending), (User.id, _ascending)]
    return statement, [(User.name, _ascending), (User.id, _ascending)]


def _page_ids(community: Community, audience: Audience, query: DirectoryQuery, dialect: str) -> Select:
    """Without words: the matching membership ids in the query's order."""
    statement, keys = _ordered(community, audience, query, dialect)
    return statement.order_by(*(direction(key) for key, direction in keys))


def searched_page(community: Community, audience: Audience, query: DirectoryQuery, page: int) -> Select:
    """For a search (words): (the capped count, a membership id) for each member of the page
    in order, plus one (is there a next page?), or one row (count, None) past the end.

    One statement, so that the words are matched once: the members found, with their sort
    keys, are kept in a MATERIALIZED CTE (for best match on PostgreSQL, the ranked matches:
    see _best_page), then counted up to COUNT_CAP + 1 and sorted for the page. A search
    reads every match anyway (to rank them, or to intersect the people the words found with
    the other filters), so counting them apart matched them twice.
    """
    offset, dialect = (page - 1) * PAGE_SIZE, db.engine.dialect.name
    if query.order is Sort.BEST:
        listed, on_page, directions = _best_page(community, audience, query, dialect, offset)
    else:
        statement, keys = _ordered(community, audience, query, dialect)
        labelled = (key.label(f"key{number}") for number, (key, _) in enumerate(keys))
        listed = statement.add_columns(*labelled).cte("listed").prefix_with("MATERIALIZED")
        directions = [direction for _, direction in keys]
        on_page = _sorted(select(*listed.c), directions, offset)
    capped = select(literal_column("1")).select_from(listed).limit(COUNT_CAP + 1).subquery("capped")
    counted = select(func.count()).select_from(capped).scalar_subquery()
    one_row = select(literal_column("1").label("one")).subquery("one_row")  # the count even past the end
    return (
        select(counted.label("counted"), on_page.c.id)
        .select_from(one_row.outerjoin(on_page, true()))
        .order_by(*(direction(on_page.c[f"key{n}"]) for n, direction in enumerate(directions)))
    )


def _best_page(community: Community, audience: Audience, query: DirectoryQuery, dialect: str, offset: int):
    """Best match for searched_page: (the matches, the page of them, its keys' directions).
    By relevance from the full-text engine (which also picks the matches, in place of the
    words' condition), then by name; but only the best `offset` + PAGE_SIZE + 1 scores (and
    their ties) need a name: reading every match's name cost more than ranking them.

    On PostgreSQL every match is ranked once (`ranked`), but the directory's conditions (a
    member, not suspended, their name seen ...) are tested on only as many matches as the
    answer needs: `listed` is not materialized, so the count tests matches until it has
    COUNT_CAP + 1, and the best scores come from testing the matches best first until there
    are enough. Testing (and keeping) all 15,000 matches of "clim" at 50,000 members cost
    more than ranking them."""
    scores = profile_scores(dialect, search_column(audience), query.words)
    ranked = (
        scores.subquery("ranked") if dialect == "sqlite" else scores.cte("ranked").prefix_with("MATERIALIZED")
    )

    conditions = _conditions(community, audience, query, dialect, words=False)

    def members_among(found) -> Select:
        return (
            select(Membership.id, Membership.user_id, found.c.score.label("key0"))
            .join(found, found.c.user_id == Membership.user_id)
            .where(*conditions)
        )

    if dialect == "sqlite":  # it tests each match as the FTS5 index finds it: keep them all
        listed = members_among(ranked).cte("listed").prefix_with("MATERIALIZED")
        found = listed
    else:
        listed = members_among(ranked).cte("listed").prefix_with("NOT MATERIALIZED")
        # Best first (OFFSET 0: sorted on its own, then tested in that order, up to the
        # limit); ordered again outside, which costs nothing when the order was kept.
        best_first = select(ranked).order_by(ranked.c.score).offset(0).subquery("best_first")
        found = members_among(best_first).subquery("found")
    best = select(found.c.key0).order_by(found.c.key0).limit(offset + PAGE_SIZE + 1).subquery("best")
    needed = select(func.min(best.c.key0), func.max(best.c.key0)).subquery("needed")
    # A range from the best score (not only "up to"): PostgreSQL then expects a few rows,
    # not a third of the matches, and looks their names up rather than reading everyone's.
    candidates = (
        select(listed.c.id, listed.c.key0, User.name.label("key1"), User.id.label("key2"))
        .join(needed, listed.c.key0.between(needed.c[0], needed.c[1]))
        .join(User, User.id == listed.c.user_id)
    )
    directions = [_ascending, _ascending, _ascending]
    return listed, _sorted(candidates, directions, offset), directions


def _sorted(statement: Select, directions: list[Direction], offset: int):
    """`statement` (id, key0, key1 ...) as the page from `offset`, plus one, as a subquery."""
    keys = [direction(statement.selected_columns[f"key{n}"]) for n, direction in enumerate(directions)]
    return statement.order_by(*keys).limit(PAGE_SIZE + 1).offset(offset).subquery("on_page")


#: What PostgreSQL is told for a search, for its statement only (_run_search):
#: - it costs testing @@ on a row as one operator, so for a word in a third of the profiles
#:   it would read the whole table and test every row (25 ms at 50,000) rather than fetch
#:   the GIN index's matches (10 ms): no sequential scans (every other table a search reads
#:   has an index that serves it);
#: - the words are a parameter, and which plan is best depends on them (a word in a third of
#:   the profiles, or in a few): psycopg prepares a statement run five times, and PostgreSQL
#:   then settles on one plan for any words (55 ms rather than 30 for "clim"). Always planned
#:   for the words at hand, which costs a millisecond.
SEARCH_SETTINGS = (
    "SELECT set_config('enable_seqscan', 'off', true),"
    " set_config('plan_cache_mode', 'force_custom_plan', true)"
)
#: And back to what the session had, for the rest of the request's transaction: the same
#: reset_val as from pg_settings, without listing every setting (0.3 ms rather than 1.5).
SEARCH_SETTINGS_RESET = "SET LOCAL enable_seqscan TO DEFAULT; SET LOCAL plan_cache_mode TO DEFAULT"


def _run_search(statement: Select) -> list[tuple[int, int | None]]:
    if db.engine.dialect.name != "postgresql":
        return [tuple(row) for row in db.session.execute(statement)]
    db.session.execute(text(SEARCH_SETTINGS))
    rows = [tuple(row) for row in db.session.execute(statement)]
    db.session.connection().exec_driver_sql(SEARCH_SETTINGS_RESET)
    return rows


def directory_page(community: Community, audience: Audience, query: DirectoryQuery) -> DirectoryPage:
    """One page of the directory as `audience` sees it, in a few queries whatever it shows:
    the count, capped (a page past the end of an exact count shows the last page), and the
    page's membership ids and one more (is there a next page?), in one statement for a
    search; then their people and profiles. The count stops at COUNT_CAP + 1 matches: nobody
    needs the exact figure past a thousand, and without words it would read every member."""
    counted, page, ids = _counted_page(community, audience, query)
    if not counted:
        return DirectoryPage(entries=[], total=0, page=1)
    entries = entries_for(ids[:PAGE_SIZE], audience, query.words)
    exact = counted <= COUNT_CAP
    return DirectoryPage(entries=entries, total=counted, page=page, exact=exact, more=len(ids) > PAGE_SIZE)


def _counted_page(
    community: Community, audience: Audience, query: DirectoryQuery
) -> tuple[int, int, list[int]]:
    """The (capped) count, the page shown and its membership ids (one more: is there a next
    page?). Kept by the community's page version, like visitors' pages (core.page_versions:
    members, names and profiles raise it), so asking again costs one cache read until the
    community changes; except "Recently active", which every visit reorders."""
    key = None
    if query.order is not Sort.ACTIVE:
        asked = (query.words, query.cohort, query.location, query.industry, query.tag)
        asked += (query.order, query.page, COUNT_CAP)
        version = page_versions.version_of(community.id)
        key = f"directory:{community.id}:v{version}:{audience.value}:{_digest(asked)}"
        found = cached_value(key)
        if isinstance(found, tuple):
            return found
    counted, page, ids = (_searched if query.words else _counted)(community, audience, query)
    if key is not None:
        store_value(key, (counted, page, ids))
    return counted, page, ids


def _counted(community: Community, audience: Audience, query: DirectoryQuery) -> tuple[int, int, list[int]]:
    """Without words: the capped count, then the page (which an index in the list's order
    may serve, stopping at the page, where a count cannot)."""
    dialect = db.engine.dialect.name
    matching = select(Membership.id).where(*_conditions(community, audience, query, dialect))
    counted = db.session.scalar(select(func.count()).select_from(matching.limit(COUNT_CAP + 1).subquery()))
    page, ids = max(1, query.page), []
    if counted:
        page = _page_shown(counted, page)
        statement = _page_ids(community, audience, query, dialect)
        ids = list(db.session.scalars(statement.limit(PAGE_SIZE + 1).offset((page - 1) * PAGE_SIZE)))
    return counted, page, ids


def _searched(community: Community, audience: Audience, query: DirectoryQuery) -> tuple[int, int, list[int]]:
    """With words: the count and the page from one statement (searched_page), and again
    for the last page when the page asked for is past the end of an exact count."""
    page = max(1, query.page)
    rows = _run_search(searched_page(community, audience, query, page))
    counted = rows[0][0]
    if counted and _page_shown(counted, page) != page:
        page = _page_shown(counted, page)
        rows = _run_search(searched_page(community, audience, query, page))
    return counted, page, [membership_id for _, membership_id in rows if membership_id is not None]


def _page_shown(counted: int, page: int) -> int:
    """The page asked for, or the last one past the end of an exact count."""
    return min(page, math.ceil(counted / PAGE_SIZE)) if counted <= COUNT_CAP else page


def _digest(value: object) -> str:
    return hashlib.blake2b(repr(value).encode(), digest_size=12).hexdigest()


def entries_for(
    membership_ids: list[int], audience: Audience, words: list[str] | None = None
) -> list[DirectoryEntry]:
    """The directory's cards for these memberships, in their order (one query), marked for `words`."""
    if not membership_ids:
        return []
    found = {
        membership.id: (membership, user, profile)
        for membership, user, profile in db.session.execute(
            select(Membership, User, Profile)
            .join(User, User.id == Membership.user_id)
            .outerjoin(Profile, Profile.user_id == Membership.user_id)
            .where(Membership.id.in_(membership_ids))
        )
    }
    entries = [
        DirectoryEntry(person=ProfileView(user, profile, audience), membership=membership)
        for membership, user, profile in (found[i] for i in membership_ids if i in found)
    ]
    for entry in entries if words else ():
        entry.mark(words)
    return entries


# -- "who can help with ...?" (ranked by a feature higher up, through the registry) --------------


@dataclass(frozen=True)
class HelpCandidate:
    """A member the audience may see, with what they can help with and their skills as far
    as the audience may see them (empty where hidden)."""

    membership_id: int
    user_id: int
    name: str
    can_help_with: tuple[str, ...]
    skills: tuple[str, ...]


def help_candidates(
    community: Community, audience: Audience, query: DirectoryQuery, *, leave_out: int | None = None
) -> list[HelpCandidate]:
    """Everyone the directory would list for the query's filters (not its words), who shows
    the audience something they can help with or a skill: one query, of only these columns.
    `leave_out`: the viewer (nobody needs to find themselves)."""
    dialect = db.engine.dialect.name
    # An alias: the conditions' subqueries on member_profile must not correlate with this join.
    profile = aliased(Profile)
    statement = (
        select(Membership.id, User.id, User.name, profile.visibility, profile.can_help_with, profile.skills)
        .join(User, User.id == Membership.user_id)
        .join(profile, profile.user_id == Membership.user_id)
        .where(*_conditions(community, audience, query, dialect, words=False))
    )
    if leave_out is not None:
        statement = statement.where(Membership.user_id != leave_out)
    seen = LEVELS_SEEN[audience]
    found = []
    for membership_id, user_id, name, visibility, can_help_with, skills in db.session.execute(statement):
        # The rule of permissions.can_see, on the visibility column alone.
        helps = tuple(can_help_with or ()) if level_in(visibility, "can_help_with") in seen else ()
        knows = tuple(skills or ()) if level_in(visibility, "skills") in seen else ()
        if helps or knows:
            found.append(HelpCandidate(membership_id, user_id, name, helps, knows))
    return found


def member_seen_by(community: Community, user_id: int, audience: Audience) -> DirectoryEntry | None:
    """`user_id` as the directory would show them to `audience`: an active member of the
    community whose name the audience may see, or None (one query)."""
    dialect = db.engine.dialect.name
    membership_id = db.session.scalar(
        select(Membership.id).where(
            *_conditions(community, audience, DirectoryQuery(), dialect), Membership.user_id == user_id
        )
    )
    found = entries_for([membership_id], audience) if membership_id is not None else []
    return found[0] if found else None


def directory_cohorts(community: Community, audience: Audience) -> list[str]:
    """The cohorts present among the community's active members (for members only: a
    cohort is community data, not shown to the public)."""
    if audience is Audience.PUBLIC:
        return []
    key = f"cohorts:{community.id}:v{page_versions.version_of(community.id)}"
    found = cached_value(key)
    if isinstance(found, list):
        return found
    cohorts = list(db.session.scalars(_cohorts_in(community)))
    store_value(key, cohorts)
    return cohorts


def _cohorts_in(community: Community) -> Select:
    """The distinct cohorts of the community's active members in order, each found from the
    last through the (community, status, cohort) index: a few dozen index probes, where
    PostgreSQL's DISTINCT read every membership (SQLite skips through the index either way)."""

    def listed(membership) -> list[ColumnElement[bool]]:
        return [membership.community_id == community.id, membership.status == MembershipStatus.ACTIVE]

    first = select(func.min(Membership.cohort).label("cohort")).where(
        *listed(Membership), Membership.cohort > ""
    )
    found = first.cte("cohorts", recursive=True)
    later = aliased(Membership)
    following = select(func.min(later.cohort)).where(*listed(later), later.cohort > found.c.cohort)
    found = found.union_all(select(following.scalar_subquery()).where(found.c.cohort.is_not(None)))
    return select(found.c.cohort).where(found.c.cohort.is_not(None)).order_by(found.c.cohort)
