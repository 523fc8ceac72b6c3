"""Builders for test data. They commit, as a real earlier request would have."""

from __future__ import annotations

import itertools

from community.auth.models import User
from community.auth.passwords import hash_password
from community.core.models import utcnow
from community.extensions import db

DEFAULT_PASSWORD = "correct horse battery"
_numbers = itertools.count(1)


def create_user(
    *,
    email: str | None = None,
    name: str | None = None,
    password: str = DEFAULT_PASSWORD,
    verified: bool = True,
    admin: bool = False,
) -> User:
    number = next(_numbers)
    user = User(
        email=(email or f"person{number}@example.org").lower(),
        name=name or f"Person {number}",
        password_hash=hash_password(password),
        email_verified_at=utcnow() if verified else None,
        is_admin=admin,
    )
    db.session.add(user)
    db.session.commit()
    return user
