"""Delivering the outbox: SMTP when configured, .eml files otherwise.

Each run claims due rows with a conditional UPDATE (atomic on every database, so several
workers never take the same row), sends them, and commits each result at once. A send that
failed in transit is retried with exponential backoff; after MAIL_MAX_ATTEMPTS the row is
marked failed. A row that can never go (it cannot be built, or the server refused it with a
5xx) is marked failed at once, so that one bad message never holds up the others.
"""

from __future__ import annotations

import logging
import re
import smtplib
import ssl
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.policy import EmailPolicy
from email.utils import format_datetime
from pathlib import Path
from typing import Protocol

from flask import current_app
from sqlalchemy import or_, select, update

from community.core.mail.headers import (
    address_header,
    filename_text,
    header_text,
    parameter_values,
    sender_header,
    text_subtype,
)
from community.core.mail.models import OutboxMessage, OutboxStatus
from community.core.models import utcnow
from community.extensions import db

log = logging.getLogger(__name__)

#: How long a worker may hold a claimed row before another worker may take it over.
CLAIM_LEASE = timedelta(minutes=10)
#: The longest wait between two tries: mail queued while the relay was down goes out within an
#: hour of its return (MAIL_MAX_ATTEMPTS sets how long an outage is waited out).
MAX_BACKOFF = timedelta(hours=1)


def backoff(attempts: int) -> timedelta:
    """Wait before attempt number `attempts + 1`: 1, 2, 4, 8 ... minutes, at most an hour."""
    return min(timedelta(minutes=2 ** max(attempts - 1, 0)), MAX_BACKOFF)


class MailPolicy(EmailPolicy):
    """email.policy.default, except that a header is never folded right after its name.

    CPython moves a value that is too long for the header's first line but fits a line of its
    own onto the next line ("Subject:" then " Olu Organizer invites you ..."), and readers then
    show it with a leading space. Such a header is written on one line instead; a subject
    (at most SUBJECT_MAX characters) stays well within the 998 a line may have.
    """

    def fold(self, name: str, value: str) -> str:
        return self._first_line_kept(EmailPolicy.fold, name, value)

    def fold_binary(self, name: str, value: str) -> bytes:
        return self._first_line_kept(EmailPolicy.fold_binary, name, value)

    def _first_line_kept(self, fold, name: str, value: str):
        folded = fold(self, name, value)
        empty_first_line = f"{name}:{self.linesep} "
        if folded[: len(empty_first_line)] in (empty_first_line, empty_first_line.encode()):
            return fold(self.clone(max_line_length=998), name, value)
        return folded


MAIL_POLICY = MailPolicy()


def build_email(message: OutboxMessage, sender: str) -> EmailMessage:
    """The email for an outbox row; every header value goes through core.mail.headers.

    :raises ValueError: (or another error) if the row cannot become an email, e.g. its
        address is broken or an attachment is not text; the row is then failed, not retried.
    """
    email = EmailMessage(policy=MAIL_POLICY)
    email["From"] = sender_header(sender)
    email["To"] = address_header(message.to_address)
    email["Subject"] = header_text(message.subject)
    email["Message-ID"] = header_text(message.message_id, limit=255)
    email["Date"] = format_datetime(message.created_at)
    email["Auto-Submitted"] = "auto-generated"
    if message.unsubscribe_url:
        # RFC 8058: mail clients show their own button, which POSTs List-Unsubscribe=One-Click.
        email["List-Unsubscribe"] = f"<{header_text(message.unsubscribe_url, limit=1000)}>"
        email["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    email.set_content(message.body_text)
    if message.body_html:
        email.add_alternative(message.body_html, subtype="html")
    for attachment in message.attachments or []:
        email.add_attachment(
            attachment["text"],
            subtype=text_subtype(attachment["mime"]),
            filename=filename_text(attachment["filename"]),
            params=parameter_values(attachment.get("params")),
        )
    return email


class Transport(Protocol):
    def __enter__(self) -> Transport: ...
    def __exit__(self, *exc) -> None: ...
    def send(self, email: EmailMessage) -> None: ...


class SMTPTransport:
    """One SMTP connection for a batch; opened lazily so an outage fails each send cleanly."""

    def __init__(self, config) -> None:
        self.config = config
        self.connection: smtplib.SMTP | None = None

    def __enter__(self) -> SMTPTransport:
        return self

    def _connect(self) -> smtplib.SMTP:
        c = self.config
        if c["MAIL_USE_SSL"]:
            connection: smtplib.SMTP = smtplib.SMTP_SSL(
                c["MAIL_SERVER"],
                c["MAIL_PORT"],
                timeout=c["MAIL_TIMEOUT"],
                context=ssl.create_default_context(),
            )
        else:
            connection = smtplib.SMTP(c["MAIL_SERVER"], c["MAIL_PORT"], timeout=c["MAIL_TIMEOUT"])
            if c["MAIL_USE_TLS"]:
                connection.starttls(context=ssl.create_default_context())
        if c["MAIL_USERNAME"]:
            connection.login(c["MAIL_USERNAME"], c["MAIL_PASSWORD"] or "")
        return connection

    def send(self, email: EmailMessage) -> None:
        if self.connection is None:
            self.connection = self._connect()
        try:
            self.connection.send_message(email)
        except (smtplib.SMTPRecipientsRefused, smtplib.SMTPResponseException):
            raise  # the server answered and smtplib reset the transaction: the connection is fine
        except BaseException:
            # Disconnected, timed out, or failed half-way: start the next message afresh.
            connection, self.connection = self.connection, None
            connection.close()
            raise

    def __exit__(self, *exc) -> None:
        if self.connection is not None:
            try:
                self.connection.quit()
            except (smtplib.SMTPException, OSError):
                pass


class FileTransport:
    """Development delivery: each email becomes an .eml file a newcomer can open."""

    def __init__(self, directory: str) -> None:
        self.directory = Path(directory)

    def __enter__(self) -> FileTransport:
        self.directory.mkdir(parents=True, exist_ok=True)
        return self

    def send(self, email: EmailMessage) -> None:
        stamp = utcnow().strftime("%Y%m%d-%H%M%S")
        name = re.sub(r"[^A-Za-z0-9._-]", "_", email["Message-ID"].strip("<>").split("@")[0])
        path = self.directory / f"{stamp}-{name}.eml"
        path.write_bytes(bytes(email))
        log.info("Mail to %s, %r, written to %s", email["To"], email["Subject"], path)

    def __exit__(self, *exc) -> None:
        pass


def transport_for(config) -> Transport:
    if config["MAIL_SERVER"]:
        return SMTPTransport(config)
    return FileTransport(config["MAIL_FILE_DIR"])


@dataclass
class DeliveryReport:
    sent: list[int] = field(default_factory=list)
    retrying: list[int] = field(default_factory=list)
    failed: list[int] = field(default_factory=list)

    def __str__(self) -> str:
        return f"{len(self.sent)} sent, {len(self.retrying)} to retry, {len(self.failed)} failed"


def claim_due(now: datetime, limit: int) -> list[int]:
    """Claim up to `limit` due rows for this worker and commit the claim."""
    candidates = db.session.scalars(
        select(OutboxMessage.id)
        .where(OutboxMessage.status == OutboxStatus.PENDING, OutboxMessage.next_attempt_at <= now)
        .where(or_(OutboxMessage.claimed_until.is_(None), OutboxMessage.claimed_until < now))
        .order_by(OutboxMessage.id)
        .limit(limit)
    ).all()
    claimed = []
    for message_id in candidates:
        result = db.session.execute(
            update(OutboxMessage)
            .where(
                OutboxMessage.id == message_id,
                OutboxMessage.status == OutboxStatus.PENDING,
                or_(OutboxMessage.claimed_until.is_(None), OutboxMessage.claimed_until < now),
            )
            .values(claimed_until=now + CLAIM_LEASE)
        )
        if result.rowcount == 1:
            claimed.append(message_id)
    db.session.commit()
    return claimed


def is_permanent(error: BaseException) -> bool:
    """Whether retrying cannot help: anything but a transport error (the row cannot become an
    email), or a 5xx refusal of this recipient or this message. A refused sender or a failed
    log-in is about our settings, not the message, so it is retried like an outage."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _ in error.recipients.values()]
        return bool(codes) and all(code >= 500 for code in codes)
    if isinstance(error, smtplib.SMTPDataError):
        return error.smtp_code >= 500
    return not isinstance(error, smtplib.SMTPException | OSError)


def _deliver_one(
    message: OutboxMessage, transport: Transport, sender: str, now: datetime, report: DeliveryReport
) -> None:
    """Send one row and record the outcome on it; never raises for a problem of this message."""
    message.attempts += 1
    message.claimed_until = None
    try:
        transport.send(build_email(message, sender))
    except Exception as error:
        message.last_error = f"{type(error).__name__}: {error}"[:2000]
        if is_permanent(error):
            message.status = OutboxStatus.FAILED
            report.failed.append(message.id)
            if isinstance(error, smtplib.SMTPException):
                log.error("Mail %s to %s refused by the server: %s", message.id, message.to_address, error)
            else:
                log.exception("Mail %s (%s) cannot be built or sent; marked failed", message.id, message.kind)
        elif message.attempts >= current_app.config["MAIL_MAX_ATTEMPTS"]:
            message.status = OutboxStatus.FAILED
            report.failed.append(message.id)
            log.error("Giving up on mail %s to %s: %s", message.id, message.to_address, error)
        else:
            message.next_attempt_at = now + backoff(message.attempts)
            report.retrying.append(message.id)
            log.warning("Mail %s to %s not sent, will retry: %s", message.id, message.to_address, error)
    else:
        message.status = OutboxStatus.SENT
        message.sent_at = utcnow()
        message.last_error = None
        report.sent.append(message.id)


def deliver_due(now: datetime | None = None, limit: int = 200) -> DeliveryReport:
    """Send the due outbox rows once each; commits after every message.

    A message that cannot be built or is refused for good is marked failed at once, and the
    run goes on with the next one. Only problems of the whole run escape: a sender setting
    that is not an address (checked before any row is claimed) or a database error.
    """
    now = now or utcnow()
    config = current_app.config
    sender = config["MAIL_DEFAULT_SENDER"]
    sender_header(sender)  # a broken setting is ours to fix, not a reason to fail every row
    report = DeliveryReport()
    claimed = claim_due(now, limit)
    if not claimed:
        return report
    with transport_for(config) as transport:
        for message_id in claimed:
            message = db.session.get(OutboxMessage, message_id)
            if message is None:
                continue
            _deliver_one(message, transport, sender, now, report)
            db.session.commit()
    return report
