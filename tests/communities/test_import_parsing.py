"""Reading alumni-list files and guessing their columns: pure functions, no database."""

from __future__ import annotations

import pytest

from community.communities.import_csv import (
    MAX_ROWS,
    NOT_UTF8,
    ImportRefused,
    guess_mapping,
    invitee_for,
    parse_csv,
)
from community.communities.imports import RowStatus, file_statuses


def refusal(data: bytes) -> str:
    with pytest.raises(ImportRefused) as caught:
        parse_csv(data)
    return caught.value.message


def test_reads_a_comma_file_with_a_bom_and_crlf():
    parsed = parse_csv("\ufeffEmail,Name\r\nzoe@example.org,Zoë Adams\r\n".encode())
    assert parsed.header == ["Email", "Name"]
    assert parsed.rows == [["zoe@example.org", "Zoë Adams"]]


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_sniffs_the_delimiter(delimiter):
    text = delimiter.join(["E-mail", "Full name", "Class of"]) + "\n"
    text += delimiter.join(["ann@example.org", '"Smith, Ann"', "2014"]) + "\n"
    parsed = parse_csv(text.encode())
    assert parsed.delimiter == delimiter
    assert parsed.header == ["E-mail", "Full name", "Class of"]
    assert parsed.rows == [["ann@example.org", "Smith, Ann", "2014"]]


def test_blank_rows_are_skipped_and_short_rows_padded():
    parsed = parse_csv(b"Email,Name,Year\n\nann@example.org\n,,\nbo@example.org,Bo,2010,extra\n")
    assert parsed.rows == [["ann@example.org", "", ""], ["bo@example.org", "Bo", "2010"]]


def test_latin1_file_is_refused_with_how_to_save_utf8():
    data = "Email,Name\nzoe@example.org,Zoë\n".encode("latin-1")
    assert refusal(data) == NOT_UTF8
    assert NOT_UTF8 == (
        "This file isn't UTF-8 text. In Excel choose 'CSV UTF-8' when saving; "
        "in Google Sheets, File > Download > CSV."
    )


def test_utf16_file_is_refused_as_not_utf8():
    assert refusal("Email,Name\nzoe@example.org,Zoë\n".encode("utf-16")) == NOT_UTF8


@pytest.mark.parametrize("data", [b"", b"   \n\n", b",,,\n,,\n"])
def test_empty_file_is_refused(data):
    assert refusal(data) == "This file is empty. Export your list with a header row and one row per person."


def test_header_only_is_refused():
    message = "This file has a header row but nobody under it. Add one row per person."
    assert refusal(b"Email,Name\n") == message


def test_file_without_a_header_row_is_refused():
    assert refusal(b"ann@example.org,Ann\nbo@example.org,Bo\n") == (
        "The first row should name the columns, but it holds an email address. "
        "Add a header row such as Email,Name,Class year at the top."
    )


def test_file_without_any_email_column_is_refused():
    assert refusal(b"Name,Class year\nAnn,2010\nBo,2011\n") == (
        "We couldn't find an email column in this file. Every person needs an email address: "
        "add a column named Email and try again."
    )


def test_too_many_rows_is_refused_with_the_count():
    data = b"Email\n" + b"".join(b"p%d@example.org\n" % i for i in range(100_000))
    assert refusal(data) == (
        "This file has 100,000 rows; the most one import takes is 20,000. Split it into smaller files."
    )


def test_exactly_the_row_limit_is_accepted():
    data = b"Email\n" + b"".join(b"p%d@example.org\n" % i for i in range(MAX_ROWS))
    assert len(parse_csv(data).rows) == MAX_ROWS


def test_too_big_file_is_refused():
    data = b"Email,Note\n" + b"a@example.org," + b"x" * (5 * 1024 * 1024) + b"\n"
    assert refusal(data) == (
        "This file is 5.0 MB; the most one import takes is 5 MB. Split it into smaller files."
    )


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"PK\x03\x04\x14\x00\x06\x00" + bytes(range(256)), "This is an Excel workbook, not a CSV file."),
        (bytes(range(256)) * 4, "This doesn't look like a CSV file."),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "This doesn't look like a CSV file."),
    ],
)
def test_binary_junk_is_refused(data, message):
    assert refusal(data).startswith(message)


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (["E-mail", "Full Name", "Class Year"], {"email": 0, "name": 1, "cohort": 2}),
        (
            ["Email address", "First name", "Last name", "Graduation year"],
            {"email": 0, "first_name": 1, "last_name": 2, "cohort": 3},
        ),
        (["mail", "Name", "Class of"], {"email": 0, "name": 1, "cohort": 2}),
        (["Cohort", "EMAIL", "Year"], {"cohort": 0, "email": 1}),
        (["Year", "Email"], {"cohort": 0, "email": 1}),
        (
            ["Company", "Title", "Email", "City", "Country"],
            {"organisation": 0, "job_title": 1, "email": 2, "city": 3, "country": 4},
        ),
        (
            ["Employer", "Position", "Work email", "Industry", "Skills", "Interests", "Headline"],
            {
                "organisation": 0,
                "job_title": 1,
                "email": 2,
                "industry": 3,
                "skills": 4,
                "interests": 5,
                "headline": 6,
            },
        ),
        (
            ["Role", "Organization", "Personal Email Address", "Graduated in"],
            {"job_title": 0, "organisation": 1, "email": 2, "cohort": 3},
        ),
        (["Notes", "Phone"], {}),
    ],
)
def test_guesses_columns_from_header_names(header, expected):
    assert guess_mapping(header) == expected


def test_the_template_header_is_guessed_in_full():
    from community.communities.import_routes import TEMPLATE_CSV

    header = parse_csv(TEMPLATE_CSV.encode()).header
    assert guess_mapping(header) == {
        "email": 0,
        "name": 1,
        "cohort": 2,
        "headline": 3,
        "organisation": 4,
        "job_title": 5,
        "industry": 6,
        "city": 7,
        "country": 8,
        "skills": 9,
        "interests": 10,
    }


def test_invitee_joins_split_names_and_keeps_profile_fields():
    mapping = {"email": 0, "first_name": 1, "last_name": 2, "cohort": 3, "organisation": 4, "skills": 5}
    row = [" Ann@Example.org ", "Ann", "Lee", "Class of 2010", "Acme", "sql, python"]
    invitee = invitee_for(row, mapping)
    assert invitee.email == "ann@example.org"
    assert invitee.name == "Ann Lee"
    assert invitee.cohort == "Class of 2010"
    assert invitee.profile_data == {"organisation": "Acme", "skills": "sql, python"}


def test_file_statuses_flag_bad_and_duplicate_rows():
    rows = [["ann@example.org"], ["not-an-email"], ["ANN@example.org"], [""], ["not-an-email"]]
    statuses = file_statuses(rows, {"email": 0})
    assert statuses == [
        ("ann@example.org", None, ""),
        ("not-an-email", RowStatus.BAD, "An email address must have an @-sign."),
        ("ann@example.org", RowStatus.DUPLICATE, "2"),
        ("", RowStatus.BAD, "No email address in this row."),
        ("not-an-email", RowStatus.BAD, "An email address must have an @-sign."),
    ]


def test_a_nul_anywhere_in_the_file_is_refused_not_only_near_the_start():
    rows = "".join(f"person{n}@example.org,Person {n}\n" for n in range(400))
    data = ("Email,Name\n" + rows).encode() + b"late@example.org,Nul\x00Name\n"
    assert len(data) > 8192
    assert refusal(data).startswith("This doesn't look like a CSV file.")


def test_cells_are_folded_onto_one_line():
    parsed = parse_csv(b'Email,Name,Cohort\nann@example.org,"Ann\r\nLee","Class\tof  2010"\n')
    assert parsed.rows == [["ann@example.org", "Ann Lee", "Class of 2010"]]
