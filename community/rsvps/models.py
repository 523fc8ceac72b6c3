"""RSVPs: one person's answer to one event, and where it stands."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, UniqueConstraint, inspect, select
from sqlalchemy.orm import Mapped, mapped_column, relationship

from community.core import page_versions
from community.core.models import TimestampMixin, UTCDateTime, enum_column, utcnow
from community.events.models import Event
from community.extensions import db

if TYPE_CHECKING:
    from community.auth.models import User


class RSVPStatus(enum.StrEnum):
    GOING = "going"
    WAITLISTED = "waitlisted"
    OFFERED = "offered"  # a freed seat held for them until offer_expires_at
    PENDING = "pending"  # waiting for an organizer's approval
    NOT_GOING = "not_going"
    DECLINED = "declined"  # an organizer said no


class RSVP(TimestampMixin, db.Model):
    __tablename__ = "rsvp"
    __table_args__ = (
        UniqueConstraint("event_id", "user_id"),
        CheckConstraint("guests >= 0", name="guests_not_negative"),
        Index("ix_rsvp_event_status_queue", "event_id", "status", "queued_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"))
    #: Kept when the account is deleted (the user row stays, anonymised) so counts hold.
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    status: Mapped[RSVPStatus] = mapped_column(enum_column(RSVPStatus))
    guests: Mapped[int] = mapped_column(default=0)
    #: Whether they agreed to appear in "who's going".
    listed: Mapped[bool] = mapped_column(default=True)
    #: Question id (as text) -> answer.
    answers: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    #: Place in the waitlist: the time they asked for a seat.
    queued_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    offer_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    checked_in_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reminder_sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    event: Mapped[Event] = relationship()
    user: Mapped[User] = relationship()

    def __repr__(self) -> str:
        return f"<RSVP {self.id} user={self.user_id} event={self.event_id} {self.status}>"

    @property
    def seats(self) -> int:
        return 1 + self.guests


# Seats left and who's going are on visitors' pages; reminders sent are not (core.page_versions).
def _community_of(rsvp: RSVP):
    """Its event's community: from the event already loaded (services lock it first), else asked."""
    event = inspect(rsvp).attrs.event.loaded_value
    if isinstance(event, Event) and event.id == rsvp.event_id:
        return event.community_id
    return select(Event.community_id).where(Event.id == rsvp.event_id)


page_versions.watch(
    RSVP,
    _community_of,
    attributes=("event_id", "user_id", "status", "guests", "listed", "checked_in_at"),
)
