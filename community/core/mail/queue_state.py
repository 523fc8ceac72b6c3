"""How the outbox is doing, in one statement: for /healthz and the site administration page."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select

from community.core.mail.models import OutboxMessage, OutboxStatus
from community.core.models import utcnow
from community.extensions import db


@dataclass(frozen=True)
class OutboxState:
    pending: int
    #: When the oldest email still waiting was queued (None when nothing waits).
    oldest_pending_at: datetime | None
    #: Emails waiting that have been tried and failed at least once (the relay refused or was down).
    retrying: int
    #: Emails given up on (kept for the administrator to retry).
    failed: int

    def oldest_pending_age(self, now: datetime | None = None) -> timedelta | None:
        if self.oldest_pending_at is None:
            return None
        return max((now or utcnow()) - self.oldest_pending_at, timedelta(0))


def outbox_state() -> OutboxState:
    pending = OutboxMessage.status == OutboxStatus.PENDING
    row = db.session.execute(
        select(
            func.count(OutboxMessage.id).filter(pending),
            func.min(OutboxMessage.created_at).filter(pending),
            func.count(OutboxMessage.id).filter(pending, OutboxMessage.attempts > 0),
            func.count(OutboxMessage.id).filter(OutboxMessage.status == OutboxStatus.FAILED),
        ).where(OutboxMessage.status != OutboxStatus.SENT)
    ).one()
    return OutboxState(pending=row[0], oldest_pending_at=row[1], retrying=row[2], failed=row[3])
