"""The site administrators' audit log: one row for every admin action, read as sentences."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from community.auth.models import User
from community.communities.models import Community
from community.core.models import UTCDateTime, utcnow
from community.extensions import db


class AdminAction:
    """What `AdminAuditEntry.action` holds."""

    SUSPEND_USER = "user.suspended"
    RESTORE_USER = "user.restored"
    SUSPEND_COMMUNITY = "community.suspended"
    RESTORE_COMMUNITY = "community.restored"
    RETRY_MAIL = "mail.retried"
    RETRY_ALL_MAIL = "mail.retried-all"


class AdminAuditEntry(db.Model):
    """Something a site administrator did: who, what, to whom or which community, why, when."""

    __tablename__ = "admin_audit_entry"
    __table_args__ = (Index("ix_admin_audit_entry_created_id", "created_at", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    action: Mapped[str] = mapped_column(String(40))
    subject_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"), index=True
    )
    community_id: Mapped[int | None] = mapped_column(
        ForeignKey("community.id", ondelete="SET NULL"), index=True
    )
    #: The reason the administrator gave (suspensions), or "" when none was asked.
    reason: Mapped[str] = mapped_column(String(500), default="")
    #: What else the sentence needs: the email retried ("Reset your password" to a@b.org), a count.
    detail: Mapped[str] = mapped_column(String(500), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    actor: Mapped[User | None] = relationship(foreign_keys=[actor_id])
    subject: Mapped[User | None] = relationship(foreign_keys=[subject_user_id])
    community: Mapped[Community | None] = relationship()

    def __repr__(self) -> str:
        return f"<AdminAuditEntry {self.id} {self.action}>"
