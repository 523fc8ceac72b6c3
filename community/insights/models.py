"""What the Insights page writes: the invitations organizers send to members drifting away."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from community.core.models import UTCDateTime, utcnow
from community.extensions import db


class DriftInvitation(db.Model):
    """ "Invite to <next event>" sent to a member drifting away: at most one per member per event
    (the unique constraint is what makes a double click send one email)."""

    __tablename__ = "drift_invitation"
    __table_args__ = (UniqueConstraint("event_id", "user_id"), {"info": {"erase_with_user": "user_id"}})

    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("community.id", ondelete="CASCADE"), index=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    invited_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    def __repr__(self) -> str:
        return f"<DriftInvitation {self.user_id} to {self.event_id}>"
