"""People who can log in."""

from __future__ import annotations

from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import Index, String, select
from sqlalchemy.orm import Mapped, mapped_column

from community.core.models import TimestampMixin, UTCDateTime
from community.extensions import db

DELETED_NAME = "Former member"


class User(UserMixin, TimestampMixin, db.Model):
    __tablename__ = "user_account"  # "user" is a reserved word in PostgreSQL
    __table_args__ = (
        # Lists sorted by name (the member directory) can walk people in order and stop early.
        Index("ix_user_account_name_id", "name", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Always stored lower-cased, so uniqueness ignores case.
    email: Mapped[str] = mapped_column(String(320), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    password_hash: Mapped[str] = mapped_column(String(255))
    email_verified_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    is_admin: Mapped[bool] = mapped_column(default=False)
    #: Part of the session id: raising it logs the account out everywhere (password change).
    session_version: Mapped[int] = mapped_column(default=1)
    last_seen_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: Set when the person deleted their account; the row stays, anonymous, for others' records.
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    def __repr__(self) -> str:
        return f"<User {self.id} {self.email}>"

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive users
        return self.deleted_at is None

    @property
    def is_verified(self) -> bool:
        return self.email_verified_at is not None

    def get_id(self) -> str:
        return f"{self.id}:{self.session_version}"

    @classmethod
    def from_session_id(cls, session_id: str) -> User | None:
        """The user a session or remember cookie names, if that session is still valid."""
        user_id, _, version = session_id.partition(":")
        if not (user_id.isdigit() and version.isdigit()):
            return None
        return db.session.scalar(
            select(cls).where(
                cls.id == int(user_id),
                cls.session_version == int(version),
                cls.deleted_at.is_(None),
            )
        )
