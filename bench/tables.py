"""Speed and quality of the table planner (community.tables.planner) on the classic cases.

Run: .venv/bin/python bench/tables.py [--seed 0] [--runs 3]

For each case (people / table size / rounds) prints the median time of `runs` plans, the
repeated pairs (pairs sharing a table more than once), the tables seating two colleagues and
the mean table diversity (0..1, 1: no two people at a table share a cohort). 120/6/4 and
300/8/4 get random organisations (about four people each) and cohorts (six); the others are
plain social golfer instances. `start` says whether a direct construction (finite geometry,
Latin square) seeded the search or the greedy one did. Pure Python, no database.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from community.tables.planner import plan_tables  # noqa: E402

CASES = [
    (36, 6, 3, False),
    (32, 4, 8, False),
    (25, 5, 6, False),
    (48, 6, 3, False),
    (120, 6, 4, True),
    (300, 8, 4, True),
]


def options_for(people: int, profiled: bool, seed: int) -> dict:
    if not profiled:
        return {}
    rng = random.Random(seed)
    return {
        "organisation": {i: f"Organisation {rng.randrange(people // 4)}" for i in range(people)},
        "attributes": {i: {"cohort": f"Cohort {rng.randrange(6)}"} for i in range(people)},
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    columns = (
        ("case", 9),
        ("median s", 8),
        ("repeats", 7),
        ("colleague tables", 16),
        ("diversity", 9),
        ("steps", 6),
        ("start", 12),
    )
    print("  ".join(f"{name:>{width}}" for name, width in columns))
    for people, size, rounds, profiled in CASES:
        options = options_for(people, profiled, args.seed)
        timings = []
        for _ in range(args.runs):
            started = time.perf_counter()
            plan = plan_tables(range(people), size, rounds, seed=args.seed, **options)
            timings.append(time.perf_counter() - started)
        report = plan.report
        diversity = "-" if report.mean_diversity is None else f"{report.mean_diversity:.3f}"
        case = f"{people}/{size}/{rounds}"
        print(
            f"{case:>9}  {statistics.median(timings):8.3f}  {report.repeats:7d}  "
            f"{len(report.colleague_tables):16d}  {diversity:>9}  {plan.steps:6d}  {plan.method:>12}"
        )


if __name__ == "__main__":
    main()
