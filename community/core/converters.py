"""The URL converter for ids and other numbers in paths.

An id in a URL that no database row can have answers 404 at the router: a number past the
column's range used to reach the query and fail there (OverflowError on SQLite, "bigint out
of range" on PostgreSQL), a 500 on any `/<int:...>` URL. create_app puts this converter in
place of werkzeug's `int` before any blueprint adds its rules.
"""

from __future__ import annotations

from werkzeug.routing import IntegerConverter, Map

#: PostgreSQL's `integer`, the type of every id column (SQLite's is wider; the tighter holds on both).
MAX_ID = 2**31 - 1


class IdConverter(IntegerConverter):
    """`<int:...>`: ASCII digits up to MAX_ID (not the other Unicode digits `\\d` allows);
    anything else matches nothing, so the request is a 404."""

    regex = r"[0-9]{1,10}"

    def __init__(
        self,
        map: Map,
        fixed_digits: int = 0,
        min: int | None = None,
        max: int | None = None,
        signed: bool = False,
    ) -> None:
        bounded_max = MAX_ID if max is None or max > MAX_ID else max
        bounded_min = -MAX_ID - 1 if signed and (min is None or min < -MAX_ID - 1) else min
        super().__init__(map, fixed_digits, bounded_min, bounded_max, signed)
