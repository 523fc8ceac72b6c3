"""The ?page= number every list reads, read in one place.

Nonsense (missing, empty, "abc", "0", "-3") means the first page, as GitHub and most sites
treat it. A number past MAX_PAGE is a 404: no list here has a million pages, and the number
must stay small enough that page * page size fits an SQL OFFSET (a bigint on PostgreSQL, a
64-bit integer on SQLite); a page past the end of a list but within MAX_PAGE is an empty page.
"""

from __future__ import annotations

from flask import request
from werkzeug.exceptions import NotFound

MAX_PAGE = 1_000_000


def page_number(value: object) -> int:
    """The page `value` (a query-string value) asks for, from 1 to MAX_PAGE.

    :raises NotFound: for a number past MAX_PAGE.
    """
    text = str(value or "").strip()
    if not (text.isascii() and text.isdigit()):
        return 1
    text = text.lstrip("0")
    if len(text) > len(str(MAX_PAGE)) or int(text or 0) > MAX_PAGE:
        raise NotFound()
    return max(int(text or 0), 1)


def page_arg() -> int:
    """The current request's ?page= (see page_number). :raises NotFound: past MAX_PAGE."""
    return page_number(request.args.get("page"))
