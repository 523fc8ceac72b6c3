"""Reading profiles and a community's member directory.

The directory is a few queries whatever the page shows (see directory_page): memberships
of the community joined to their users and profiles, filtered in SQL by what the viewer's
audience may see (filters.py), so a filter or a search never finds a person by a hidden
field. With words it is by relevance unless the viewer chose another sort; each card says
which visible fields the words matched.
"""

from __future__ import annotations

import enum
import hashlib
import math
from dataclasses import dataclass, field

from sqlalchemy import ColumnElement, Select, func, select
from sqlalchemy.orm import aliased

from community.auth.models import User
from community.communities.models import Community, Membership, MembershipStatus
from community.core import page_versions
from community.core.cache import cached_value, store_value
from community.extensions import db
from community.members.filters import member_conditions, search_column
from community.members.models import Profile, level_in
from community.members.permissions import LEVELS_SEEN, Audience, ProfileView
from community.members.search import FieldMatch, Piece, field_matches, marked, profile_scores, query_words

PAGE_SIZE = 24
#: The directory counts matches exactly up to this many; beyond, it says "1,000+ members"
#: and pages on with Previous / Next (counting 46,000 members cost more than the page).
COUNT_CAP = 1000


class Sort(enum.StrEnum):
    BEST = "best"  # the default: by relevance when the search box has words, else by name
    NAME = "name"
    JOINED = "joined"
    ACTIVE = "active"

    @property
    def label(self) -> str:
        names = {
            "best": "Best match",
            "name": "Name",
            "joined": "Recently joined",
            "active": "Recently active",
        }
        return names[self.value]


class Mode(enum.StrEnum):
    """What the search box searches: every visible field, or what people can help with
    (ranked by introductions' matching, when that feature provides it)."""

    EVERYTHING = "all"
    HELP = "help"


@dataclass(frozen=True)
class DirectoryQuery:
    """What the viewer asked for: the directory's query string, parsed."""

    text: str = ""
    cohort: str = ""
    location: str = ""
    industry: str = ""
    tag: str = ""
    sort: Sort = Sort.BEST
    page: int = 1
    mode: Mode = Mode.EVERYTHING

    @property
    def words(self) -> list[str]:
        return query_words(self.text)

    @property
    def order(self) -> Sort:
        """The order the list is in: the chosen sort, where "best match" without words is by name."""
        return Sort.NAME if self.sort is Sort.BEST and not self.words else self.sort

    def sort_options(self) -> list[tuple[str, str]]:
        """(value, label) for the Sort select. The default ("") reads "Best match" when there
        are words and "Name" when not; so a search typed on an unsorted page is by relevance,
        and a sort someone chose (Name too, once they searched) stays theirs."""
        if self.words:
            named = [("", Sort.BEST.label), (Sort.NAME.value, Sort.NAME.label)]
        else:
            named = [("", Sort.NAME.label)]
        return named + [(sort.value, sort.label) for sort in (Sort.JOINED, Sort.ACTIVE)]

    @property
    def sort_value(self) -> str:
        """The option of sort_options() that is selected."""
        return (
            "" if self.sort is Sort.BEST or (self.sort is Sort.NAME and not self.words) else self.sort.value
        )

    @property
    def is_filtered(self) -> bool:
        return any((self.words, self.cohort, self.location, self.industry, self.tag))

    def params(self, **changes) -> dict[str, str | int]:
        """The query string for a link to this view with `changes` (page=2, tag=None ...)."""
        values = {
            "q": self.text, "cohort": self.cohort, "location": self.location, "industry": self.industry,
            "tag": self.tag, "sort": "" if self.sort is Sort.BEST else self.sort.value,
            "mode": "" if self.mode is Mode.EVERYTHING else self.mode.value, "page": self.page,
        }  # fmt: skip
        values.update(changes)
        return {key: value for key, value in values.items() if value and not (key == "page" and value == 1)}


@dataclass
class DirectoryEntry:
    person: ProfileView
    membership: Membership
    #: Why a search found this person: the lines of the card with the words marked in place
    #: ("headline", "role", "location"), and the other visible fields that matched.
    marks: dict[str, list[Piece]] = field(default_factory=dict)
    matches: list[FieldMatch] = field(default_factory=list)
    #: In the "can help with" mode: their words that answer the query.
    help: FieldMatch | None = None

    @property
    def role_line(self) -> str:
        """ "Job title at Organisation", unless the headline already says it."""
        return self.person.role_beside_headline

    def mark(self, words: list[str]) -> None:
        """Say why a search for `words` found this person, from what the viewer may see: the
        same word-prefix test as the full-text search (the name needs no explanation)."""
        person = self.person
        lines = {"headline": person.headline, "role": self.role_line, "location": person.location}
        self.marks = {key: pieces for key, text in lines.items() if text and (pieces := marked(text, words))}
        others = [
            ("can help with", person.can_help_with), ("skills", person.skills),
            ("interests", person.interests), ("industry", person.industry),
            ("looking for", person.looking_for), ("about", person.bio),
        ]  # fmt: skip
        self.matches = field_matches(others, words)


@dataclass
class DirectoryPage:
    entries: list[DirectoryEntry]
    #: How many matched, or only a lower bound when not `exact` (more than COUNT_CAP).
    total: int
    page: int
    page_size: int = PAGE_SIZE
    exact: bool = True
    #: Whether a page follows this one, for a count that is not exact.
    more: bool = False

    @property
    def pages(self) -> int:  # or those known to exist, when the count is not exact
        counted = max(1, math.ceil(self.total / self.page_size))
        return counted if self.exact else max(counted, self.page + self.more)

    @property
    def total_label(self) -> str:
        return f"{self.total:,}" if self.exact else f"{self.total - 1:,}+"

    @property
    def first_index(self) -> int:
        return (self.page - 1) * self.page_size + 1 if self.total and self.entries else 0

    @property
    def last_index(self) -> int:
        return self.first_index + len(self.entries) - 1 if self.entries else 0

    def page_numbers(self, around: int = 2) -> list[int | None]:
        """1 … 4 5 [6] 7 8 … 20: None marks a gap."""
        shown = {1, self.pages, *range(self.page - around, self.page + around + 1)}
        numbers: list[int | None] = []
        for number in sorted(n for n in shown if 1 <= n <= self.pages):
            if numbers and number - (numbers[-1] or 0) > 1:
                numbers.append(None)
            numbers.append(number)
        return numbers


def _conditions(
    community: Community, audience: Audience, query: DirectoryQuery, dialect: str, *, words: bool = True
) -> list[ColumnElement[bool]]:
    """filters.member_conditions for the query (its words only if `words`)."""
    return member_conditions(
        community, audience, dialect, cohort=query.cohort, location=query.location,
        industry=query.industry, tag=query.tag, words=query.words if words else None,
    )  # fmt: skip


def _page_ids(community: Community, audience: Audience, query: DirectoryQuery, dialect: str) -> Select:
    """The matching membership ids in the query's order. Best match joins each match's
    relevance from the full-text engine (which also picks them, in place of the words'
    condition), then orders by name within the same relevance."""
    if query.order is Sort.BEST:
        ranked = profile_scores(dialect, search_column(audience), query.words).subquery()
        return (
            select(Membership.id)
            .join(ranked, ranked.c.user_id == Membership.user_id)
            .join(User, User.id == Membership.user_id)
            .where(*_conditions(community, audience, query, dialect, words=False))
            .order_by(ranked.c.score, User.name, User.id)
        )
    statement = select(Membership.id).where(*_conditions(community, audience, query, dialect))
    if query.order is Sort.JOINED:
        return statement.order_by(Membership.joined_at.desc().nulls_last(), Membership.id.desc())
    statement = statement.join(User, User.id == Membership.user_id)
    if query.order is Sort.ACTIVE:
        return statement.order_by(User.last_seen_at.desc().nulls_last(), User.name, User.id)
    return statement.order_by(User.name, User.id)


def directory_page(community: Community, audience: Audience, query: DirectoryQuery) -> DirectoryPage:
    """One page of the directory as `audience` sees it, in three queries whatever it shows:
    the count, capped (a page past the end of an exact count shows the last page), the
    page's membership ids and one more (is there a next page?), then their people and profiles.
    The count stops at COUNT_CAP + 1 matches: nobody needs the exact figure past a thousand,
    and it cost a scan of every match (35 ms of a search at 50,000 members on PostgreSQL)."""
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
    dialect = db.engine.dialect.name
    matching = select(Membership.id).where(*_conditions(community, audience, query, dialect))
    counted = db.session.scalar(select(func.count()).select_from(matching.limit(COUNT_CAP + 1).subquery()))
    page, ids = max(1, query.page), []
    if counted:
        page = min(page, math.ceil(counted / PAGE_SIZE)) if counted <= COUNT_CAP else page
        statement = _page_ids(community, audience, query, dialect)
        ids = list(db.session.scalars(statement.limit(PAGE_SIZE + 1).offset((page - 1) * PAGE_SIZE)))
    if key is not None:
        store_value(key, (counted, page, ids))
    return counted, page, ids


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
    # DISTINCT over the (community, status, cohort) index: SQLite skips from one cohort to
    # the next rather than reading every membership (PostgreSQL reads them: kept, as above).
    cohorts = list(
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
    store_value(key, cohorts)
    return cohorts
