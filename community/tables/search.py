"""Greedy seating and the tabu search that improves it (the planner's engine; no ids here).

People are numbers 0..n-1, grouped in *units* (a host with their guests, or people kept
together) that always move as one. A seating is, per planned round, the table of every unit.
Everything the planner weighs is a cost on a pair sitting together (repeats, history,
colleagues, shared cohort, apart), a bonus for a pair meeting at least once (matches) and a
cost for a unit leaving the table an earlier plan gave it (re-plans). The search swaps two
units of the same size at different tables of one round (Dotú and Van Hentenryck, "Scheduling
social golfers locally", 2005): it picks a unit that costs something, takes the best swap for
it that is not tabu, keeps a pair count matrix up to date so that a swap is priced in a few
additions, and restarts from the best seating with a few random swaps when it stalls.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from random import Random

TENURE = 10
CANDIDATES = 4  # costly units whose swaps one step prices
REPEAT = 10_000  # a pair at one table twice in this event: rule 2, far above the soft rules


@dataclass
class Problem:
    """What the search needs, already checked by the planner."""

    size: int  # number of people
    units: list[list[int]]  # people of each unit
    sizes: list[int]  # target number of people per table (every planned round)
    rounds: int  # number of rounds to plan
    pair_cost: list[int]  # n*n: cost of each pair sitting together once (symmetric)
    met_before: list[int]  # n*n: times each pair already shares a table in kept rounds
    match_bonus: list[int] | None = None  # n*n: bonus when a pair meets at least once
    pins: dict[tuple[int, int], int] = field(default_factory=dict)  # (round, unit) -> table
    keep: dict[tuple[int, int], int] = field(default_factory=dict)  # (round, unit) -> table before
    keep_cost: int = 0  # cost of moving a unit away from its table before


class Seating:
    """A seating of the planned rounds with its pair counts and total cost."""

    def __init__(self, problem: Problem, unit_table: list[list[int]]) -> None:
        self.p = problem
        self.unit_table = unit_table  # round -> unit -> table
        n = problem.size
        self.count = list(problem.met_before)
        self.tables = [[[] for _ in problem.sizes] for _ in range(problem.rounds)]  # units
        for r, row in enumerate(unit_table):
            for u, t in enumerate(row):
                self.tables[r][t].append(u)
            for t in range(len(problem.sizes)):
                people = self.people(r, t)
                for i, a in enumerate(people):
                    for b in people[i + 1 :]:
                        self.count[a * n + b] += 1
                        self.count[b * n + a] += 1
        self.cost = self.total_cost()

    def people(self, r: int, t: int) -> list[int]:
        units = self.p.units
        return [person for u in self.tables[r][t] for person in units[u]]

    def total_cost(self) -> int:
        p, n = self.p, self.p.size
        total = 0
        for a in range(n):
            for b in range(a + 1, n):
                k = a * n + b
                c = self.count[k] - p.met_before[k]
                if c:
                    total += p.pair_cost[k] * c
                c = self.count[k]
                if c > 1:
                    total += REPEAT * (c - 1)
                if c and p.match_bonus:
                    total -= p.match_bonus[k]
        for (r, u), t in p.keep.items():
            if self.unit_table[r][u] != t:
                total += p.keep_cost
        return total

    def join_cost(self, unit: list[int], others: list[int]) -> int:
        """Cost change of seating `unit` with `others` (not with them now)."""
        n, count, cost, bonus = self.p.size, self.count, self.p.pair_cost, self.p.match_bonus
        delta = 0
        for a in unit:
            row = a * n
            for b in others:
                k = row + b
                delta += cost[k]
                if count[k]:
                    delta += REPEAT
                elif bonus:
                    delta -= bonus[k]
        return delta

    def leave_cost(self, unit: list[int], others: list[int]) -> int:
        """Cost change of taking `unit` away from `others` (with them now)."""
        n, count, cost, bonus = self.p.size, self.count, self.p.pair_cost, self.p.match_bonus
        delta = 0
        for a in unit:
            row = a * n
            for b in others:
                k = row + b
                delta -= cost[k]
                c = count[k]
                if c > 1:
                    delta -= REPEAT
                elif bonus:
                    delta += bonus[k]
        return delta

    def keep_delta(self, r: int, u: int, old: int, new: int) -> int:
        before = self.p.keep.get((r, u))
        if before is None:
            return 0
        return self.p.keep_cost * ((new != before) - (old != before))

    def swap(self, r: int, u: int, v: int, delta: int) -> None:
        units, n, count = self.p.units, self.p.size, self.count
        a_table, b_table = self.unit_table[r][u], self.unit_table[r][v]
        at, bt = self.tables[r][a_table], self.tables[r][b_table]
        rest_a = [x for w in at if w != u for x in units[w]]
        rest_b = [x for w in bt if w != v for x in units[w]]
        for mover, left, joined in ((units[u], rest_a, rest_b), (units[v], rest_b, rest_a)):
            for a in mover:
                for b in left:
                    count[a * n + b] -= 1
                    count[b * n + a] -= 1
                for b in joined:
                    count[a * n + b] += 1
                    count[b * n + a] += 1
        at[at.index(u)] = v
        bt[bt.index(v)] = u
        self.unit_table[r][u], self.unit_table[r][v] = b_table, a_table
        self.cost += delta


def greedy(problem: Problem, rng: Random) -> list[list[int]]:
    """Each round in turn: pinned units first, then the others (largest first, random order
    within a size), each at the open table where it costs least. Raises ValueError when
    parties cannot be packed."""
    n, units = problem.size, problem.units
    count = list(problem.met_before)
    seating = []
    for r in range(problem.rounds):
        room = list(problem.sizes)
        at: list[list[int]] = [[] for _ in room]
        row = [-1] * len(units)
        order = list(range(len(units)))
        rng.shuffle(order)
        order.sort(key=lambda u: ((r, u) not in problem.pins, -len(units[u])))
        for u in order:
            members = units[u]
            pinned = problem.pins.get((r, u))
            choices = (
                [pinned] if pinned is not None else [t for t in range(len(room)) if room[t] >= len(members)]
            )
            if not choices or room[choices[0]] < len(members):
                raise ValueError("parties")
            best, best_key = choices[0], None
            for t in choices:
                cost = 0
                for a in members:
                    for b in at[t]:
                        k = a * n + b
                        cost += problem.pair_cost[k] + (REPEAT if count[k] else 0)
                if (r, u) in problem.keep and problem.keep[(r, u)] != t:
                    cost += problem.keep_cost
                key = (cost, -room[t], rng.random())
                if best_key is None or key < best_key:
                    best, best_key = t, key
            row[u] = best
            room[best] -= len(members)
            for a in members:
                for b in at[best]:
                    count[a * n + b] += 1
                    count[b * n + a] += 1
            at[best].extend(members)
        seating.append(row)
    return seating


def improve(
    problem: Problem,
    start: list[list[int]],
    rng: Random,
    *,
    max_steps: int,
    stall: int,
    time_limit: float | None = None,
) -> tuple[list[list[int]], int]:
    """Tabu search from `start`; returns the best seating found and the steps it took."""
    state = Seating(problem, [list(row) for row in start])
    best, best_cost = [list(row) for row in state.unit_table], state.cost
    movable = [
        [u for u in range(len(problem.units)) if (r, u) not in problem.pins] for r in range(problem.rounds)
    ]
    tabu: dict[tuple[int, int, int], int] = {}
    deadline = None if time_limit is None else time.perf_counter() + time_limit
    floor = 0 if problem.match_bonus is None else -sum(problem.match_bonus) // 2
    since_best = since_restart = 0
    steps = 0
    rounds = [r for r in range(problem.rounds) if len(movable[r]) > 1]
    while rounds and steps < max_steps and best_cost > floor and since_best < stall:
        steps += 1
        since_best += 1
        since_restart += 1
        if deadline is not None and steps % 32 == 0 and time.perf_counter() > deadline:
            break
        if since_restart > max(200, stall // 8):
            state = _restart(problem, best, movable, rng)
            since_restart = 0
        move = _best_move(state, rng.choice(rounds), movable, tabu, steps, best_cost, rng)
        if move is None:
            continue
        r, u, v, delta = move
        state.swap(r, u, v, delta)
        tabu[(r, min(u, v), max(u, v))] = steps + TENURE + rng.randrange(TENURE)
        if state.cost < best_cost:
            best, best_cost = [list(row) for row in state.unit_table], state.cost
            since_best = since_restart = 0
    return best, steps


def _best_move(state: Seating, r: int, movable, tabu, step: int, best_cost: int, rng: Random):
    """The best swap in round `r` for one costly unit (chosen at random), or None."""
    units, table_of, tables, keep = state.p.units, state.unit_table[r], state.tables[r], state.p.keep
    leave = {}
    costly = []
    for u in movable[r]:
        t = table_of[u]
        others = [x for w in tables[t] if w != u for x in units[w]]
        cost = state.leave_cost(units[u], others)
        leave[u] = (cost, others)
        before = state.p.keep.get((r, u))
        if cost < 0 or (before is not None and before != t):
            costly.append(u)
    if not costly:
        return None
    if len(costly) > CANDIDATES:
        costly = rng.sample(costly, CANDIDATES)
    best, best_key = None, None
    for u in costly:
        a_table = table_of[u]
        mover, (leave_u, rest_a) = units[u], leave[u]
        for t, at in enumerate(tables):
            if t == a_table:
                continue
            into_t = state.join_cost(mover, [x for w in at for x in units[w]])
            for v in at:
                if len(units[v]) != len(mover) or v not in leave:
                    continue
                delta = (
                    leave_u
                    + leave[v][0]
                    + into_t
                    - state.join_cost(mover, units[v])
                    + state.join_cost(units[v], rest_a)
                )
                if keep:  # only re-plans keep earlier seats
                    delta += state.keep_delta(r, u, a_table, t) + state.keep_delta(r, v, t, a_table)
                if tabu.get((r, min(u, v), max(u, v)), 0) > step and state.cost + delta >= best_cost:
                    continue
                key = (delta, rng.random())
                if best_key is None or key < best_key:
                    best, best_key = (r, u, v, delta), key
    return best


def _restart(problem: Problem, best: list[list[int]], movable, rng: Random) -> Seating:
    """The best seating so far, shaken by a few random swaps of same-size units."""
    state = Seating(problem, [list(row) for row in best])
    for _ in range(max(2, problem.size // 8)):
        r = rng.randrange(problem.rounds)
        if len(movable[r]) < 2:
            continue
        u, v = rng.sample(movable[r], 2)
        if state.unit_table[r][u] == state.unit_table[r][v] or len(problem.units[u]) != len(problem.units[v]):
            continue
        state.swap(r, u, v, 0)
    state.cost = state.total_cost()
    return state
