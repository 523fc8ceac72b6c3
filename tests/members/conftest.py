"""Test data for profiles and directories, built with the services (no community routes)."""

from __future__ import annotations

from typing import Any

import pytest

from community.auth.models import User
from community.communities.models import Community, Membership, MembershipStatus, Role
from community.extensions import db
from community.members.models import DEFAULT_VISIBILITY
from community.members.services import ensure_profile, update_profile
from tests.factories import create_membership, create_user


def make_community(
    slug: str = "northfield", name: str = "Northfield Alumni", *, public: bool = False
) -> Community:
    # Built directly, without an owner: the directory tests count and sort exactly the members they add.
    community = Community(slug=slug, name=name, directory_public=public)
    db.session.add(community)
    db.session.commit()
    return community


def join(
    community: Community, user: User, *, cohort: str | None = None, role: Role = Role.MEMBER
) -> Membership:
    return create_membership(community, user, role=role, cohort=cohort)


def ask_to_join(community: Community, user: User) -> Membership:
    membership = create_membership(community, user, status=MembershipStatus.PENDING)
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


@pytest.fixture
def community(app) -> Community:
    return make_community()
