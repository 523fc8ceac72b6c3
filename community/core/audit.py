"""The organizers' audit log: what each organizer did in a community, for the others to see.

Every feature that acts for organizers writes here (communities, events, RSVPs), so the log
lives in core. It names rows of higher features only by table ("community", "user_account"):
the writer takes anything with an `id`, and the log shows only the people's names.
"""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from community.core.models import UTCDateTime, utcnow
from community.extensions import db


class _Row(Protocol):
    id: int


class _Person(Protocol):
    """What the log reads of an account (auth's User)."""

    id: int
    name: str


class AuditEntry(db.Model):
    """Something an organizer did, kept for the other organizers to see."""

    __tablename__ = "audit_entry"
    __table_args__ = (Index("ix_audit_entry_community_created", "community_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("community.id", ondelete="CASCADE"))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    #: A short verb, e.g. "member.approved", "member.promoted", "invitation.sent".
    action: Mapped[str] = mapped_column(String(40))
    subject_user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    detail: Mapped[str] = mapped_column(String(500), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    actor: Mapped[_Person | None] = relationship("User", foreign_keys=[actor_id])
    subject: Mapped[_Person | None] = relationship("User", foreign_keys=[subject_user_id])

    def __repr__(self) -> str:
        return f"<AuditEntry {self.id} {self.action}>"


def record(
    community: _Row, actor: _Row | None, action: str, *, subject: _Row | None = None, detail: str = ""
) -> AuditEntry:
    """Add an entry to `community`'s log (flushed with the caller's next flush)."""
    entry = AuditEntry(
        community_id=community.id,
        actor_id=actor.id if actor is not None else None,
        action=action,
        subject_user_id=subject.id if subject is not None else None,
        detail=detail[:500],
    )
    db.session.add(entry)
    return entry
