"""Figures for the site administration page."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

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


#: How many failed emails the admin page lists; the rest are counted.
FAILED_SHOWN = 50


@dataclass(frozen=True)
class FailedMail:
    messages: list[OutboxMessage]
    total: int

    @property
    def more(self) -> int:
        return self.total - len(self.messages)


def failed_mail(limit: int = FAILED_SHOWN) -> FailedMail:
    """The newest failed emails, and how many have failed in all."""
    failed = OutboxMessage.status == OutboxStatus.FAILED
    messages = db.session.scalars(
        select(OutboxMessage).where(failed).order_by(OutboxMessage.id.desc()).limit(limit)
    ).all()
    total = db.session.scalar(select(func.count(OutboxMessage.id)).where(failed)) or 0
    return FailedMail(messages=list(messages), total=total)


def waited(age: timedelta) -> str:
    """How long an email has waited, as the dashboard says it: "3 h 10 min", "2 d 4 h"."""
    minutes = int(age.total_seconds() // 60)
    if minutes < 1:
        return "less than a minute"
    days, minutes = divmod(minutes, 24 * 60)
    hours, minutes = divmod(minutes, 60)
    if days:
        return f"{days} d {hours} h"
    return f"{hours} h {minutes} min" if hours else f"{minutes} min"
