"""Signed, expiring tokens for the links in account emails."""

from __future__ import annotations

import hashlib
from datetime import timedelta
from typing import Any

from flask import current_app
from itsdangerous import BadSignature, URLSafeTimedSerializer

VERIFY_EMAIL_MAX_AGE = timedelta(days=7)
RESET_PASSWORD_MAX_AGE = timedelta(hours=1)
CHANGE_EMAIL_MAX_AGE = timedelta(days=1)


def _serializer(purpose: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=f"roundtable.{purpose}")


def make_token(purpose: str, payload: dict[str, Any]) -> str:
    return _serializer(purpose).dumps(payload)


def read_token(purpose: str, token: str, max_age: timedelta) -> dict[str, Any] | None:
    """The payload, or None if the token is forged, for another purpose, or expired."""
    try:
        payload = _serializer(purpose).loads(token, max_age=int(max_age.total_seconds()))
    except BadSignature:  # SignatureExpired is a BadSignature too
        return None
    return payload if isinstance(payload, dict) else None


def password_fingerprint(password_hash: str) -> str:
    """Changes whenever the password does: a reset link dies once it has been used."""
    return hashlib.sha256(password_hash.encode()).hexdigest()[:20]
