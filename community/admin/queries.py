"""Figures for the site administration page."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from community.auth.models import User
from community.core.mail.models import OutboxMessage, OutboxStatus
from community.extensions import db


@dataclass(frozen=True)
class SiteFigures:
    accounts: int
    verified_accounts: int
    mail_by_status: dict[str, int]


def site_figures() -> SiteFigures:
    accounts, verified = db.session.execute(
        select(func.count(User.id), func.count(User.email_verified_at)).where(User.deleted_at.is_(None))
    ).one()
    by_status = dict(
        db.session.execute(
            select(OutboxMessage.status, func.count(OutboxMessage.id)).group_by(OutboxMessage.status)
        ).all()
    )
    return SiteFigures(
        accounts=accounts,
        verified_accounts=verified,
        mail_by_status={status.value: by_status.get(status, 0) for status in OutboxStatus},
    )


def recent_failed_mail(limit: int = 20) -> list[OutboxMessage]:
    return list(
        db.session.scalars(
            select(OutboxMessage)
            .where(OutboxMessage.status == OutboxStatus.FAILED)
            .order_by(OutboxMessage.id.desc())
            .limit(limit)
        )
    )
