"""What the member directory was asked for (its query string, parsed) and what one page of
it shows: the values queries.directory_page reads and returns, and templates read."""

from __future__ import annotations

import enum
import math
from dataclasses import dataclass, field

from community.communities.models import Membership
from community.members.permissions import ProfileView
from community.members.search import FieldMatch, Piece, field_matches, marked, query_words

PAGE_SIZE = 24


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
