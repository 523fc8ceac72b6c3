"""The member list as CSV: the pure builder, and the organizer's download."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from sqlalchemy import select

from community.communities.models import Community, Membership, MembershipStatus
from community.core.audit import AuditEntry
from community.extensions import db
from community.members.export import MemberRow, filename_for, members_csv
from community.members.services import ensure_profile
from tests.factories import create_community, create_membership, create_user


def read(body: bytes) -> list[list[str]]:
    assert body.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"), newline="")))


def test_builder_writes_a_header_and_one_row_per_member():
    body = members_csv(
        [
            MemberRow(
                "Zoë Adams",
                "zoe@example.org",
                "Owner",
                "Class of 2010",
                date(2024, 5, 1),
                "Designer",
                "Acme, Inc.",
                "Lead",
                "Lyon",
                "France",
            ),
            MemberRow("Bo Chen", "bo@example.org", "Member", "", None),
        ]
    )
    assert b"\r\n" in body
    assert read(body) == [
        [
            "Name",
            "Email",
            "Role",
            "Cohort",
            "Joined",
            "Headline",
            "Organisation",
            "Job title",
            "City",
            "Country",
        ],
        [
            "Zoë Adams",
            "zoe@example.org",
            "Owner",
            "Class of 2010",
            "2024-05-01",
            "Designer",
            "Acme, Inc.",
            "Lead",
            "Lyon",
            "France",
        ],
        ["Bo Chen", "bo@example.org", "Member", "", "", "", "", "", "", ""],
    ]


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        ('=HYPERLINK("http://evil")', '\'=HYPERLINK("http://evil")'),
        ("+44 20 7946 0000", "'+44 20 7946 0000"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("Ann = great", "Ann = great"),
    ],
)
def test_builder_defuses_formulas(value, cell):
    [_, row] = read(members_csv([MemberRow(value, "a@example.org", "Member", value, None, value)]))
    assert row[0] == cell
    assert row[3] == cell
    assert row[5] == cell


def test_filename_has_the_slug_and_date():
    assert filename_for(Community(slug="northfield"), date(2025, 3, 9)) == "northfield-members-2025-03-09.csv"


@pytest.fixture
def community(app) -> Community:
    owner = create_user(email="olive@example.org", name="Olive Owner")
    community = create_community(owner)
    db.session.scalar(select(Membership).where(Membership.user_id == owner.id)).cohort = "Staff"
    ann = create_user(email="ann@example.org", name="=Ann Formula")
    create_membership(community, ann, cohort="Class of 2010")
    profile = ensure_profile(ann)
    profile.headline, profile.organisation, profile.job_title = "Builds bridges", "Acme", "Engineer"
    profile.city, profile.country = "Leeds", "UK"
    hidden = create_membership(community, email="hal@example.org", name="Hal Hidden").user
    hidden_profile = ensure_profile(hidden)
    hidden_profile.organisation, hidden_profile.city = "Secret Corp", "Nowhere"
    hidden_profile.visibility = {"organisation": "nobody", "location": "nobody"}
    create_membership(community, status=MembershipStatus.PENDING, email="pat@example.org", name="Pat Pending")
    outsider = create_user(email="oscar@example.org", name="Oscar Outsider")
    db.session.commit()
    assert outsider
    return community


def test_organizer_downloads_active_members_and_it_is_audited(client, community, count_queries):
    client.login("olive@example.org")
    with count_queries() as statements:
        response = client.get("/c/northfield/manage/members.csv")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith('attachment; filename="northfield-members-20')
    assert "no-store" in response.headers["Cache-Control"]
    rows = read(response.data)
    assert [row[:4] for row in rows[1:]] == [
        ["'=Ann Formula", "ann@example.org", "Member", "Class of 2010"],
        ["Hal Hidden", "hal@example.org", "Member", ""],
        ["Olive Owner", "olive@example.org", "Owner", "Staff"],
    ]
    assert rows[1][5:] == ["Builds bridges", "Acme", "Engineer", "Leeds", "UK"]
    assert rows[2][6:] == ["", "", "", ""]  # Hal keeps organisation and location to himself
    assert len(rows[1][4]) == 10 and rows[1][4].startswith("20")
    member_queries = [s for s in statements if "FROM membership" in s and "member_profile" in s]
    assert len(member_queries) == 1

    db.session.expire_all()
    entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "members.exported")).one()
    assert entry.detail == "3 members as CSV"


def test_member_may_not_export(client, community):
    client.login("ann@example.org")
    response = client.get("/c/northfield/manage/members.csv")
    assert response.status_code == 403
    assert b"ann@example.org" not in response.data
    db.session.expire_all()
    assert db.session.scalars(select(AuditEntry).where(AuditEntry.action == "members.exported")).all() == []
