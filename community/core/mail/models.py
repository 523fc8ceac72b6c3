"""The outbox table: one row per email to send."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from community.core.models import UTCDateTime, enum_column, utcnow
from community.extensions import db


class OutboxStatus(enum.StrEnum):
    PENDING = "pending"
    SENT = "sent"
    FAILED = "failed"  # gave up after MAIL_MAX_ATTEMPTS; kept for the admin to see


class OutboxMessage(db.Model):
    __tablename__ = "outbox_message"
    __table_args__ = (
        Index("ix_outbox_message_due", "status", "next_attempt_at"),
        # Counting what one account or one community sent lately (see quota.py).
        Index("ix_outbox_message_sender_recent", "sender_id", "created_at"),
        Index("ix_outbox_message_community_recent", "community_id", "created_at"),
        CheckConstraint("attempts >= 0", name="attempts_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: The Message-ID header, fixed when queued so that a retried delivery is the same message.
    message_id: Mapped[str] = mapped_column(String(255), unique=True)
    to_address: Mapped[str] = mapped_column(String(320))
    subject: Mapped[str] = mapped_column(String(300))
    body_text: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str | None] = mapped_column(Text)
    #: Text attachments, e.g. a calendar invitation:
    #: [{"filename": "invite.ics", "mime": "text/calendar", "params": {"method": "REQUEST"}, "text": "..."}]
    attachments: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    #: A short label of what caused the email (e.g. "auth.verify"), for logs and tests.
    kind: Mapped[str] = mapped_column(String(60), index=True)
    #: The account whose action sent this email to someone else (an invitation, a message to
    #: attendees), and the community it was sent in; None for mail the site sends on its own.
    #: Plain ids, not foreign keys: they only count against the sending limits in quota.py.
    sender_id: Mapped[int | None] = mapped_column()
    community_id: Mapped[int | None] = mapped_column()
    status: Mapped[OutboxStatus] = mapped_column(
        enum_column(OutboxStatus),
        default=OutboxStatus.PENDING,
    )
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: Set while a worker is delivering the row, so that no other worker takes it.
    claimed_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str | None] = mapped_column(Text)
    #: Where the person stops this kind of email without logging in (a signed link); set on
    #: every non-transactional email, it becomes the List-Unsubscribe header (RFC 8058).
    unsubscribe_url: Mapped[str | None] = mapped_column(String(1000))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    def __repr__(self) -> str:
        return f"<OutboxMessage {self.id} {self.kind} to={self.to_address} {self.status}>"


class EmailOptOut(db.Model):
    """A kind of non-transactional email (e.g. "reminders") that a person switched off."""

    __tablename__ = "email_opt_out"
    __table_args__ = ({"info": {"erase_with_user": "user_id"}},)

    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), primary_key=True)
    kind: Mapped[str] = mapped_column(String(40), primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    def __repr__(self) -> str:
        return f"<EmailOptOut {self.user_id} {self.kind}>"
