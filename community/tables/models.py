"""Table plans: who sits at which table in each round of an event, kept with their quality
report. An event keeps every plan made for it (older ones can be restored); one is current,
and attendees see it only once it is published."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index
from sqlalchemy.orm import Mapped, mapped_column, relationship

from community.core.models import UTCDateTime, enum_column, utcnow
from community.extensions import db

if TYPE_CHECKING:
    from community.auth.models import User
    from community.events.models import Event


class Seated(enum.StrEnum):
    GOING = "going"  # everyone going, with their guests
    CHECKED_IN = "checked_in"  # only those checked in (a plan made at the door)


class TablePlan(db.Model):
    """One plan for one event: its settings, its tables' names and its report."""

    __tablename__ = "table_plan"
    __table_args__ = (
        CheckConstraint("rounds BETWEEN 1 AND 8", name="rounds_in_range"),
        Index("ix_table_plan_event_current", "event_id", "is_current"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), index=True)
    table_size: Mapped[int | None] = mapped_column()
    table_count: Mapped[int | None] = mapped_column()
    rounds: Mapped[int] = mapped_column()
    seated: Mapped[Seated] = mapped_column(enum_column(Seated), default=Seated.GOING)
    seed: Mapped[int] = mapped_column(default=0)
    #: Rounds before this one were kept from the plan it replaced ("Re-plan from round N").
    kept_rounds: Mapped[int] = mapped_column(default=0)
    table_names: Mapped[list[str]] = mapped_column(JSON, default=list)
    report: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    #: The organizer's pins, kept for every re-plan: {"pins": [[person, round, table]],
    #: "together": [[a, b]], "apart": [[a, b]]} (planner ids; rounds and tables from 1).
    constraints: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    is_current: Mapped[bool] = mapped_column(default=False)

    event: Mapped[Event] = relationship()
    created_by: Mapped[User | None] = relationship()
    seats: Mapped[list[TableSeat]] = relationship(
        back_populates="plan",
        cascade="all, delete-orphan",
        order_by="(TableSeat.round, TableSeat.table, TableSeat.id)",
    )


class TableSeat(db.Model):
    """One person (or one guest of a person) at one table in one round; rounds and tables
    count from 0. A guest's row has no user_id but the host's guest_of_id and a number."""

    __tablename__ = "table_seat"
    __table_args__ = (
        CheckConstraint("(user_id IS NULL) <> (guest_of_id IS NULL)", name="person_or_guest"),
        Index("ix_table_seat_plan_round", "plan_id", "round", "table"),
        Index("ix_table_seat_user", "user_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("table_plan.id", ondelete="CASCADE"))
    round: Mapped[int] = mapped_column()
    table: Mapped[int] = mapped_column()
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    guest_of_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    guest_number: Mapped[int] = mapped_column(default=0)

    plan: Mapped[TablePlan] = relationship(back_populates="seats")
    user: Mapped[User | None] = relationship(foreign_keys=[user_id])
    guest_of: Mapped[User | None] = relationship(foreign_keys=[guest_of_id])

    @property
    def key(self) -> str:
        """The planner's id for this seat's person: "12" for user 12, "12+1" for their first guest."""
        return str(self.user_id) if self.user_id is not None else f"{self.guest_of_id}+{self.guest_number}"
