"""Helpers the benchmark scripts share (not a benchmark itself: `make bench` skips _*.py)."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable

import psycopg


def timed(function: Callable[[], object], runs: int) -> tuple[float, float]:
    """Median and 95th percentile of `runs` calls, in milliseconds."""
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        function()
        timings.append((time.perf_counter() - started) * 1000)
    timings.sort()
    return statistics.median(timings), timings[max(0, int(len(timings) * 0.95) - 1)]


def _admin_url(base_url: str) -> str:
    return base_url.replace("postgresql+psycopg://", "postgresql://")


def postgres_database(base_url: str, name: str) -> str:
    """A new, empty PostgreSQL database `name` beside `base_url`'s; returns its URL."""
    with psycopg.connect(_admin_url(base_url), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return base_url.rsplit("/", 1)[0] + "/" + name


def drop_postgres_database(base_url: str, name: str) -> None:
    with psycopg.connect(_admin_url(base_url), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
