"""Reading an alumni-list CSV: decoding, delimiter, header, limits, and guessing what each column is.

Pure functions (bytes and lists in, values out): no database, no request.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass

from email_validator import EmailNotValidError, validate_email

from community.communities.invitations import Invitee
from community.communities.models import IMPORTABLE_PROFILE_FIELDS
from community.core.errors import DomainError
from community.core.text import one_line

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 20_000
MAX_CELL = 500  # characters kept per cell: no field we fill is longer

#: Target field -> label shown on the mapping screen, in screen order.
TARGETS: dict[str, str] = {
    "email": "Email",
    "name": "Full name",
    "first_name": "First name",
    "last_name": "Last name",
    "cohort": "Cohort or class year",
    "headline": "Headline",
    "organisation": "Organisation",
    "job_title": "Job title",
    "industry": "Industry",
    "city": "City",
    "country": "Country",
    "skills": "Skills",
    "interests": "Interests",
}
#: Header names (lower-case, letters and digits only) that mean each target.
SYNONYMS: dict[str, set[str]] = {
    "email": {
        "email",
        "emailaddress",
        "mail",
        "emailaddr",
        "primaryemail",
        "personalemail",
        "workemail",
        "contactemail",
        "emails",
        "courriel",
    },
    "name": {
        "name",
        "fullname",
        "displayname",
        "membername",
        "alumnusname",
        "alumnaname",
        "alumniname",
        "contactname",
        "person",
        "yourname",
    },
    "first_name": {"firstname", "givenname", "forename", "first", "prenom"},
    "last_name": {"lastname", "surname", "familyname", "last", "nom"},
    "cohort": {
        "cohort",
        "classyear",
        "graduationyear",
        "gradyear",
        "classof",
        "year",
        "class",
        "intake",
        "yearofgraduation",
        "graduatingclass",
        "promotion",
        "promo",
        "batch",
        "yeargroup",
    },
    "headline": {"headline", "tagline", "summary"},
    "organisation": {
        "organisation",
        "organization",
        "company",
        "employer",
        "org",
        "companyname",
        "currentcompany",
        "currentemployer",
        "workplace",
        "firm",
    },
    "job_title": {
        "jobtitle",
        "title",
        "position",
        "role",
        "currentposition",
        "currenttitle",
        "occupation",
        "job",
        "currentrole",
    },
    "industry": {"industry", "sector", "field"},
    "city": {"city", "town", "currentcity", "hometown", "location"},
    "country": {"country", "nation", "countryofresidence"},
    "skills": {"skills", "skill", "expertise"},
    "interests": {"interests", "interest", "hobbies"},
}
#: When no header matches exactly: a target whose word appears inside a header name.
PARTIAL_MATCHES = (
    ("email", "email"),
    ("email", "mail"),
    ("first_name", "firstname"),
    ("last_name", "lastname"),
    ("cohort", "graduat"),
    ("cohort", "classof"),
    ("cohort", "cohort"),
    ("organisation", "compan"),
    ("organisation", "employer"),
    ("organisation", "organi"),
    ("job_title", "jobtitle"),
    ("job_title", "position"),
    ("name", "name"),
)

NOT_UTF8 = (
    "This file isn't UTF-8 text. In Excel choose 'CSV UTF-8' when saving; "
    "in Google Sheets, File > Download > CSV."
)


class ImportRefused(DomainError):
    """The uploaded file cannot be imported; the message says why and what to do."""


# -- reading the file -------------------------------------------------------------------


@dataclass(frozen=True)
class ParsedFile:
    header: list[str]
    rows: list[list[str]]
    delimiter: str


def _sniff_delimiter(text: str) -> str:
    """Comma, semicolon or tab: the one that splits the first lines most evenly into most columns."""
    sample = text[: 64 * 1024].splitlines()[:50]
    best, best_score = ",", (0, 0)
    for delimiter in (",", ";", "\t"):
        try:
            widths = [len(row) for row in csv.reader(sample, delimiter=delimiter)]
        except csv.Error:
            continue
        if not widths or widths[0] < 2:
            continue
        score = (sum(width == widths[0] for width in widths), widths[0])
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _looks_binary(data: bytes) -> str | None:
    """A message for a spreadsheet or other non-text file, or None for what may be text."""
    if data.startswith(b"PK\x03\x04") or data.startswith(b"\xd0\xcf\x11\xe0"):
        return (
            "This is an Excel workbook, not a CSV file. In Excel choose File > Save As > 'CSV UTF-8'; "
            "in Google Sheets, File > Download > CSV."
        )
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return NOT_UTF8  # UTF-16, as Excel's "Unicode text" saves it
    head = data[:8192]
    controls = sum(byte < 32 and byte not in (9, 10, 13) for byte in head)
    if b"\x00" in data or controls > len(head) // 100:
        return (
            "This doesn't look like a CSV file. Save your list as CSV (comma-separated values) and try again."
        )
    return None


def check_size(size: int) -> None:
    """:raises ImportRefused: for a file over MAX_BYTES."""
    if size > MAX_BYTES:
        raise ImportRefused(
            f"This file is {size / 1024 / 1024:.1f} MB; the most one import takes is "
            f"{MAX_BYTES // 1024 // 1024} MB. Split it into smaller files."
        )


def parse_csv(data: bytes) -> ParsedFile:
    """Read an uploaded file: UTF-8 (a BOM is fine), comma/semicolon/tab, the first row names the columns.

    :raises ImportRefused: empty, too big, not text, not UTF-8, no header, no email column,
        no data rows, or more rows than one import takes.
    """
    check_size(len(data))
    if not data.strip():
        raise ImportRefused("This file is empty. Export your list with a header row and one row per person.")
    if (binary := _looks_binary(data)) is not None:
        raise ImportRefused(binary)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportRefused(NOT_UTF8) from None
    delimiter = _sniff_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header: list[str] | None = None
    rows: list[list[str]] = []
    count = 0
    try:
        for record in reader:
            # A cell fills one-line fields (names, cohorts): quoted line breaks and control
            # characters become spaces, as the forms would not take them.
            cells = [one_line(cell)[:MAX_CELL] for cell in record]
            if not any(cells):
                continue
            if header is None:
                header = cells
                continue
            count += 1
            if count <= MAX_ROWS:
                rows.append((cells + [""] * len(header))[: len(header)])
    except csv.Error as error:
        raise ImportRefused(f"We couldn't read this file as CSV (line {reader.line_num}: {error}).") from None
    if header is None:
        raise ImportRefused("This file is empty. Export your list with a header row and one row per person.")
    if any("@" in cell for cell in header):
        raise ImportRefused(
            "The first row should name the columns, but it holds an email address. "
            "Add a header row such as Email,Name,Class year at the top."
        )
    if count > MAX_ROWS:
        raise ImportRefused(
            f"This file has {count:,} rows; the most one import takes is {MAX_ROWS:,}. "
            "Split it into smaller files."
        )
    if not rows:
        raise ImportRefused("This file has a header row but nobody under it. Add one row per person.")
    sample = rows[:200]
    if not any("@" in cell for row in sample for cell in row):
        raise ImportRefused(
            "We couldn't find an email column in this file. Every person needs an email address: "
            "add a column named Email and try again."
        )
    header = [cell or f"Column {i + 1}" for i, cell in enumerate(header)]
    return ParsedFile(header=header, rows=rows, delimiter=delimiter)


def _normalise_header(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", name.lower())


def guess_mapping(header: list[str]) -> dict[str, int]:
    """Target field -> column index, guessed from the header names; each column used once."""
    names = [_normalise_header(name) for name in header]
    mapping: dict[str, int] = {}
    for target, synonyms in SYNONYMS.items():
        for index, name in enumerate(names):
            if name in synonyms and index not in mapping.values():
                mapping[target] = index
                break
    for target, part in PARTIAL_MATCHES:
        if target in mapping:
            continue
        for index, name in enumerate(names):
            if part in name and index not in mapping.values():
                mapping[target] = index
                break
    if "name" in mapping and {"first_name", "last_name"} <= mapping.keys():
        # "Full name" beside split names is ambiguous only when "name" came from a partial match.
        if names[mapping["name"]] not in SYNONYMS["name"]:
            del mapping["name"]
    return mapping


# -- reading rows -------------------------------------------------------------------------


def row_cell(row: list[str], mapping: dict[str, int], target: str) -> str:
    index = mapping.get(target)
    return row[index].strip() if index is not None and index < len(row) else ""


def email_key(row: list[str], mapping: dict[str, int]) -> str:
    return row_cell(row, mapping, "email").lower()


def name_of(row: list[str], mapping: dict[str, int]) -> str:
    """The full name, or first and last names joined when the file splits them."""
    name = row_cell(row, mapping, "name")
    if not name:
        parts = (row_cell(row, mapping, "first_name"), row_cell(row, mapping, "last_name"))
        name = " ".join(part for part in parts if part)
    return name


def invitee_for(row: list[str], mapping: dict[str, int]) -> Invitee:
    profile = {
        field: value for field in IMPORTABLE_PROFILE_FIELDS if (value := row_cell(row, mapping, field))
    }
    return Invitee(
        email=email_key(row, mapping),
        name=name_of(row, mapping) or None,
        cohort=row_cell(row, mapping, "cohort") or None,
        profile_data=profile or None,
    )


def email_problem(email: str) -> str | None:
    """Why an address can't be invited, or None when it can."""
    if not email:
        return "No email address in this row."
    if len(email) > 320:
        return "The email address is too long."
    try:
        validate_email(email, check_deliverability=False, allow_smtputf8=False)
    except EmailNotValidError as error:
        return str(error)
    return None
