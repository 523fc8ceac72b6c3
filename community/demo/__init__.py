"""`flask demo`: realistic demo data, loaded idempotently, and `--scale N` for benchmarks."""

from community.demo.cli import demo

__all__ = ["demo"]
