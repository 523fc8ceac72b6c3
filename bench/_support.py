"""Helpers the benchmark scripts share (not a benchmark itself: `make bench` skips _*.py)."""

from __future__ import annotations

import os
import platform
import socket
import statistics
import time
from collections.abc import Callable
from pathlib import Path

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


def free_port() -> int:
    """A TCP port on 127.0.0.1 nobody listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def machine_description() -> str:
    """CPU model, core count and memory, for quoting a figure with the machine it came from."""
    cpu = platform.processor() or platform.machine()
    memory = ""
    try:
        cpus = Path("/proc/cpuinfo").read_text().splitlines()
        cpu = next(line.split(":", 1)[1].strip() for line in cpus if line.startswith("model name"))
        memory_lines = Path("/proc/meminfo").read_text().splitlines()
        total_kb = int(next(line.split()[1] for line in memory_lines if line.startswith("MemTotal")))
        memory = f", {total_kb / 1024 / 1024:.0f} GiB RAM"
    except (OSError, StopIteration, ValueError):
        pass
    return f"{cpu}, {os.cpu_count()} cores{memory}, {platform.system()} {platform.release()}"
