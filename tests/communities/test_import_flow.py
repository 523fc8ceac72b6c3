"""Importing an alumni list through the organizer screens: upload, columns, preview, run, result."""

from __future__ import annotations

import io
import re

import pytest
from flask import current_app
from sqlalchemy import func, select
from werkzeug.datastructures import FileStorage, MultiDict
from werkzeug.test import encode_multipart

from community.auth.models import User
from community.communities.invitations import Invitee, invite
from community.communities.models import Community, ImportBatch, Invitation
from community.core.audit import AuditEntry
from community.core.mail.models import OutboxMessage
from community.extensions import db
from tests.conftest import link_in, outbox_messages
from tests.factories import create_community, create_membership, create_user

SLUG = "northfield"
BASE = f"/c/{SLUG}/manage/import"

ALUMNI = (
    "E-mail,First name,Last name,Class year,Company,Title,Skills\n"
    'ann@example.org,Ann,Lee,Class of 2010,Acme,Engineer,"sql, python"\n'
    "member@example.org,Mo,Member,2011,,,\n"
    "invited@example.org,Ivy,Invited,2012,,,\n"
    "not-an-email,Bad,Row,2013,,,\n"
    "ANN@example.org,Ann,Again,2010,,,\n"
    "bo@example.org,Bo,Chen,2014,Globex,Analyst,\n"
)


@pytest.fixture
def community(app) -> Community:
    community = create_community(create_user(email="olive@example.org", name="Olive Owner"), slug=SLUG)
    create_membership(community, email="member@example.org", name="Mo Member")
    return community


@pytest.fixture
def organizer(client, community):
    client.login("olive@example.org")
    return client


def upload(client, data: bytes | str, filename: str = "alumni.csv"):
    """POST the file as a browser would. The body is encoded here, in memory: the test client
    would spool a large one to a temporary file that nothing closes (a ResourceWarning)."""
    if isinstance(data, str):
        data = data.encode()
    fields = {"csrf_token": client.csrf_token(), "file": FileStorage(io.BytesIO(data), filename=filename)}
    boundary, body = encode_multipart(MultiDict(fields))
    return client.post(BASE, data=body, content_type=f"multipart/form-data; boundary={boundary}")


def batch_id_of(response) -> int:
    match = re.search(r"/manage/import/(\d+)/map$", response.headers["Location"])
    assert match, response.headers.get("Location")
    return int(match.group(1))


def count(model) -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(model))


def invite_before(community: Community, email: str) -> None:
    """An invitation sent earlier, by hand."""
    olive = db.session.scalar(select(User).where(User.email == "olive@example.org"))
    with current_app.test_request_context():
        invite(community, olive, [Invitee(email)])
    db.session.commit()


def statuses_on(page: str) -> list[tuple[str, str, str]]:
    """(row number, email, status text) for each table row of the preview."""
    rows = re.findall(
        r'<tr class="import-row[^"]*">\s*<td data-label="Row">(\d+)</td>\s*<th scope="row">([^<]*)</th>.*?'
        r'<span class="badge[^"]*">([^<]*)</span>',
        page,
        re.S,
    )
    return rows


def test_upload_form_explains_and_offers_a_template(organizer):
    page = organizer.get(BASE).get_data(as_text=True)
    assert "Upload your list" in page
    assert "Download a template CSV" in page
    template = organizer.get(f"{BASE}/template.csv")
    assert template.status_code == 200
    assert template.mimetype == "text/csv"
    assert template.data.startswith("\ufeffEmail,Full name,Class year".encode())


def test_full_import_previews_then_invites_each_new_person_once(organizer, community):
    invite_before(community, "invited@example.org")
    emails_before = count(OutboxMessage)

    response = upload(organizer, ALUMNI)
    assert response.status_code == 302
    batch_id = batch_id_of(response)

    mapping_page = organizer.get(f"{BASE}/{batch_id}/map").get_data(as_text=True)
    email_select = re.search(r'<select[^>]*name="email".*?</select>', mapping_page, re.S).group(0)
    assert '<option selected value="0">E-mail</option>' in email_select  # guessed
    response = organizer.submit(
        f"{BASE}/{batch_id}/map",
        {
            "email": "0",
            "first_name": "1",
            "last_name": "2",
            "cohort": "3",
            "organisation": "4",
            "job_title": "5",
            "skills": "6",
        },
    )
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/{batch_id}/preview")

    page = organizer.get(f"{BASE}/{batch_id}/preview").get_data(as_text=True)
    assert statuses_on(page) == [
        ("2", "ann@example.org", "New invitation"),
        ("3", "member@example.org", "Already a member"),
        ("4", "invited@example.org", "Already invited"),
        ("5", "not-an-email", "Bad email"),
        ("6", "ANN@example.org", "Duplicate of row 2"),
        ("7", "bo@example.org", "New invitation"),
    ]
    assert "An email address must have an @-sign." in page
    assert "Send 2 invitations" in page
    assert "Ann Lee" in page and "Class of 2010" in page
    # The preview wrote nothing.
    assert count(Invitation) == 1
    assert count(OutboxMessage) == emails_before

    response = organizer.submit(f"{BASE}/{batch_id}/run")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"{BASE}/{batch_id}")

    invitations = {i.email: i for i in db.session.scalars(select(Invitation))}
    assert set(invitations) == {"invited@example.org", "ann@example.org", "bo@example.org"}
    ann = invitations["ann@example.org"]
    assert (ann.name, ann.cohort, ann.source) == ("Ann Lee", "Class of 2010", "import")
    assert ann.profile_data == {"organisation": "Acme", "job_title": "Engineer", "skills": "sql, python"}
    for email in ("ann@example.org", "bo@example.org"):
        [message] = outbox_messages(kind="communities.invitation", to=email)
        assert message.subject == "Olive Owner invites you to join Northfield Alumni"
        assert f"/c/{SLUG}/invite/" in link_in(message, "/invite/")
    assert outbox_messages(to="member@example.org") == []
    assert outbox_messages(to="not-an-email") == []

    result = organizer.get(f"{BASE}/{batch_id}").get_data(as_text=True)
    figures = dict(
        (label, int(value.replace(",", "")))
        for value, label in re.findall(
            r'<span class="stat__value">([\d,]+)</span><span class="stat__label">([^<]+)</span>', result
        )
    )
    assert figures == {
        "invited": 2,
        "already members": 1,
        "already invited": 1,
        "bad emails": 1,
        "duplicates": 1,
    }
    assert f'href="/c/{SLUG}/manage/invitations"' in result
    batch = db.session.get(ImportBatch, batch_id)
    assert (batch.status, batch.processed, batch.invited, batch.skipped) == ("done", 6, 2, 4)
    audit = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "import.completed")).one()
    assert audit.detail == (
        "alumni.csv: 2 invited, 1 already members, 1 already invited, 1 bad emails, 1 duplicates"
    )

    # Running again does nothing; the finished batch's screens lead to the result.
    assert organizer.submit(f"{BASE}/{batch_id}/run").status_code == 302
    assert organizer.get(f"{BASE}/{batch_id}/preview").headers["Location"].endswith(f"{BASE}/{batch_id}")
    assert organizer.get(f"{BASE}/{batch_id}/map").status_code == 302
    assert len(outbox_messages(kind="communities.invitation")) == 3


def test_reimporting_the_same_file_invites_nobody_twice(organizer, community):
    first = batch_id_of(upload(organizer, ALUMNI))
    organizer.submit(f"{BASE}/{first}/run")
    sent = len(outbox_messages(kind="communities.invitation"))
    assert sent == 3  # ann, invited, bo

    second = batch_id_of(upload(organizer, ALUMNI))
    page = organizer.get(f"{BASE}/{second}/preview").get_data(as_text=True)
    assert [status for _, _, status in statuses_on(page)] == [
        "Already invited",
        "Already a member",
        "Already invited",
        "Bad email",
        "Duplicate of row 2",
        "Already invited",
    ]
    assert "Nobody new to invite" in page
    organizer.submit(f"{BASE}/{second}/run")
    assert len(outbox_messages(kind="communities.invitation")) == sent
    assert count(Invitation) == 3
    assert db.session.get(ImportBatch, second).invited == 0


def test_chunked_json_run_reports_progress_until_done(organizer, community, monkeypatch):
    monkeypatch.setattr("community.communities.imports.CHUNK_SIZE", 2)
    batch_id = batch_id_of(upload(organizer, ALUMNI))
    token = organizer.csrf_token()
    replies = []
    for _ in range(5):
        response = organizer.post(
            f"{BASE}/{batch_id}/run", data={"csrf_token": token}, headers={"Accept": "application/json"}
        )
        assert response.status_code == 200
        replies.append(response.get_json())
        if replies[-1]["done"]:
            break
    result_url = f"/c/{SLUG}/manage/import/{batch_id}"
    assert replies == [
        {"processed": 2, "total": 6, "invited": 1, "skipped": 1, "done": False, "result_url": result_url},
        {"processed": 4, "total": 6, "invited": 2, "skipped": 2, "done": False, "result_url": result_url},
        {"processed": 6, "total": 6, "invited": 3, "skipped": 3, "done": True, "result_url": result_url},
    ]
    assert len(outbox_messages(kind="communities.invitation")) == 3
    again = organizer.post(
        f"{BASE}/{batch_id}/run", data={"csrf_token": token}, headers={"Accept": "application/json"}
    )
    assert again.get_json()["done"] is True and again.get_json()["invited"] == 3


def test_stopped_import_can_be_continued_without_javascript(organizer, community, monkeypatch):
    monkeypatch.setattr("community.communities.imports.CHUNK_SIZE", 4)
    batch_id = batch_id_of(upload(organizer, ALUMNI))
    organizer.post(
        f"{BASE}/{batch_id}/run",
        data={"csrf_token": organizer.csrf_token()},
        headers={"Accept": "application/json"},
    )
    result = organizer.get(f"{BASE}/{batch_id}").get_data(as_text=True)
    assert "This import stopped after 4 of 6 rows." in result
    preview = organizer.get(f"{BASE}/{batch_id}/preview").get_data(as_text=True)
    assert "Continue the import" in preview
    organizer.submit(f"{BASE}/{batch_id}/run")
    assert db.session.get(ImportBatch, batch_id).status == "done"
    assert len(outbox_messages(kind="communities.invitation")) == 3


def test_run_needs_the_csrf_token(organizer, community):
    batch_id = batch_id_of(upload(organizer, ALUMNI))
    assert organizer.post(f"{BASE}/{batch_id}/run").status_code == 400
    assert count(Invitation) == 0


REFUSED = [
    ("Email,Name\nzoe@example.org,Zoë\n".encode("latin-1"), "This file isn&#39;t UTF-8 text."),
    (b"Name,Class year\nAnn,2010\n", "We couldn&#39;t find an email column in this file."),
    (b"ann@example.org,Ann\n", "The first row should name the columns, but it holds an email address."),
    (b"", "This file is empty."),
    (
        b"Email\n" + b"".join(b"p%d@example.org\n" % i for i in range(100_000)),
        "This file has 100,000 rows; the most one import takes is 20,000. Split it into smaller files.",
    ),
    (b"PK\x03\x04" + bytes(range(200)), "This is an Excel workbook, not a CSV file."),
]


@pytest.mark.parametrize(
    ("data", "message"), REFUSED, ids=["latin1", "no-email", "no-header", "empty", "100k-rows", "xlsx"]
)
def test_refused_files_show_why_and_write_nothing(organizer, community, data, message):
    response = upload(organizer, data)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert message in page
    assert 'aria-invalid="true"' in page
    assert count(ImportBatch) == 0
    assert count(Invitation) == 0
    assert count(OutboxMessage) == 0


def test_upload_without_a_file_asks_for_one(organizer, community):
    response = organizer.submit(BASE, {}, content_type="multipart/form-data")
    assert response.status_code == 422
    assert "Choose a CSV file to upload." in response.get_data(as_text=True)


def test_mapping_needs_email_and_each_column_once(organizer, community):
    batch_id = batch_id_of(upload(organizer, ALUMNI))
    response = organizer.submit(f"{BASE}/{batch_id}/map", {"email": "", "name": "1"})
    assert response.status_code == 422
    assert "Choose the column that holds email addresses: every invitation needs one." in response.get_data(
        as_text=True
    )
    response = organizer.submit(f"{BASE}/{batch_id}/map", {"email": "0", "name": "1", "first_name": "1"})
    assert response.status_code == 422
    assert "“First name” is already used for Full name. Use each column once." in response.get_data(
        as_text=True
    )
    db.session.expire_all()
    assert db.session.get(ImportBatch, batch_id).mapping["email"] == 0  # the guess, unchanged


def test_preview_with_unrecognised_columns_asks_for_the_email_column(organizer, community):
    batch_id = batch_id_of(upload(organizer, "Contact,Who\nann@example.org,Ann\n"))
    response = organizer.get(f"{BASE}/{batch_id}/preview")
    assert response.headers["Location"].endswith(f"/{batch_id}/map")
    organizer.submit(f"{BASE}/{batch_id}/map", {"email": "0", "name": "1"})
    page = organizer.get(f"{BASE}/{batch_id}/preview").get_data(as_text=True)
    assert statuses_on(page) == [("2", "ann@example.org", "New invitation")]


def test_preview_is_paginated_and_filtered(organizer, community):
    rows = "".join(f"p{i}@example.org\n" for i in range(230)) + "broken\n"
    batch_id = batch_id_of(upload(organizer, "Email\n" + rows))
    first = organizer.get(f"{BASE}/{batch_id}/preview").get_data(as_text=True)
    assert len(statuses_on(first)) == 100
    third = organizer.get(f"{BASE}/{batch_id}/preview?page=3").get_data(as_text=True)
    assert [row[0] for row in statuses_on(third)][:2] == ["202", "203"]
    assert len(statuses_on(third)) == 31
    bad = organizer.get(f"{BASE}/{batch_id}/preview?status=bad").get_data(as_text=True)
    assert statuses_on(bad) == [("232", "broken", "Bad email")]


def test_preview_takes_the_same_queries_for_ten_rows_or_a_thousand(organizer, community, count_queries):
    small = batch_id_of(upload(organizer, "Email\n" + "".join(f"s{i}@example.org\n" for i in range(10))))
    large = batch_id_of(upload(organizer, "Email\n" + "".join(f"l{i}@example.org\n" for i in range(1000))))
    counts = []
    for batch_id in (small, large):
        with count_queries() as statements:
            assert organizer.get(f"{BASE}/{batch_id}/preview").status_code == 200
        counts.append(len(statements))
    assert counts[0] == counts[1]


def test_start_over_forgets_the_file(organizer, community):
    batch_id = batch_id_of(upload(organizer, ALUMNI))
    response = organizer.submit(f"{BASE}/{batch_id}/discard")
    assert response.headers["Location"].endswith(BASE)
    assert count(ImportBatch) == 0
    assert organizer.get(f"{BASE}/{batch_id}/preview").status_code == 404


def test_batch_of_another_community_is_not_found(organizer, community):
    batch_id = batch_id_of(upload(organizer, ALUMNI))
    olive = db.session.scalar(select(User).where(User.email == "olive@example.org"))
    create_community(olive, slug="eastfield", name="Eastfield")
    assert organizer.get(f"/c/eastfield/manage/import/{batch_id}/preview").status_code == 404
    assert organizer.submit(f"/c/eastfield/manage/import/{batch_id}/run").status_code == 404


def test_accepting_an_imported_invitation_fills_the_profile(organizer, community, client):
    batch_id = batch_id_of(upload(organizer, ALUMNI))
    organizer.submit(f"{BASE}/{batch_id}/run")
    invitation = db.session.scalars(select(Invitation).where(Invitation.email == "ann@example.org")).one()
    assert invitation.profile_data["organisation"] == "Acme"
    from community.communities.invitations import accept_invitation, hash_token  # noqa: F401
    from community.members.models import Profile

    ann = create_user(email="ann@example.org", name="Ann Lee")
    # The token is only in the email; accept through the service with it.
    [message] = outbox_messages(kind="communities.invitation", to="ann@example.org")
    token = link_in(message, "/invite/").rsplit("/", 1)[1]
    membership = accept_invitation(db.session.get(Community, community.id), token, ann)
    db.session.commit()
    assert membership.cohort == "Class of 2010"
    profile = db.session.get(Profile, ann.id)
    assert profile.organisation == "Acme"
    assert profile.job_title == "Engineer"
    assert profile.skills == ["sql", "python"]
