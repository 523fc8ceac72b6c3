"""Which characters typed text may hold, and the filters forms tidy it with. Pure functions.

PostgreSQL refuses NUL in text (a 500 where SQLite silently stores it), and a line break in a
name or title ends up in an email header. So forms refuse control characters (Unicode
category Cc: U+0000-U+001F, U+007F-U+009F) and the line and paragraph separators in one-line
fields, and all control characters but tab, LF and CR in multi-line ones.
"""

from __future__ import annotations

import re
from typing import Any

#: Anything a one-line value (a name, a title, an email address) must not hold.
_NOT_IN_ONE_LINE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")
#: Anything a multi-line value (a description, a message) must not hold: tab, LF and CR are text.
_NOT_IN_LINES = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
#: Category Cc alone, for URLs and query strings.
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")


def has_control_characters(text: str) -> bool:
    """Any category Cc character at all (NUL, tab, CR, LF, DEL, C1 controls)."""
    return _CONTROL.search(text) is not None


def fits_one_line(text: str) -> bool:
    """No line break, tab, NUL or other control character."""
    return _NOT_IN_ONE_LINE.search(text) is None


def fits_lines(text: str) -> bool:
    """No NUL or other control character besides tab, LF and CR."""
    return _NOT_IN_LINES.search(text) is None


def one_line(text: str) -> str:
    """`text` folded onto one line: each character `fits_one_line` refuses becomes a space,
    runs of white space one space, ends trimmed. For text that arrives unchecked (a CSV cell,
    a stored title going into an email header)."""
    return " ".join(_NOT_IN_ONE_LINE.sub(" ", text).split())


def without_control_characters(text: str) -> str:
    """`text` with every character `fits_one_line` refuses removed."""
    return _NOT_IN_ONE_LINE.sub("", text)


def stripped(value: Any) -> Any:
    """A form filter: text with surrounding white space removed; anything else (None) as it is."""
    return value.strip() if isinstance(value, str) else value


def single_spaced(value: Any) -> Any:
    """A form filter: text with every run of white space one space, ends trimmed (names, tags)."""
    return " ".join(value.split()) if isinstance(value, str) else value
