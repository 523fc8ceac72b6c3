"""Only organizers reach the import and export screens: anonymous -> log in, outsider -> 404,
member -> 403, organizer and owner -> the screen. Refused requests change nothing."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from community.communities.import_csv import parse_csv
from community.communities.imports import create_batch
from community.communities.models import ImportBatch, ImportStatus, Invitation, Role
from community.core.audit import AuditEntry
from community.extensions import db
from tests.factories import create_community, create_membership, create_user

SLUG = "northfield"
FILE = b"Email,Name\nann@example.org,Ann\n"

# (method, path, data, organizer's status). {p}: a batch in preview; {d}: a finished one.
SCREENS = [
    ("GET", "/c/{slug}/manage/import", None, 200),
    ("POST", "/c/{slug}/manage/import", {}, 422),  # no file chosen: the form says so
    ("GET", "/c/{slug}/manage/import/template.csv", None, 200),
    ("GET", "/c/{slug}/manage/import/{p}/map", None, 200),
    ("POST", "/c/{slug}/manage/import/{p}/map", {"email": "0", "name": "1"}, 302),
    ("GET", "/c/{slug}/manage/import/{p}/preview", None, 200),
    ("POST", "/c/{slug}/manage/import/{p}/run", {}, 302),
    ("POST", "/c/{slug}/manage/import/{p}/discard", {}, 302),
    ("GET", "/c/{slug}/manage/import/{d}", None, 200),
    ("GET", "/c/{slug}/manage/members.csv", None, 200),
]


@pytest.fixture
def world(app):
    owner = create_user(email="olive@example.org", name="Olive Owner")
    community = create_community(owner, slug=SLUG)
    create_membership(community, role=Role.ORGANIZER, email="otto@example.org", name="Otto Organizer")
    create_membership(community, email="mia@example.org", name="Mia Member")
    create_user(email="oscar@example.org", name="Oscar Outsider")
    pending = create_batch(community, owner, "alumni.csv", parse_csv(FILE))
    done = create_batch(community, owner, "old.csv", parse_csv(FILE))
    done.status = ImportStatus.DONE
    db.session.commit()
    return {"slug": SLUG, "p": pending.id, "d": done.id}


def request(client, method: str, path: str, data: dict | None):
    if method == "GET":
        return client.get(path)
    return client.submit(path, data)


def written() -> tuple[int, int, int]:
    db.session.expire_all()
    return tuple(
        db.session.scalar(select(func.count()).select_from(model))
        for model in (ImportBatch, Invitation, AuditEntry)
    )


@pytest.mark.parametrize(
    ("method", "path", "data", "ok"), SCREENS, ids=[f"{m} {p}" for m, p, _, _ in SCREENS]
)
@pytest.mark.parametrize(
    ("who", "expected"),
    [
        (None, "login"),
        ("oscar@example.org", 404),
        ("mia@example.org", 403),
        ("otto@example.org", "ok"),
        ("olive@example.org", "ok"),
    ],
    ids=["anonymous", "outsider", "member", "organizer", "owner"],
)
def test_import_and_export_screens_are_for_organizers(client, world, method, path, data, ok, who, expected):
    if who:
        client.login(who)
    before = written()
    response = request(client, method, path.format(**world), data)
    if expected == "login":
        assert response.status_code == 302
        assert response.headers["Location"].startswith("/login?next=")
    elif expected == "ok":
        assert response.status_code == ok, response.get_data(as_text=True)[-2000:]
        return
    else:
        assert response.status_code == expected
    assert written() == before


def test_unknown_batch_is_not_found(client, world):
    client.login("olive@example.org")
    assert client.get(f"/c/{SLUG}/manage/import/999/preview").status_code == 404
    assert client.get("/c/nowhere/manage/import").status_code == 404
