"""Direct constructions of seatings where no one meets anyone twice (the planner's seeds).

- Finite geometry: p**m people in tables of p**d (p prime) are the vectors of GF(p)**m; a
  round is a d-dimensional subspace, its tables are the subspace's cosets, and two rounds never
  seat a pair together twice when their subspaces share only the zero vector. For m = 2, d = 1
  this is the affine plane (25 people in 5 tables of 5: 6 rounds, every pair meets once); for
  2**5 people in tables of 4 it gives up to 9 rounds (a partial spread of lines in PG(4, 2)).
- Rows, columns and a Latin square: s*s people in s tables of s for up to 3 rounds (36 in 6 of 6).

Each returns, per round, the table of every person 0..n-1 (after the caller's shuffle), or None.
"""

from __future__ import annotations

from random import Random


def seating(people: int, table_size: int, rounds: int, rng: Random) -> list[list[int]] | None:
    """A repeat-free seating of `rounds` rounds of equal full tables, when one is known."""
    if table_size < 2 or people % table_size:
        return None
    found = _geometry(people, table_size, rounds, rng)
    if found is None and people == table_size * table_size and rounds <= 3:
        found = _latin(table_size, rounds)
    if found is None:
        return None
    point = list(range(people))
    rng.shuffle(point)  # person i takes point point[i]
    return [[row[point[person]] for person in range(people)] for row in found]


def _power_of(value: int, base: int) -> int | None:
    exponent = 0
    while value % base == 0 and value > 1:
        value //= base
        exponent += 1
    return exponent if value == 1 else None


def _prime_base(table_size: int) -> int | None:
    for p in range(2, table_size + 1):
        if table_size % p == 0:
            return p if _power_of(table_size, p) is not None else None
    return None


def _geometry(people: int, table_size: int, rounds: int, rng: Random) -> list[list[int]] | None:
    p = _prime_base(table_size)
    if p is None:
        return None
    m, d = _power_of(people, p), _power_of(table_size, p)
    if m is None or d is None or not 0 < d < m or rounds > (people - 1) // (table_size - 1):
        return None
    for _ in range(40):  # random greedy choice of subspaces, retried a few times
        chosen: list[list[int]] = []
        used: set[int] = set()
        for _ in range(400):
            space = _span([rng.randrange(1, people) for _ in range(d)], p, m)
            nonzero = set(space) - {0}
            if len(space) == table_size and not nonzero & used:
                chosen.append(space)
                used |= nonzero
                if len(chosen) == rounds:
                    return [_cosets(space, people, p, m) for space in chosen]
    return None


def _add(x: int, y: int, p: int, m: int) -> int:
    if p == 2:
        return x ^ y
    total, place = 0, 1
    for _ in range(m):
        total += ((x % p + y % p) % p) * place
        x, y, place = x // p, y // p, place * p
    return total


def _scale(x: int, k: int, p: int, m: int) -> int:
    total = 0
    for _ in range(k):
        total = _add(total, x, p, m)
    return total


def _span(vectors: list[int], p: int, m: int) -> list[int]:
    space = [0]
    for vector in vectors:
        space = sorted({_add(s, _scale(vector, k, p, m), p, m) for s in space for k in range(p)})
    return space


def _cosets(space: list[int], people: int, p: int, m: int) -> list[int]:
    table, names = [-1] * people, {}
    for x in range(people):
        if table[x] < 0:
            index = names.setdefault(x, len(names))
            for s in space:
                table[_add(x, s, p, m)] = index
    return table


def _latin(size: int, rounds: int) -> list[list[int]]:
    cells = [(i // size, i % size) for i in range(size * size)]
    return [[(row, col, (row + col) % size)[k] for row, col in cells] for k in range(rounds)]
