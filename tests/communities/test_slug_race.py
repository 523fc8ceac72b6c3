"""Starting a community when its address is taken between the check and the insert.

The insert runs in a savepoint: a lost race undoes the insert alone, says the slug is taken,
and leaves the caller's transaction usable; a savepoint never commits anything early.
"""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from community.auth.models import User
from community.communities import services
from community.communities.models import Community, Membership
from community.core.audit import AuditEntry
from tests.factories import create_community, create_user

FIELDS = {"kind": "club", "join_policy": "open", "timezone": "UTC"}


def count(db, model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_a_slug_taken_by_a_racing_request_is_refused_and_the_callers_work_survives(db, monkeypatch):
    create_community(slug="taken", name="Already Here")
    owner = create_user(email="second@example.org")
    monkeypatch.setattr(services, "slug_taken", lambda slug: False)  # the other request won the race
    earlier = User(email="earlier@example.org", name="Written Earlier", password_hash="x")
    db.session.add(earlier)
    db.session.flush()

    with pytest.raises(services.SlugError) as refused:
        services.create_community(owner, slug="taken", name="Second Try", **FIELDS)

    assert refused.value.message == "/c/taken is already taken. Please choose another address."
    db.session.commit()
    db.session.expire_all()
    assert db.session.scalars(select(User.name).where(User.email == "earlier@example.org")).all() == [
        "Written Earlier"
    ]
    assert db.session.scalars(select(Community.name)).all() == ["Already Here"]
    assert count(db, Membership) == 1
    assert count(db, AuditEntry) == 1  # only the first community's


def test_the_savepoint_commits_nothing_before_the_request_does(db):
    owner = create_user(email="owner@example.org")

    community = services.create_community(owner, slug="fresh", name="Fresh", **FIELDS)
    assert community.id is not None
    db.session.rollback()  # as a request that fails later would

    assert (count(db, Community), count(db, Membership), count(db, AuditEntry)) == (0, 0, 0)
