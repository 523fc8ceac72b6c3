"""Limits on the email that people's actions send to others.

An invitation or a message to attendees is mail a member makes the site send to other
people, with words that member chose. Only confirmed accounts may do it, and only so much:
per account per hour and per community per day, counted from the outbox itself (rolling
windows), with the numbers in the app config so a self-hoster can change them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Protocol

from flask import current_app
from sqlalchemy import func, select

from community.core.errors import NotAllowed
from community.core.mail.models import OutboxMessage
from community.core.models import utcnow
from community.extensions import db


class Sender(Protocol):
    id: int

    @property
    def is_verified(self) -> bool: ...


class ConfirmEmailFirst(NotAllowed):
    """An unconfirmed account tried to send mail to other people."""


class MailLimitReached(NotAllowed):
    """Sending these emails would pass an account's or a community's limit."""


@dataclass(frozen=True)
class Budget:
    """One kind of mail people cause, and the config keys of its two limits."""

    noun: str  # "invitation emails"
    kinds: tuple[str, ...]
    per_account_hour: str
    per_community_day: str


INVITATIONS = Budget(
    "invitation emails",
    ("communities.invitation",),
    "INVITATIONS_PER_ACCOUNT_PER_HOUR",
    "INVITATIONS_PER_COMMUNITY_PER_DAY",
)
MESSAGES = Budget(
    "message emails",
    ("events.organizer-message", "tables.published"),  # organizers' messages, table plans
    "MESSAGES_PER_ACCOUNT_PER_HOUR",
    "MESSAGES_PER_COMMUNITY_PER_DAY",
)

CONFIRM_FIRST = (
    "Please confirm your email address first: we sent you a link when you signed up, "
    "and you can ask for a new one on your account page."
)


def require_confirmed(sender: Sender) -> None:
    """:raises ConfirmEmailFirst: unless the account's address is confirmed."""
    if not sender.is_verified:
        raise ConfirmEmailFirst(CONFIRM_FIRST)


def _sent_since(budget: Budget, column, value: int, hours: int) -> int:
    since = utcnow() - timedelta(hours=hours)
    return (
        db.session.scalar(
            select(func.count())
            .select_from(OutboxMessage)
            .where(column == value, OutboxMessage.kind.in_(budget.kinds), OutboxMessage.created_at >= since)
        )
        or 0
    )


def room_left(budget: Budget, sender: Sender, community_id: int) -> int:
    """How many more emails of this kind the sender may send in this community right now."""
    config = current_app.config
    by_account = config[budget.per_account_hour] - _sent_since(budget, OutboxMessage.sender_id, sender.id, 1)
    by_community = config[budget.per_community_day] - _sent_since(
        budget, OutboxMessage.community_id, community_id, 24
    )
    return max(0, min(by_account, by_community))


def charge(budget: Budget, messages: Sequence[OutboxMessage], *, sender: Sender, community_id: int) -> None:
    """Tag `messages` with who sent them where, if that stays within both limits.

    Call before the rows are added to the session. :raises ConfirmEmailFirst, MailLimitReached:
    """
    require_confirmed(sender)
    if not messages:
        return
    config = current_app.config
    account_limit, community_limit = config[budget.per_account_hour], config[budget.per_community_day]
    by_account = _sent_since(budget, OutboxMessage.sender_id, sender.id, 1)
    by_community = _sent_since(budget, OutboxMessage.community_id, community_id, 24)
    wanted = len(messages)
    if by_community + wanted > community_limit:
        raise MailLimitReached(
            f"That would send {wanted:,} {budget.noun}, but this community can send "
            f"{max(0, community_limit - by_community):,} more today (at most {community_limit:,} a day). "
            "Please send fewer now and the rest tomorrow."
        )
    if by_account + wanted > account_limit:
        raise MailLimitReached(
            f"That would send {wanted:,} {budget.noun}, but you can send "
            f"{max(0, account_limit - by_account):,} more this hour (at most {account_limit:,} an hour). "
            "Please send fewer now and the rest later."
        )
    for message in messages:
        message.sender_id = sender.id
        message.community_id = community_id
