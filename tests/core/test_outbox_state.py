"""What /healthz and the administration page say about the outbox."""

from __future__ import annotations

from datetime import timedelta
from email.utils import make_msgid

from community.core.mail.models import OutboxMessage, OutboxStatus
from community.core.mail.queue_state import outbox_state
from community.core.models import utcnow
from community.extensions import db as _db


def test_an_empty_outbox_has_nothing_waiting(db):
    state = outbox_state()
    assert (state.pending, state.retrying, state.failed) == (0, 0, 0)
    assert state.oldest_pending_age() is None


def test_the_state_counts_waiting_retrying_and_failed_mail_and_ages_the_oldest(db):
    now = utcnow()
    old, retried, failed, sent = (
        OutboxMessage(
            message_id=make_msgid(domain="example.org"),
            to_address=f"p{n}@example.org",
            subject="Hello",
            body_text="Hi",
            kind="test.raw",
        )
        for n in range(4)
    )
    _db.session.add_all([old, retried, failed, sent])
    old.created_at = now - timedelta(hours=3)
    retried.attempts = 2
    failed.status, failed.attempts = OutboxStatus.FAILED, 8
    sent.status, sent.created_at = OutboxStatus.SENT, now - timedelta(days=2)
    _db.session.commit()

    state = outbox_state()
    assert (state.pending, state.retrying, state.failed) == (2, 1, 1)
    assert abs(state.oldest_pending_age(now) - timedelta(hours=3)) < timedelta(seconds=1)
