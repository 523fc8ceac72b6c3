"""What /healthz and the administration page say about the outbox."""

from __future__ import annotations

from datetime import timedelta

from community.core.mail.models import OutboxStatus
from community.core.mail.queue_state import outbox_state
from community.core.models import utcnow
from tests.factories import create_outbox_message


def test_an_empty_outbox_has_nothing_waiting(db):
    state = outbox_state()
    assert (state.pending, state.retrying, state.failed) == (0, 0, 0)
    assert state.oldest_pending_age() is None


def test_the_state_counts_waiting_retrying_and_failed_mail_and_ages_the_oldest(db):
    now = utcnow()
    create_outbox_message(created_at=now - timedelta(hours=3))
    create_outbox_message(attempts=2)
    create_outbox_message(status=OutboxStatus.FAILED, attempts=8)
    create_outbox_message(status=OutboxStatus.SENT, created_at=now - timedelta(days=2))

    state = outbox_state()
    assert (state.pending, state.retrying, state.failed) == (2, 1, 1)
    assert abs(state.oldest_pending_age(now) - timedelta(hours=3)) < timedelta(seconds=1)
