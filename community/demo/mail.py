"""Demo mail: one message the mail server refused, so /admin/ shows a failed email and its Retry button."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from community.core.mail.models import OutboxMessage, OutboxStatus
from community.core.models import utcnow
from community.extensions import db

FAILED_MESSAGE_ID = "<demo-refused-invitation@roundtable.localhost>"


def load_demo_mail() -> int:
    """Add the refused invitation once; returns how many rows were added."""
    if db.session.scalar(select(OutboxMessage.id).where(OutboxMessage.message_id == FAILED_MESSAGE_ID)):
        return 0
    queued = utcnow() - timedelta(hours=3)
    db.session.add(
        OutboxMessage(
            message_id=FAILED_MESSAGE_ID,
            to_address="old.address@example.net",
            subject="Olu Organizer invites you to join Northfield University Alumni Association",
            body_text="Hello,\n\nOlu Organizer invites you to join the Northfield alumni on Roundtable.\n",
            kind="communities.invitation",
            status=OutboxStatus.FAILED,
            attempts=1,
            created_at=queued,
            next_attempt_at=queued,
            last_error=(
                "SMTPRecipientsRefused: {'old.address@example.net': (550, b'5.1.1 Mailbox does not exist')}"
            ),
        )
    )
    return 1
