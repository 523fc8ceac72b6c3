"""Who should meet whom, and why: pure matching of people's phrases and topics.

Nothing here touches the database or the request. Callers pass each person as the viewer may
see them (a "looking for" hidden from the viewer is simply not in the `Person`), so no reason
can reveal what the profile's privacy settings hide.

Phrases ("can help with", "looking for", "I'd like to talk about", skills, interests) become
bags of *terms*: lower-cased words with punctuation, filler words ("help with", "advice on")
dropped, a few abbreviations expanded (`SYNONYMS`) and each word reduced to its stem with the
Snowball English stemmer, so "Product managers", "managing products" and "PM" meet. Two bags
are compared by the weight of the terms they share over the weight of all their terms, each
term weighted by its rarity among the people compared (inverse document frequency): a rare
word ("fundraising") counts more than a common one ("management").

A suggestion's score is the sum of its reasons' weights; the weights make the kinds of reason
rank in the order organizers asked for: help both ways, then one way (an exact topic above a
phrase), then the "talk about" lines, shared interests and skills, the same cohort, and new
perspectives (another industry or organisation). Existing connections are not suggested; the
caller lists them apart.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

import snowballstemmer

#: Abbreviations people write for common fields, expanded before stemming. Keep it short and
#: unambiguous: a wrong expansion invents a match.
SYNONYMS: dict[str, str] = {
    "pm": "product management", "ux": "user experience", "ui": "user interface",
    "ml": "machine learning", "ai": "artificial intelligence", "vc": "venture capital",
    "hr": "human resources", "bd": "business development", "seo": "search engine optimization",
    "qa": "quality assurance", "dei": "diversity equity inclusion", "pr": "public relations",
    "esg": "environmental social governance", "ngo": "non profit", "nonprofit": "non profit",
}  # fmt: skip

#: Words that say how someone asks, not what about: "advice on", "help with", "moving into".
FILLER = frozenset(
    """
    a an and any about advice after against all also am are as at be been being best better
    both but by can could do does doing for from get getting go going good great has have help
    helping how i i'd id if in into is it its just know learn learning like looking love me
    more move moving my new of on or our out over some someone tip tips the their them then
    there they this to towards try trying up us want wanting was way ways we what when where
    which who why will with would you your talk chat discuss
    """.split()
)

_WORD = re.compile(r"[^\W_]+(?:[+#]+|(?:['’][^\W_]+)?)", re.UNICODE)
_stemmer = snowballstemmer.stemmer("english")


@lru_cache(maxsize=50_000)
def _stem(word: str) -> str:
    return _stemmer.stemWord(word)


@lru_cache(maxsize=20_000)
def terms(phrase: str) -> frozenset[str]:
    """The phrase's stemmed content words, abbreviations expanded, filler dropped."""
    text = unicodedata.normalize("NFKC", phrase).casefold()
    words: list[str] = []
    for word in _WORD.findall(text):
        word = word.replace("’", "'")
        words.extend(SYNONYMS.get(word, word).split())
    return frozenset(_stem(word) for word in words if word not in FILLER)


# -- people -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Person:
    """One person as the viewer may see them. `offers` and `seeks` are the names of the
    organizers' topics they ticked; the phrase lists are their own words."""

    id: Hashable
    name: str = ""
    can_help_with: tuple[str, ...] = ()
    looking_for: tuple[str, ...] = ()
    talk_about: str = ""
    skills: tuple[str, ...] = ()
    interests: tuple[str, ...] = ()
    offers: frozenset[str] = frozenset()
    seeks: frozenset[str] = frozenset()
    cohort: str = ""
    organisation: str = ""
    industry: str = ""

    @property
    def called(self) -> str:
        return self.name or "They"

    def phrases(self) -> Iterable[str]:
        yield from self.can_help_with
        yield from self.looking_for
        yield from self.skills
        yield from self.interests
        if self.talk_about:
            yield self.talk_about


class Weights:
    """How rare each term is among a group of people: 1 + ln(N / people using it)."""

    def __init__(self, people: Iterable[Person]):
        counts: Counter[str] = Counter()
        total = 0
        for person in people:
            total += 1
            counts.update(set().union(*(terms(phrase) for phrase in person.phrases())))
        self._counts = counts
        self._total = max(total, 1)

    def of(self, term: str) -> float:
        return 1.0 + math.log((self._total + 1) / (self._counts.get(term, 0) + 1))

    def similarity(self, first: frozenset[str], second: frozenset[str]) -> float:
        """Weighted share of the two bags' terms they have in common, from 0 to 1."""
        if not first or not second:
            return 0.0
        shared = first & second
        if not shared:
            return 0.0
        return sum(map(self.of, shared)) / sum(map(self.of, first | second))


#: Below this similarity two phrases are not called a match.
MATCH_THRESHOLD = 0.25


@dataclass(frozen=True)
class PhraseMatch:
    wanted: str  # the phrase looked for (or the query)
    offered: str  # the phrase that answers it, in its owner's words
    strength: float


def best_match(
    wanted: Sequence[str], offered: Sequence[str], weights: Weights, *, threshold: float = MATCH_THRESHOLD
) -> PhraseMatch | None:
    """The strongest pair of a wanted and an offered phrase, if any reaches `threshold`."""
    best: PhraseMatch | None = None
    for want in wanted:
        want_terms = terms(want)
        for offer in offered:
            strength = weights.similarity(want_terms, terms(offer))
            if strength >= threshold and (best is None or strength > best.strength):
                best = PhraseMatch(want, offer, strength)
    return best


# -- reasons and suggestions ---------------------------------------------------------------------

#: What each kind of reason is worth (a phrase match is worth its weight times its strength).
#: topic_help: an organizers' topic one offers and the other seeks; phrase_help: a "can help
#: with" that answers a "looking for"; both_ways: a bonus when help runs both ways; shared:
#: interests, skills or topics in common.
WEIGHTS = {
    "topic_help": 40.0, "phrase_help": 32.0, "both_ways": 30.0, "talk_about": 18.0, "shared": 10.0,
    "cohort": 6.0, "new_industry": 4.0, "new_organisation": 2.0, "not_met": 1.0,
}  # fmt: skip


@dataclass(frozen=True)
class Reason:
    """One reason in plain words: `lead`, then `phrase` (shown emphasised), then `tail`."""

    kind: str
    weight: float
    lead: str
    phrase: str = ""
    tail: str = ""

    def __str__(self) -> str:
        return f"{self.lead}{self.phrase}{self.tail}"


@dataclass(frozen=True)
class Suggestion:
    person: Person
    reasons: tuple[Reason, ...] = field(default_factory=tuple)

    @property
    def score(self) -> float:
        return sum(reason.weight for reason in self.reasons)

    def breakdown(self) -> dict[str, float]:
        """Score per kind of reason, for the page's explanation and for tests."""
        totals: Counter[str] = Counter()
        for reason in self.reasons:
            totals[reason.kind] += reason.weight
        return dict(totals)


def _help(giver: Person, taker: Person, weights: Weights, *, giver_is_viewer: bool) -> Reason | None:
    """The best way `giver` can help `taker`: a shared topic first, else a phrase match."""
    topics = sorted(giver.offers & taker.seeks)
    if giver_is_viewer:
        lead, tail = f"You can help {taker.called} with ", ""
    else:
        lead, tail = f"{giver.called} can help with ", ", which you are looking for"
    if topics:
        return Reason("topic_help", WEIGHTS["topic_help"], lead, topics[0], tail)
    wanted = taker.looking_for + tuple(taker.seeks)
    offered = giver.can_help_with + tuple(giver.offers)
    match = best_match(wanted, offered, weights)
    if match is None:
        skill = best_match(wanted, giver.skills, weights)
        if skill is None:
            return None
        match = PhraseMatch(skill.wanted, skill.offered, skill.strength * 0.8)
    # The viewer reads the other's words: what they offer, or what they are looking for.
    phrase = match.wanted if giver_is_viewer else match.offered
    return Reason("phrase_help", WEIGHTS["phrase_help"] * match.strength, lead, phrase, tail)


def _talk(viewer: Person, other: Person, weights: Weights) -> Reason | None:
    """A "talk about" line that meets the other's line, help, skills, interests or topics."""
    weight = WEIGHTS["talk_about"]
    if viewer.talk_about and other.talk_about:
        match = best_match((viewer.talk_about,), (other.talk_about,), weights)
        if match:
            return Reason(
                "talk_about", weight * match.strength, "You both want to talk about ", other.talk_about
            )
    if other.talk_about:
        mine = (
            *viewer.can_help_with,
            *viewer.skills,
            *viewer.interests,
            *sorted(viewer.offers | viewer.seeks),
        )
        match = best_match((other.talk_about,), mine, weights)
        if match:
            lead = f"{other.called} would like to talk about "
            return Reason("talk_about", weight * match.strength, lead, other.talk_about)
    if viewer.talk_about:
        theirs = (*other.can_help_with, *other.skills, *other.interests, *sorted(other.offers))
        match = best_match((viewer.talk_about,), theirs, weights)
        if match:
            tail = ", which you'd like to talk about"
            return Reason(
                "talk_about", weight * match.strength, f"{other.called} knows about ", match.offered, tail
            )
    return None


def _shared(viewer: Person, other: Person, weights: Weights, *, said: set[str]) -> Reason | None:
    """A topic, interest or skill both have, other than one a reason already names (`said`)."""
    common = sorted(
        topic
        for topic in (viewer.offers | viewer.seeks) & (other.offers | other.seeks)
        if topic.casefold() not in said
    )
    if common:
        return Reason("shared", WEIGHTS["shared"], "You both care about ", common[0])
    match = best_match(
        viewer.interests + viewer.skills, other.interests + other.skills, weights, threshold=0.5
    )
    if match is None or match.offered.casefold() in said:
        return None
    return Reason("shared", WEIGHTS["shared"] * match.strength, "You both care about ", match.offered)


def _perspective(viewer: Person, other: Person, known_industries: frozenset[str]) -> Reason | None:
    industry, organisation = other.industry.strip(), other.organisation.strip()
    if industry and industry.casefold() not in {viewer.industry.strip().casefold(), *known_industries}:
        tail = "; you don't know anyone there yet"
        return Reason("new_industry", WEIGHTS["new_industry"], "Works in ", industry, tail)
    mine = viewer.organisation.strip().casefold()
    if organisation and mine and organisation.casefold() != mine:
        tail = ", not your organisation"
        return Reason("new_organisation", WEIGHTS["new_organisation"], "Works at ", organisation, tail)
    return None


def reasons_to_meet(
    viewer: Person,
    other: Person,
    weights: Weights,
    *,
    known_industries: frozenset[str] = frozenset(),
    met_before: bool = False,
) -> tuple[Reason, ...]:
    """Why `viewer` and `other` should meet (possibly no reason), in the order of importance:
    help both ways, help they can give, help the viewer can give, the "talk about" lines,
    what they share, cohort, a new perspective, not having met."""
    takes = _help(other, viewer, weights, giver_is_viewer=False)
    gives = _help(viewer, other, weights, giver_is_viewer=True)
    found = [Reason("both_ways", WEIGHTS["both_ways"], "You can help each other")] if takes and gives else []
    found.extend(reason for reason in (takes, gives) if reason)
    talk = _talk(viewer, other, weights)
    if talk and talk.phrase.casefold() not in {reason.phrase.casefold() for reason in found}:
        found.append(talk)
    shared = _shared(viewer, other, weights, said={reason.phrase.casefold() for reason in found})
    if shared:
        found.append(shared)
    if viewer.cohort and viewer.cohort == other.cohort:
        found.append(Reason("cohort", WEIGHTS["cohort"], "Also ", viewer.cohort))
    perspective = _perspective(viewer, other, known_industries)
    if perspective:
        found.append(perspective)
    if not met_before:
        found.append(Reason("not_met", WEIGHTS["not_met"], "You haven't met yet"))
    return tuple(found)


def suggest(
    viewer: Person,
    others: Iterable[Person],
    *,
    connections: frozenset[Hashable] = frozenset(),
    met_before: frozenset[Hashable] = frozenset(),
    known_industries: Iterable[str] = (),
) -> list[Suggestion]:
    """Everyone in `others` but the viewer and their connections, best match first.

    `met_before`: ids of people the viewer attended an earlier event with; `known_industries`:
    industries of the viewer's connections (a different one is a new perspective)."""
    pool = [person for person in others if person.id != viewer.id]
    weights = Weights([viewer, *pool])
    industries = frozenset(industry.strip().casefold() for industry in known_industries if industry)
    suggestions = [
        Suggestion(
            person,
            reasons_to_meet(
                viewer, person, weights, known_industries=industries, met_before=person.id in met_before
            ),
        )
        for person in pool
        if person.id not in connections
    ]
    suggestions.sort(
        key=lambda suggestion: (
            -suggestion.score,
            suggestion.person.name.casefold(),
            str(suggestion.person.id),
        )
    )
    return suggestions


# -- "who can help me with ...?" ----------------------------------------------------------------


@dataclass(frozen=True)
class HelperMatch:
    person: Person
    phrase: str  # the person's own words that matched
    strength: float


def who_can_help(
    query: str, people: Iterable[Person], *, threshold: float = MATCH_THRESHOLD
) -> list[HelperMatch]:
    """People whose "can help with" (or, weaker, skills) answers `query`, best first."""
    people = list(people)
    weights = Weights(people)
    found: list[HelperMatch] = []
    for person in people:
        match = best_match(
            (query,), person.can_help_with + tuple(person.offers), weights, threshold=threshold
        )
        skill = best_match((query,), person.skills, weights, threshold=threshold)
        if skill and (match is None or skill.strength * 0.8 > match.strength):
            match = PhraseMatch(skill.wanted, skill.offered, skill.strength * 0.8)
        if match:
            found.append(HelperMatch(person, match.offered, match.strength))
    found.sort(key=lambda item: (-item.strength, item.person.name.casefold(), str(item.person.id)))
    return found


def strong_matches(people: Sequence[Person], *, strength: float = 0.6) -> list[tuple[Hashable, Hashable]]:
    """Pairs where one can help with what the other is looking for, strongly (an exact topic,
    or a phrase match of at least `strength`): for seating them together at a roundtable.
    Only pairs that share a stemmed term or a topic are compared."""
    weights = Weights(people)
    offering: dict[str, set[int]] = {}
    for index, person in enumerate(people):
        for phrase in (*person.can_help_with, *person.offers):
            for term in terms(phrase):
                offering.setdefault(term, set()).add(index)
    pairs: set[tuple[int, int]] = set()
    for taker_index, taker in enumerate(people):
        candidates = set().union(
            *(offering.get(t, set()) for w in (*taker.looking_for, *taker.seeks) for t in terms(w))
        )
        for giver_index in candidates - {taker_index}:
            reason = _help(people[giver_index], taker, weights, giver_is_viewer=False)
            if reason and (reason.kind == "topic_help" or reason.weight >= WEIGHTS["phrase_help"] * strength):
                pairs.add((min(giver_index, taker_index), max(giver_index, taker_index)))
    return sorted((people[a].id, people[b].id) for a, b in pairs)
