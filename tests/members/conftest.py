"""Test data for profiles and directories, built with the services (no community routes)."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import event

from community.auth.models import User
from community.communities.models import Community, Membership, MembershipStatus, Role
from community.communities.services import activate_membership
from community.extensions import db
from community.members.models import DEFAULT_VISIBILITY
from community.members.services import ensure_profile, update_profile
from tests.factories import create_user


def make_community(
    slug: str = "northfield", name: str = "Northfield Alumni", *, public: bool = False
) -> Community:
    community = Community(slug=slug, name=name, directory_public=public)
    db.session.add(community)
    db.session.commit()
    return community


def join(
    community: Community, user: User, *, cohort: str | None = None, role: Role = Role.MEMBER
) -> Membership:
    membership = activate_membership(community, user, role=role, cohort=cohort)
    db.session.commit()
    return membership


def ask_to_join(community: Community, user: User) -> Membership:
    membership = Membership(community=community, user=user, status=MembershipStatus.PENDING)
    db.session.add(membership)
    ensure_profile(user)
    db.session.commit()
    return membership


def set_profile(
    user: User, *, everything: str | None = None, visibility: dict[str, str] | None = None, **fields: Any
):
    """Write profile fields through the real service; `everything` sets every field's visibility."""
    levels = {field: everything for field in DEFAULT_VISIBILITY} if everything else {}
    levels.update(visibility or {})
    profile = ensure_profile(user)
    current = {field: profile.visibility_of(field).value for field in DEFAULT_VISIBILITY}
    update_profile(user, name=fields.pop("name", user.name), fields=fields, visibility={**current, **levels})
    db.session.commit()
    return profile


def person(
    name: str, community: Community | None = None, *, cohort: str | None = None, **profile: Any
) -> User:
    user = create_user(name=name)
    if community is not None:
        join(community, user, cohort=cohort)
    if profile:
        set_profile(user, **profile)
    return user


class QueryCounter:
    def __init__(self, engine):
        self.engine = engine
        self.count = 0

    def __call__(self, *args):
        self.count += 1

    def __enter__(self):
        self.count = 0
        event.listen(self.engine, "before_cursor_execute", self)
        return self

    def __exit__(self, *exc):
        event.remove(self.engine, "before_cursor_execute", self)


@pytest.fixture
def community(app) -> Community:
    return make_community()
