"""Queueing email: an outbox row written in the same transaction as the change behind it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from email.utils import make_msgid, parseaddr
from typing import Any

from flask import current_app, render_template
from jinja2 import TemplateNotFound
from sqlalchemy import update

from community.core.errors import DomainError
from community.core.mail.headers import address_header, header_text
from community.core.mail.models import OutboxMessage, OutboxStatus
from community.core.models import utcnow
from community.extensions import db


class MailError(DomainError):
    """An outbox action that cannot be done (e.g. retrying an email that has not failed)."""


def sender_domain() -> str:
    _, address = parseaddr(current_app.config["MAIL_DEFAULT_SENDER"])
    return address.rpartition("@")[2] or "localhost"


@dataclass(frozen=True)
class Attachment:
    """A text attachment: `mime` like "text/calendar", `params` like {"method": "REQUEST"}."""

    filename: str
    mime: str
    text: str
    params: dict[str, str] = field(default_factory=dict)

    def as_row(self) -> dict[str, Any]:
        return {"filename": self.filename, "mime": self.mime, "params": dict(self.params), "text": self.text}


def queue_email(
    *,
    to: str,
    subject: str,
    template: str,
    kind: str,
    attachments: Sequence[Attachment] = (),
    unsubscribe_url: str | None = None,
    **context,
) -> OutboxMessage:
    """Render `template` (email/<template>.txt, and .html when present) into an outbox row.

    The row is only flushed: it is sent if, and only if, the surrounding transaction commits.
    """
    message = compose_email(
        to=to,
        subject=subject,
        template=template,
        kind=kind,
        attachments=attachments,
        unsubscribe_url=unsubscribe_url,
        **context,
    )
    db.session.add(message)
    db.session.flush()
    return message


def compose_email(
    *,
    to: str,
    subject: str,
    template: str,
    kind: str,
    attachments: Sequence[Attachment] = (),
    unsubscribe_url: str | None = None,
    **context,
) -> OutboxMessage:
    """The outbox row for an email, not yet added to the session (for bulk sends).

    The subject is stored as it will be sent: one line, no control characters, cut to fit.
    A non-transactional email passes `unsubscribe_url` (core.mail.unsubscribe): the footer
    shows it and delivery adds the List-Unsubscribe headers (RFC 8058).

    :raises ValueError: if `to` is not an address that can go in a header.
    """
    subject = header_text(subject)
    to_address = address_header(to)
    context.setdefault("site_name", current_app.config["SITE_NAME"])
    context.setdefault("subject", subject)
    context["unsubscribe_url"] = unsubscribe_url
    body_text = render_template(f"email/{template}.txt", **context)
    try:
        body_html = render_template(f"email/{template}.html", **context)
    except TemplateNotFound:
        body_html = None
    return OutboxMessage(
        message_id=make_msgid(domain=sender_domain()),
        to_address=to_address,
        subject=subject,
        body_text=body_text,
        body_html=body_html,
        attachments=[attachment.as_row() for attachment in attachments],
        kind=kind,
        unsubscribe_url=unsubscribe_url,
    )


def _retry(*conditions) -> int:
    result = db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.status == OutboxStatus.FAILED, *conditions)
        .values(status=OutboxStatus.PENDING, attempts=0, next_attempt_at=utcnow(), claimed_until=None)
        .execution_options(synchronize_session="fetch")
    )
    db.session.flush()
    return result.rowcount


def retry_failed(message_id: int) -> None:
    """Put a failed email back in the queue, as if new; its last error stays for reference
    until the next attempt replaces it. :raises MailError: if it is not (or no longer) failed."""
    if _retry(OutboxMessage.id == message_id) != 1:
        raise MailError("That email is not waiting for a retry: it may have been retried already.")


def retry_all_failed() -> int:
    """Put every failed email back in the queue; returns how many."""
    return _retry()
