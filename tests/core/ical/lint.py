"""A strict RFC 5545 lint for the documents the site serves, for what parsers forgive.

The three parsers (tests/core/ical/parsers.py) read a comma left unescaped in a TEXT value, a
bare LF or a 90-octet line without complaint, but stricter clients split or drop such values.
`lint(document)` lists every such problem; an empty list means the document passed.
"""

from __future__ import annotations

import re

#: Properties whose value is TEXT (RFC 5545 3.3.11), single-valued, as the builders write
#: them; X-WR-CALNAME and X-WR-CALDESC are written as TEXT too (they mirror NAME and DESCRIPTION).
TEXT_PROPERTIES = frozenset(
    {
        "CALSCALE",
        "COMMENT",
        "CONTACT",
        "DESCRIPTION",
        "LOCATION",
        "METHOD",
        "NAME",
        "PRODID",
        "RELATED-TO",
        "STATUS",
        "SUMMARY",
        "TRANSP",
        "TZID",
        "TZNAME",
        "UID",
        "VERSION",
        "X-WR-CALDESC",
        "X-WR-CALNAME",
        "X-WR-TIMEZONE",
    }
)
MAX_OCTETS = 75
_NAME = re.compile(r"(?:X-[A-Za-z0-9-]+|[A-Za-z0-9-]+)")
_ESCAPES = frozenset("\\;,nN")
_CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")


def split_line(line: str) -> tuple[str, str] | None:
    """(NAME, value) of an unfolded content line, skipping its parameters (quoted ones too)."""
    match = _NAME.match(line)
    if not match or line[match.end() : match.end() + 1] not in (":", ";"):
        return None
    quoted = False
    for position in range(match.end(), len(line)):
        char = line[position]
        if char == '"':
            quoted = not quoted
        elif char == ":" and not quoted:
            return match.group().upper(), line[position + 1 :]
    return None


def text_problems(name: str, value: str) -> list[str]:
    """Unescaped `,` `;` and unknown backslash escapes in one TEXT value."""
    problems, position = [], 0
    while position < len(value):
        char = value[position]
        if char == "\\":
            following = value[position + 1 : position + 2]
            if following not in _ESCAPES:
                problems.append(f"{name}: backslash not followed by \\ ; , n or N: {value!r}")
            position += 2
            continue
        if char in ",;":
            problems.append(f"{name}: unescaped {char!r} in TEXT: {value!r}")
        position += 1
    return problems


def unescape_text(value: str) -> str:
    """A TEXT value as a reader sees it (RFC 5545 3.3.11)."""
    return re.sub(r"\\([\\;,nN])", lambda m: "\n" if m.group(1) in "nN" else m.group(1), value)


def lint(document: bytes) -> list[str]:
    """Every RFC 5545 problem found in `document`: line endings and lengths, folding, content
    line syntax, control characters, BEGIN/END nesting and TEXT escaping."""
    problems: list[str] = []
    if not document.endswith(b"\r\n"):
        problems.append("the document does not end with CRLF")
    physical = document.split(b"\r\n")[:-1] if document.endswith(b"\r\n") else document.split(b"\r\n")
    logical: list[str] = []
    for number, raw in enumerate(physical, 1):
        if b"\n" in raw or b"\r" in raw:
            problems.append(f"line {number}: bare CR or LF")
        if len(raw) > MAX_OCTETS:
            problems.append(f"line {number}: {len(raw)} octets (at most {MAX_OCTETS})")
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            problems.append(f"line {number}: not UTF-8 (a fold may split a character)")
            continue
        if text[:1] in (" ", "\t"):
            if not logical:
                problems.append(f"line {number}: continuation with nothing to continue")
                continue
            logical[-1] += text[1:]
        else:
            logical.append(text)
    stack: list[str] = []
    for line in logical:
        parts = split_line(line)
        if parts is None:
            problems.append(f"not a content line: {line!r}")
            continue
        name, value = parts
        if _CONTROL.search(value):
            problems.append(f"{name}: control character in value {value!r}")
        if name == "BEGIN":
            stack.append(value)
        elif name == "END":
            if not stack or stack.pop() != value:
                problems.append(f"END:{value} does not close the open component")
        elif name in TEXT_PROPERTIES:
            problems.extend(text_problems(name, value))
    if stack:
        problems.append(f"components left open: {stack}")
    if logical[:1] != ["BEGIN:VCALENDAR"] or logical[-1:] != ["END:VCALENDAR"]:
        problems.append("the document is not one VCALENDAR")
    return problems
