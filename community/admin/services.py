"""What site administrators do: suspend and restore accounts and communities, retry mail.

Each action writes one row to the admin audit log in the same transaction, and flushes.
"""

from __future__ import annotations

from sqlalchemy import func, select

from community.admin.models import AdminAction, AdminAuditEntry
from community.auth.models import User
from community.auth.services import end_sessions
from community.communities.models import Community
from community.core.errors import DomainError
from community.core.mail.models import OutboxMessage
from community.core.mail.services import retry_all_failed, retry_failed
from community.core.models import utcnow
from community.extensions import db


class AdminError(DomainError):
    """An admin action that cannot be done as asked."""


def record(
    actor: User,
    action: str,
    *,
    subject: User | None = None,
    community: Community | None = None,
    reason: str = "",
    detail: str = "",
) -> AdminAuditEntry:
    entry = AdminAuditEntry(
        actor_id=actor.id,
        action=action,
        subject_user_id=subject.id if subject is not None else None,
        community_id=community.id if community is not None else None,
        reason=reason,
        detail=detail[:500],
    )
    db.session.add(entry)
    db.session.flush()
    return entry


def _active_admins() -> int:
    return (
        db.session.scalar(
            select(func.count(User.id)).where(
                User.is_admin.is_(True), User.deleted_at.is_(None), User.suspended_at.is_(None)
            )
        )
        or 0
    )


def suspend_user(actor: User, user: User, *, reason: str) -> None:
    """Suspend an account: it cannot log in, every session it has ends now (the session id names
    the old version, and each record is revoked), and others see nothing of it.

    :raises AdminError: for one's own account, the last active administrator, a deleted account
        or one already suspended.
    """
    if user.deleted_at is not None:
        raise AdminError("That account was deleted: there is nothing to suspend.")
    if user.is_suspended:
        raise AdminError(f"{user.name}'s account is already suspended.")
    if user.id == actor.id:
        raise AdminError("You cannot suspend your own account.")
    if user.is_admin and _active_admins() <= 1:
        raise AdminError("That is the last active site administrator: the site would have none.")
    user.suspended_at = utcnow()
    user.suspension_reason = reason
    user.session_version += 1
    end_sessions(user)
    record(actor, AdminAction.SUSPEND_USER, subject=user, reason=reason)


def restore_user(actor: User, user: User, *, reason: str = "") -> None:
    """Lift a suspension: the person can log in again (their old sessions stay ended).

    :raises AdminError: when the account is not suspended.
    """
    if not user.is_suspended:
        raise AdminError(f"{user.name}'s account is not suspended.")
    user.suspended_at = None
    user.suspension_reason = None
    record(actor, AdminAction.RESTORE_USER, subject=user, reason=reason)


def suspend_community(actor: User, community: Community, *, reason: str) -> None:
    """Suspend a community: its pages say so, its feeds answer 410, it leaves the lists. The
    change raises its page version (Community is watched), so no stored page survives it.

    :raises AdminError: when it is already suspended.
    """
    if community.is_suspended:
        raise AdminError(f"{community.name} is already suspended.")
    community.suspended_at = utcnow()
    community.suspension_reason = reason
    record(actor, AdminAction.SUSPEND_COMMUNITY, community=community, reason=reason)


def restore_community(actor: User, community: Community, *, reason: str = "") -> None:
    """:raises AdminError: when the community is not suspended."""
    if not community.is_suspended:
        raise AdminError(f"{community.name} is not suspended.")
    community.suspended_at = None
    community.suspension_reason = None
    record(actor, AdminAction.RESTORE_COMMUNITY, community=community, reason=reason)


def retry_mail(actor: User, message_id: int) -> None:
    """Put one failed email back in the queue. :raises MailError: when it has not failed."""
    message = db.session.get(OutboxMessage, message_id)
    retry_failed(message_id)
    record(actor, AdminAction.RETRY_MAIL, detail=f"“{message.subject}” to {message.to_address}")


def retry_all_mail(actor: User) -> int:
    """Put every failed email back in the queue; returns how many (recorded only when some)."""
    count = retry_all_failed()
    if count:
        record(actor, AdminAction.RETRY_ALL_MAIL, detail=str(count))
    return count
