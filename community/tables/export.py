"""A table plan as CSV (a pure builder: rows in, bytes out), spreadsheet-safe like the member export."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

from community.core.spreadsheets import BOM, safe_cell

HEADER = ("round", "table", "name")


def tables_csv(rows: Iterable[tuple[int, str, str]]) -> bytes:
    """UTF-8 with a byte-order mark, CRLF line ends, the header `round,table,name`."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(HEADER)
    for round_, table, name in rows:
        writer.writerow((round_, safe_cell(table), safe_cell(name)))
    return (BOM + out.getvalue()).encode("utf-8")
