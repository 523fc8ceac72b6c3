"""A 5,000-row alumni list imports completely: one invitation and one email per person."""

from __future__ import annotations

import io

from sqlalchemy import func, select
from werkzeug.datastructures import FileStorage, MultiDict
from werkzeug.test import encode_multipart

from community.communities.models import ImportBatch, Invitation
from community.core.mail.models import OutboxMessage
from community.extensions import db
from tests.factories import create_community, create_user

ROWS = 5_000


def test_five_thousand_rows_import_in_chunks_with_progress(client, app):
    owner = create_user(email="olive@example.org", name="Olive Owner")
    create_community(owner, slug="bigclass", name="Big Class")
    client.login(owner.email)

    csv = "Email,Name,Class year\n" + "".join(
        f"alum{i}@example.org,Alum {i},{2000 + i % 20}\n" for i in range(ROWS)
    )
    fields = {
        "csrf_token": client.csrf_token(),
        "file": FileStorage(io.BytesIO(csv.encode()), filename="big.csv"),
    }
    boundary, body = encode_multipart(MultiDict(fields))
    response = client.post(
        "/c/bigclass/manage/import", data=body, content_type=f"multipart/form-data; boundary={boundary}"
    )
    batch_id = int(response.headers["Location"].split("/")[-2])
    page = client.get(f"/c/bigclass/manage/import/{batch_id}/preview").get_data(as_text=True)
    assert "Send 5,000 invitations" in page

    token = client.csrf_token()
    progress = []
    while not (progress and progress[-1]["done"]):
        reply = client.post(
            f"/c/bigclass/manage/import/{batch_id}/run",
            data={"csrf_token": token},
            headers={"Accept": "application/json"},
        )
        assert reply.status_code == 200
        progress.append(reply.get_json())
        assert len(progress) <= ROWS // 500
    assert [step["processed"] for step in progress] == list(range(500, ROWS + 1, 500))

    db.session.expire_all()
    assert db.session.scalar(select(func.count(Invitation.id))) == ROWS
    assert (
        db.session.scalar(
            select(func.count(OutboxMessage.id)).where(OutboxMessage.kind == "communities.invitation")
        )
        == ROWS
    )
    assert db.session.scalar(select(func.count(func.distinct(OutboxMessage.to_address)))) == ROWS
    batch = db.session.get(ImportBatch, batch_id)
    assert (batch.status, batch.invited, batch.skipped) == ("done", ROWS, 0)
