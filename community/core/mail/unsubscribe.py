"""Kinds of non-transactional email a person can switch off, and the signed links that do it.

Each feature that sends mail nobody asked for in the moment (reminders, follow-ups, digests)
registers its kind here with a label; by default the switch is a row in `email_opt_out`, and a
feature that already keeps its own switch (introductions' follow-ups) gives its getter and
setter instead, so there is one switch per kind. The page that honours the links belongs to a
higher feature, which names its endpoint with `use_unsubscribe_endpoint`; core only signs.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import Flask, current_app, url_for
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import delete, select

from community.core.mail.models import EmailOptOut
from community.extensions import db

ENDPOINT_KEY = "roundtable.unsubscribe_endpoint"
UNSUBSCRIBE_PURPOSE = "email.unsubscribe"


@dataclass(frozen=True)
class EmailKind:
    """A kind of email with its own switch: `name` goes in links ("reminders")."""

    name: str
    label: str  # "Event reminders"
    description: str  # "The day before an event you're going to."
    order: int = 50
    is_on: Callable[[int], bool] | None = None  # a feature's own switch, else email_opt_out
    set_on: Callable[[int, bool], None] | None = None


_KINDS: dict[str, EmailKind] = {}


def register_kind(kind: EmailKind) -> EmailKind:
    """Make `kind` switchable (called once, when the sending module is imported)."""
    _KINDS[kind.name] = kind
    return kind


def kinds() -> list[EmailKind]:
    return sorted(_KINDS.values(), key=lambda kind: (kind.order, kind.name))


def kind_named(name: object) -> EmailKind | None:
    return _KINDS.get(name) if isinstance(name, str) else None


def wants(user_id: int, name: str) -> bool:
    """Whether the person still gets this kind of email (one query)."""
    kind = _KINDS[name]
    if kind.is_on is not None:
        return kind.is_on(user_id)
    return db.session.get(EmailOptOut, (user_id, name)) is None


def set_wanted(user_id: int, name: str, wanted: bool) -> None:
    """Switch the kind on or off for the person; honoured by the next email (flushes)."""
    kind = _KINDS[name]
    if kind.set_on is not None:
        kind.set_on(user_id, wanted)
    elif wanted:
        db.session.execute(
            delete(EmailOptOut).where(EmailOptOut.user_id == user_id, EmailOptOut.kind == name)
        )
    elif db.session.get(EmailOptOut, (user_id, name)) is None:
        db.session.add(EmailOptOut(user_id=user_id, kind=name))
    db.session.flush()


def opted_out(name: str):
    """A subquery of the ids of people who switched the kind off (for a sender's WHERE)."""
    return select(EmailOptOut.user_id).where(EmailOptOut.kind == name)


# -- signed links ------------------------------------------------------------------------------


def _serializer(purpose: str) -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=f"roundtable.{purpose}")


def sign(purpose: str, payload: dict[str, Any]) -> str:
    """A token for a link that works without logging in, for as long as the email is kept."""
    return _serializer(purpose).dumps(payload)


def unsign(purpose: str, token: str) -> dict[str, Any] | None:
    """The payload, or None for a token that is forged, cut short or for another purpose."""
    try:
        payload = _serializer(purpose).loads(token)
    except BadSignature:
        return None
    return payload if isinstance(payload, dict) else None


def unsubscribe_token(user_id: int, name: str) -> str:
    return sign(UNSUBSCRIBE_PURPOSE, {"u": user_id, "k": name})


def read_unsubscribe_token(token: str) -> tuple[int, EmailKind] | None:
    """(user id, kind) named by a token, or None for a bad one."""
    payload = unsign(UNSUBSCRIBE_PURPOSE, token) or {}
    user_id, kind = payload.get("u"), kind_named(payload.get("k"))
    if not isinstance(user_id, int) or isinstance(user_id, bool) or kind is None:
        return None
    return user_id, kind


def use_unsubscribe_endpoint(app: Flask, endpoint: str) -> None:
    """Name the page (with a `token` url value) that unsubscribing links lead to."""
    app.extensions[ENDPOINT_KEY] = endpoint


def unsubscribe_url(user_id: int, name: str) -> str | None:
    """The one-click link for this person and kind; None when no feature provides the page."""
    endpoint = current_app.extensions.get(ENDPOINT_KEY)
    if endpoint is None:
        return None
    return url_for(endpoint, token=unsubscribe_token(user_id, name), _external=True)
