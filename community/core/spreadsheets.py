"""CSV that spreadsheets open safely."""

from __future__ import annotations

#: Spreadsheets treat a cell starting with one of these as a formula (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
#: Written first so that Excel reads the file as UTF-8.
BOM = "\ufeff"


def safe_cell(value: object) -> str:
    """A cell's text, with a leading ' when a spreadsheet would run it as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text
