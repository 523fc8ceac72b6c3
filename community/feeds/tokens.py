"""Personal feed tokens: create, regenerate, revoke, and find the person a feed URL names."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

from flask import current_app
from sqlalchemy import select

from community.auth.models import User
from community.core.models import utcnow
from community.extensions import db
from community.feeds.models import CalendarToken


def _derive(user_id: int, nonce: str) -> str:
    key = current_app.config["SECRET_KEY"].encode()
    digest = hmac.new(key, f"calendar-feed:{user_id}:{nonce}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()  # 43 characters


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def token_of(user: User) -> CalendarToken | None:
    return db.session.scalar(select(CalendarToken).where(CalendarToken.user_id == user.id))


def feed_token(row: CalendarToken) -> str:
    """The token for the person's feed URL, derived again (it is not stored)."""
    return _derive(row.user_id, row.nonce)


def regenerate(user: User) -> CalendarToken:
    """Create the person's feed token, or replace it: the old URL stops working at once."""
    row = token_of(user)
    if row is None:
        row = CalendarToken(user_id=user.id)
        db.session.add(row)
    row.nonce = secrets.token_hex(16)
    row.token_hash = _hash(_derive(user.id, row.nonce))
    row.created_at = utcnow()
    db.session.flush()
    return row


def revoke(user: User) -> None:
    row = token_of(user)
    if row is not None:
        db.session.delete(row)
        db.session.flush()


def set_include_community_events(user: User, include: bool) -> CalendarToken:
    row = token_of(user) or regenerate(user)
    row.include_community_events = include
    db.session.flush()
    return row


def owner_of(token: str) -> tuple[User, CalendarToken] | None:
    """The active account a feed token belongs to, or None (unknown, revoked, replaced)."""
    if not 20 <= len(token) <= 100:
        return None
    row = db.session.scalar(select(CalendarToken).where(CalendarToken.token_hash == _hash(token)))
    if row is None:
        return None
    user = db.session.get(User, row.user_id)
    if user is None or not user.is_active:
        return None
    return user, row
