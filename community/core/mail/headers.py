"""Header values for outgoing email, built so that no stored text can add a header.

Titles and names reach subjects and display names; a CR or LF in them would either start a
new header (an injected Bcc) or make the email library refuse the message, which used to
stop the whole outbox. Every header value goes through `header_text`; addresses, which
cannot be repaired without changing who gets the mail, go through `address_header`, which
refuses them instead.
"""

from __future__ import annotations

import re
from email.headerregistry import Address
from email.utils import parseaddr

from community.core.text import fits_one_line, one_line

#: The outbox's subject column is String(300); a subject is cut to fit it.
SUBJECT_MAX = 300
#: Display names (User.name is String(120)) and attachment filenames.
NAME_MAX = 120
FILENAME_MAX = 120
ELLIPSIS = "…"
#: A cut goes back to the last space within this many characters, so words stay whole.
WORD_MAX = 30

_PARAMETER_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9-]*")
_TEXT_MIME = re.compile(r"text/([A-Za-z0-9][A-Za-z0-9.+-]*)")


def header_text(value: object, *, limit: int = SUBJECT_MAX) -> str:
    """`value` as one line fit for a header: control characters (CR, LF, NUL, tab, U+2028 ...)
    become spaces, runs of whitespace one space, ends trimmed, at most `limit` characters."""
    text = one_line("" if value is None else str(value))
    if len(text) > limit:
        cut = text[: limit - len(ELLIPSIS)]
        if text[len(cut)] != " ":
            head = cut.rpartition(" ")[0]
            cut = head if head and len(head) > len(cut) - WORD_MAX else cut  # whole words, unless huge
        text = cut.rstrip() + ELLIPSIS
    return text


def address_header(addr_spec: str, display_name: str = "") -> str:
    """`Name <addr@example.org>` (or the bare address) for From and To.

    :raises ValueError: if the address has control characters or is not an address; an
        address is never "repaired", as that could send the mail to someone else.
    """
    if not addr_spec or not fits_one_line(addr_spec) or addr_spec != addr_spec.strip():
        raise ValueError(f"the address {addr_spec!r} cannot be used in an email header")
    try:
        address = Address(display_name=header_text(display_name, limit=NAME_MAX), addr_spec=addr_spec)
    except Exception as error:  # the parser raises IndexError and friends, not only ValueError
        raise ValueError(f"the address {addr_spec!r} cannot be used in an email header: {error}") from error
    return str(address)


def sender_header(sender: str) -> str:
    """The From header for a configured sender like "Roundtable <no-reply@example.org>".

    :raises ValueError: if the setting holds no usable address.
    """
    name, addr_spec = parseaddr(header_text(sender, limit=1000))
    return address_header(addr_spec, name)


def filename_text(filename: object) -> str:
    """An attachment filename: one line, no path, never empty."""
    name = header_text(filename, limit=FILENAME_MAX).replace("/", "_").replace("\\", "_")
    return name or "attachment"


def text_subtype(mime: object) -> str:
    """The subtype of a text/* MIME type ("calendar" for "text/calendar").

    :raises ValueError: for anything else: only text attachments are supported.
    """
    match = _TEXT_MIME.fullmatch(str(mime))
    if match is None:
        raise ValueError(f"only text attachments are supported, not {str(mime)[:80]!r}")
    return match.group(1).lower()


def parameter_values(params: dict | None) -> dict[str, str]:
    """Content-Type parameters (like method=REQUEST) with one-line values.

    :raises ValueError: for a parameter name that is not a plain token.
    """
    cleaned = {}
    for name, value in (params or {}).items():
        if not isinstance(name, str) or not _PARAMETER_NAME.fullmatch(name):
            raise ValueError(f"the attachment parameter {str(name)[:80]!r} is not a valid name")
        cleaned[name] = header_text(value, limit=NAME_MAX)
    return cleaned
