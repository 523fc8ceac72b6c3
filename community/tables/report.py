"""What the planner weighs between pairs, and the quality report of a plan (pure)."""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass, field
from itertools import combinations


@dataclass
class Weights:
    """Pair -> weight for the soft rules, only pairs of people being seated."""

    history: dict[frozenset, float] = field(default_factory=dict)
    connections: dict[frozenset, float] = field(default_factory=dict)
    colleagues: dict[frozenset, float] = field(default_factory=dict)
    shared: dict[frozenset, float] = field(default_factory=dict)  # attributes in common
    apart: set[frozenset] = field(default_factory=set)


def _pairs(value) -> dict[frozenset, float]:
    if isinstance(value, dict):
        return {frozenset(pair): float(weight) for pair, weight in value.items() if len(frozenset(pair)) == 2}
    counted: dict[frozenset, float] = {}
    for pair in value or ():
        key = frozenset(pair)
        if len(key) == 2:
            counted[key] = counted.get(key, 0) + 1
    return counted


def _organisation(name) -> str:
    return " ".join(str(name or "").split()).casefold()


def pair_weights(ids: list[Hashable], options: dict) -> Weights:
    present = set(ids)

    def only_present(pairs: dict[frozenset, float]) -> dict[frozenset, float]:
        return {pair: w for pair, w in pairs.items() if pair <= present and w}

    weights = Weights(
        history=only_present(_pairs(options.get("history"))),
        connections=only_present(_pairs(options.get("connections"))),
        apart=set(only_present(_pairs(options.get("apart")))),
    )
    groups: dict[str, list[Hashable]] = {}
    for person, name in (options.get("organisation") or {}).items():
        if person in present and _organisation(name):
            groups.setdefault(_organisation(name), []).append(person)
    for members in groups.values():
        for a, b in combinations(members, 2):
            weights.colleagues[frozenset((a, b))] = 1
    values: dict[tuple[str, str], list[Hashable]] = {}
    for person, attributes in (options.get("attributes") or {}).items():
        if person in present:
            for key, value in (attributes or {}).items():
                if _organisation(value):
                    values.setdefault((key, _organisation(value)), []).append(person)
    for members in values.values():
        for a, b in combinations(members, 2):
            pair = frozenset((a, b))
            weights.shared[pair] = weights.shared.get(pair, 0) + 1
    return weights


@dataclass
class Report:
    repeated_pairs: list[tuple[Hashable, Hashable, int]]  # (a, b, times together) for times > 1
    history_pairs: list[tuple[Hashable, Hashable]]  # together again after an earlier event
    connections_together: list[tuple[Hashable, Hashable]]
    colleague_tables: list[tuple[int, int, str]]  # (round, table, organisation) with two or more
    apart_together: list[tuple[Hashable, Hashable]]
    matches_met: int
    matches_missed: list[tuple[Hashable, Hashable]]
    diversity: list[list[float | None]]  # round -> table -> 0..1 (1: no two share a value)
    new_people: dict[Hashable, int]  # people met in this plan whom they had not met before

    @property
    def repeats(self) -> int:
        return sum(times - 1 for _, _, times in self.repeated_pairs)

    @property
    def mean_diversity(self) -> float | None:
        scores = [s for round_ in self.diversity for s in round_ if s is not None]
        return sum(scores) / len(scores) if scores else None

    def summary(self) -> str:
        """Plain words first: "Everyone meets 15 new people; no one sits with the same person twice"."""
        counts = sorted(self.new_people.values())
        if not counts:
            met = "No one is seated"
        elif counts[0] == counts[-1]:
            met = f"Everyone meets {_people(counts[0])}"
        else:
            met = f"Everyone meets {counts[0]} to {_people(counts[-1])}"
        if not self.repeats:
            repeats = "no one sits with the same person twice"
        else:
            repeats = f"{_count(len(self.repeated_pairs), 'pair')} share a table more than once"
        parts = [f"{met}; {repeats}."]
        if self.history_pairs:
            parts.append(f"{_count(len(self.history_pairs), 'pair')} sat together at an earlier event.")
        if self.colleague_tables:
            tables = len(self.colleague_tables)
            parts.append(f"{_count(tables, 'table')} {'seats' if tables == 1 else 'seat'} two colleagues.")
        if self.apart_together:
            parts.append(f"{_count(len(self.apart_together), 'pair')} to keep apart share a table.")
        return " ".join(parts)


def _count(number: int, word: str) -> str:
    return f"{number} {word}{'' if number == 1 else 's'}"


def _people(number: int) -> str:
    return f"{number} new {'person' if number == 1 else 'people'}"


def build_report(
    seated: list[list[list[Hashable]]], ids: list[Hashable], weights: Weights, options: dict, parties=()
) -> Report:
    """The report of `seated`; pairs within a party (host and guests, kept together) are no repeat."""
    same_party = {frozenset(pair) for party in parties for pair in combinations(party, 2)}
    times: dict[frozenset, int] = {}
    met: dict[Hashable, set] = {person: set() for person in ids}
    colleague_tables = []
    organisation = {p: _organisation(o) for p, o in (options.get("organisation") or {}).items()}
    attributes = options.get("attributes") or {}
    diversity = []
    for r, round_ in enumerate(seated):
        scores = []
        for t, table in enumerate(round_):
            for a, b in combinations(table, 2):
                pair = frozenset((a, b))
                times[pair] = times.get(pair, 0) + 1
                met.setdefault(a, set()).add(b)
                met.setdefault(b, set()).add(a)
            names = [organisation[p] for p in table if organisation.get(p)]
            for name in sorted({n for n in names if names.count(n) > 1}):
                colleague_tables.append((r, t, name))
            scores.append(_diversity(table, attributes))
        diversity.append(scores)
    known = set(weights.history) | set(weights.connections)
    order = {person: i for i, person in enumerate(ids)}

    def ordered(pairs) -> list[tuple[Hashable, Hashable]]:
        return sorted(
            (tuple(sorted(p, key=lambda x: order.get(x, len(order)))) for p in pairs),
            key=lambda p: (order.get(p[0], 0), order.get(p[1], 0)),
        )

    matches = _pairs(options.get("matches"))
    matches = {pair for pair in matches if pair <= set(ids)}
    return Report(
        repeated_pairs=[
            (a, b, times[frozenset((a, b))])
            for a, b in ordered(p for p, c in times.items() if c > 1 and p not in same_party)
        ],
        history_pairs=ordered(p for p in times if p in weights.history),
        connections_together=ordered(p for p in times if p in weights.connections),
        colleague_tables=colleague_tables,
        apart_together=ordered(p for p in times if p in weights.apart),
        matches_met=sum(1 for p in matches if p in times),
        matches_missed=ordered(p for p in matches if p not in times),
        diversity=diversity,
        new_people={p: sum(1 for o in met.get(p, ()) if frozenset((p, o)) not in known) for p in ids},
    )


def _diversity(table: list[Hashable], attributes: dict) -> float | None:
    """Mean over attributes of distinct values / people having one (1.0: all different)."""
    scores = []
    keys = sorted({key for p in table for key in (attributes.get(p) or {})})
    for key in keys:
        values = [_organisation((attributes.get(p) or {}).get(key)) for p in table]
        values = [v for v in values if v]
        if len(values) > 1:
            scores.append((len(set(values)) - 1) / (len(values) - 1))
    return sum(scores) / len(scores) if scores else None
