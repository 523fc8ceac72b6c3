"""The table planner: who sits where, round after round (pure: no Flask, no database).

    plan = plan_tables(people, table_size, rounds, *, seed=0, **options)
    plan.rounds[r][t]  # the ids at table t in round r (rounds and tables count from 0)
    plan.report        # its quality (see community.tables.report)

Rules, in order: (1) everyone sits once per round, table sizes differ by at most one (or stay
within named sizes), guests sit with their host, pins hold; (2) no pair shares a table twice
when that is possible, else as few repeats as found; (3) pairs from earlier events and
connections are spread; (4) colleagues are spread; (5) tables mix attributes (cohort,
industry) and strong matches meet at least once. Options (all keyword, all optional):

- `tables`: a number of tables instead of `table_size`; `named_tables`: [(name, seats), ...].
- `guests`: {host: [guest, ...]}; a guest missing from `people` is added after everyone else.
- `pins`: {(person, round): table}; `together` / `apart`: pairs kept together / apart in
  every round (together pairs move as one party, like guests).
- `history`: {frozenset({a, b}): weight} or pairs (each occurrence counts 1) from earlier
  events; `connections`: pairs who know each other; `organisation`: {person: name};
  `attributes`: {person: {"cohort": ..., "industry": ...}}; `matches`: pairs to seat together once.
- `fixed_rounds`: earlier rounds kept exactly as they were (they count for repeats); the plan
  has `rounds` rounds in all, the first being these. `previous_rounds`: the plan being replaced;
  its later rounds' seats are kept where the people present still allow.
- `max_steps`, `time_limit` (seconds): the search budget.

The same input and seed always give the same plan (only `time_limit` can cut a search short).
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from random import Random

from community.tables import constructions, search
from community.tables.report import Report, build_report, pair_weights

MAX_ROUNDS = 8
MIN_SIZE, MAX_SIZE = 2, 20
MAX_PEOPLE = 1_000  # the search keeps n x n pair counts
HISTORY, CONNECTION, COLLEAGUE, SHARED, APART, MATCH, KEEP = 100, 100, 10, 1, 1_000_000, 5, 500


class PlanError(ValueError):
    """Input the planner cannot seat; the message is meant for the organizer."""


@dataclass
class Plan:
    rounds: list[list[list[Hashable]]]
    report: Report
    table_names: list[str]
    seed: int
    steps: int  # search steps taken
    method: str = "greedy"  # how the search started: "greedy", "construction" (a known design), "kept"


def plan_tables(
    people: Iterable[Hashable], table_size: int | None, rounds: int, *, seed: int = 0, **options
) -> Plan:
    unknown = set(options) - OPTIONS
    if unknown:
        raise TypeError(f"unknown options: {', '.join(sorted(unknown))}")
    ids = _people(people, options.get("guests") or {})
    fixed = [[list(table) for table in round_] for round_ in options.get("fixed_rounds") or []]
    if isinstance(rounds, bool) or not isinstance(rounds, int) or not 1 <= rounds <= MAX_ROUNDS:
        raise PlanError(f"Choose between 1 and {MAX_ROUNDS} rounds.")
    if len(fixed) > rounds:
        raise PlanError("There are more rounds to keep than rounds in the plan.")
    if len(ids) > MAX_PEOPLE:
        raise PlanError(f"A table plan seats at most {MAX_PEOPLE:,} people; there are {len(ids):,}.")
    sizes, names = _table_sizes(len(ids), table_size, options)
    if any(len(round_) > len(sizes) for round_ in fixed):
        raise PlanError(f"The rounds to keep use more tables than the {len(sizes)} there are now.")
    fixed = [round_ + [[] for _ in range(len(sizes) - len(round_))] for round_ in fixed]
    index = {person: i for i, person in enumerate(ids)}
    units = _units(ids, index, options, max(sizes))
    pins = _pins(index, units, options.get("pins") or {}, rounds, len(fixed), sizes)
    _check_apart(index, units, pins, options.get("apart") or ())
    weights = pair_weights(ids, options)
    n = len(ids)
    pair_cost = [0] * (n * n)
    for (a, b), cost in _pair_costs(index, weights, options).items():
        pair_cost[a * n + b] = pair_cost[b * n + a] = cost
    met_before = [0] * (n * n)
    for round_ in fixed:
        for table in round_:
            present = [index[p] for p in table if p in index]
            for i, a in enumerate(present):
                for b in present[i + 1 :]:
                    met_before[a * n + b] += 1
                    met_before[b * n + a] += 1
    bonus = None
    if options.get("matches"):
        bonus = [0] * (n * n)
        for a, b in options["matches"]:
            if a in index and b in index and a != b:
                bonus[index[a] * n + index[b]] = bonus[index[b] * n + index[a]] = MATCH
    unit_of = {person: u for u, members in enumerate(units) for person in members}
    keep = _keep(index, unit_of, options.get("previous_rounds") or [], len(fixed), rounds, len(sizes))
    problem = search.Problem(
        size=n,
        units=units,
        sizes=sizes,
        rounds=rounds - len(fixed),
        pair_cost=pair_cost,
        met_before=met_before,
        match_bonus=bonus,
        pins={(r - len(fixed), u): t for (r, u), t in pins.items()},
        keep=keep,
        keep_cost=KEEP,
    )
    rng = Random(seed)
    steps, method = 0, "kept"
    planned: list[list[int]] = []
    if problem.rounds:
        start, method = _start(problem, rng)
        max_steps = options.get("max_steps") or 20_000
        planned, steps = search.improve(
            problem,
            start,
            rng,
            max_steps=max_steps,
            stall=min(max_steps, max(200, 15_000 // n)),
            time_limit=options.get("time_limit"),
        )
    seated = fixed + [_tables(row, units, ids, len(sizes)) for row in planned]
    parties = [[ids[i] for i in unit] for unit in units if len(unit) > 1]
    report = build_report(seated, ids, weights, options, parties)
    return Plan(rounds=seated, report=report, table_names=names, seed=seed, steps=steps, method=method)


OPTIONS = {
    "tables", "named_tables", "guests", "pins", "together", "apart", "history", "connections",
    "organisation", "attributes", "matches", "fixed_rounds", "previous_rounds", "max_steps", "time_limit",
}  # fmt: skip


def _people(people: Iterable[Hashable], guests: dict) -> list[Hashable]:
    ids = list(people)
    seen = set()
    for person in ids:
        if person in seen:
            raise PlanError(f"{person} is listed twice.")
        seen.add(person)
    guest_seen = set()
    for host, party in guests.items():
        if host not in seen:
            raise PlanError(
                f"The host of {', '.join(map(str, party))} ({host}) is not among the people seated."
            )
        for guest in party:
            if guest == host or guest in guest_seen or guest in guests:
                raise PlanError(f"{guest} is listed as a guest more than once, or of themselves.")
            guest_seen.add(guest)
            if guest not in seen:
                ids.append(guest)
                seen.add(guest)
    if not ids:
        raise PlanError("There is no one to seat.")
    return ids


def _table_sizes(n: int, table_size, options) -> tuple[list[int], list[str]]:
    named, count = options.get("named_tables"), options.get("tables")
    if sum(x is not None for x in (table_size, named, count)) != 1:
        raise PlanError("Give a table size, a number of tables or named tables (one of them).")
    if named is not None:
        seats = [size for _, size in named]
        if not seats or any(not isinstance(s, int) or not MIN_SIZE <= s <= MAX_SIZE for s in seats):
            raise PlanError(f"Every named table needs between {MIN_SIZE} and {MAX_SIZE} seats.")
        if sum(seats) < n:
            raise PlanError(f"The named tables seat {sum(seats)}, but there are {n} people.")
        sizes = [0] * len(seats)
        for _ in range(n):  # fill the emptiest table (relative to its seats) that has room
            t = min(
                (t for t in range(len(seats)) if sizes[t] < seats[t]), key=lambda t: (sizes[t] / seats[t], t)
            )
            sizes[t] += 1
        if min(sizes) < MIN_SIZE:
            raise PlanError(
                f"{_people_count(n)} at {len(seats)} tables would leave someone alone at a table;"
                " name fewer tables."
            )
        return sizes, [str(name) for name, _ in named]
    if count is not None:
        if isinstance(count, bool) or not isinstance(count, int) or count < 1:
            raise PlanError("Choose at least one table.")
        if count > n:
            raise PlanError(f"There are more tables ({count}) than people ({n}).")
        if n < count * MIN_SIZE:
            raise PlanError(
                f"{count} tables for {_people_count(n)} would leave someone alone at a table;"
                f" choose at most {max(1, n // MIN_SIZE)}."
            )
        if -(-n // count) > MAX_SIZE:
            raise PlanError(f"{count} tables would seat more than {MAX_SIZE} at a table; add tables.")
        tables = count
    else:
        if (
            isinstance(table_size, bool)
            or not isinstance(table_size, int)
            or not MIN_SIZE <= table_size <= MAX_SIZE
        ):
            raise PlanError(f"Choose a table size between {MIN_SIZE} and {MAX_SIZE}.")
        if table_size > n:
            raise PlanError(f"A table of {table_size} is larger than the {_people_count(n)} to seat.")
        # Never a table of one: an odd one out joins a table (pairs become a trio).
        tables = max(1, min(-(-n // table_size), n // MIN_SIZE))
    base, extra = divmod(n, tables)
    return [base + (t < extra) for t in range(tables)], [f"Table {t + 1}" for t in range(tables)]


def _people_count(n: int) -> str:
    return "1 person" if n == 1 else f"{n} people"


def _units(ids, index, options, largest: int) -> list[list[int]]:
    """Parties that move as one: a host with their guests, and pairs kept together."""
    parent = list(range(len(ids)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    links = [(h, g) for h, party in (options.get("guests") or {}).items() for g in party]
    for a, b in links + list(options.get("together") or ()):
        for person in (a, b):
            if person not in index:
                raise PlanError(f"{person} is not among the people seated.")
        parent[root(index[a])] = root(index[b])
    groups: dict[int, list[int]] = {}
    for i in range(len(ids)):
        groups.setdefault(root(i), []).append(i)
    units = list(groups.values())
    for members in units:
        if len(members) > largest:
            names = ", ".join(str(ids[i]) for i in members)
            raise PlanError(f"The party of {len(members)} ({names}) does not fit at a table of {largest}.")
    return units


def _pins(index, units, pins: dict, rounds: int, kept: int, sizes: list[int]) -> dict[tuple[int, int], int]:
    unit_of = {person: u for u, members in enumerate(units) for person in members}
    placed: dict[tuple[int, int], int] = {}
    for key, table in pins.items():
        person, round_ = key
        if person not in index:
            raise PlanError(f"{person} is pinned but not among the people seated.")
        if isinstance(round_, bool) or not isinstance(round_, int) or not 0 <= round_ < rounds:
            shown = round_ + 1 if isinstance(round_, int) else round_
            raise PlanError(f"{person} is pinned in round {shown}, which the plan does not have.")
        if round_ < kept:
            raise PlanError(f"Round {round_ + 1} is kept as it was, so {person} cannot be pinned in it.")
        if isinstance(table, bool) or not isinstance(table, int) or not 0 <= table < len(sizes):
            shown = table + 1 if isinstance(table, int) else table
            raise PlanError(
                f"{person} is pinned to table {shown}, which does not exist (there are {len(sizes)})."
            )
        u = unit_of[index[person]]
        if placed.setdefault((round_, u), table) != table:
            raise PlanError(f"{person}'s party is pinned to two tables in round {round_ + 1}.")
    load: dict[tuple[int, int], int] = {}
    for (round_, u), table in placed.items():
        load[(round_, table)] = load.get((round_, table), 0) + len(units[u])
        if load[(round_, table)] > sizes[table]:
            raise PlanError(
                f"More people are pinned to table {table + 1} in round {round_ + 1} than it seats."
            )
    return placed


def _check_apart(index, units, pins, apart) -> None:
    unit_of = {person: u for u, members in enumerate(units) for person in members}
    for a, b in apart:
        for person in (a, b):
            if person not in index:
                raise PlanError(f"{person} is not among the people seated.")
        ua, ub = unit_of[index[a]], unit_of[index[b]]
        if ua == ub:
            raise PlanError(f"{a} and {b} cannot be kept both together and apart.")
        for (round_, u), table in pins.items():
            if u == ua and pins.get((round_, ub)) == table:
                raise PlanError(f"{a} and {b} are pinned to the same table but should be kept apart.")


def _pair_costs(index, weights, options) -> dict[tuple[int, int], int]:
    costs: dict[tuple[int, int], int] = {}
    parts = [(weights.history, HISTORY), (weights.connections, CONNECTION), (weights.colleagues, COLLEAGUE)]
    parts += [(weights.shared, SHARED), ({pair: 1 for pair in weights.apart}, APART)]
    for table, factor in parts:
        for pair, weight in table.items():
            a, b = tuple(pair)
            key = (index[a], index[b])
            costs[key] = costs.get(key, 0) + int(round(weight * factor))
    return costs


def _keep(index, unit_of, previous, kept: int, rounds: int, tables: int) -> dict[tuple[int, int], int]:
    keep: dict[tuple[int, int], int] = {}
    for r in range(kept, min(rounds, len(previous))):
        for t, table in enumerate(previous[r]):
            for person in table:
                if person in index and t < tables:
                    keep.setdefault((r - kept, unit_of[index[person]]), t)
    return keep


def _start(problem: search.Problem, rng: Random) -> tuple[list[list[int]], str]:
    plain = all(len(u) == 1 for u in problem.units) and not problem.pins and not problem.keep
    if plain and len(set(problem.sizes)) == 1 and not any(problem.met_before):
        built = constructions.seating(problem.size, problem.sizes[0], problem.rounds, rng)
        if built is not None:
            return built, "construction"
    try:
        return search.greedy(problem, rng), "greedy"
    except ValueError:
        raise PlanError(
            "The parties (hosts with guests, people kept together) cannot be fitted at these tables."
        ) from None


def _tables(row: list[int], units, ids, tables: int) -> list[list[Hashable]]:
    seated: list[list[int]] = [[] for _ in range(tables)]
    for u, t in enumerate(row):
        seated[t].extend(units[u])
    return [[ids[i] for i in sorted(table)] for table in seated]
