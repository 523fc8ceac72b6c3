"""People who can log in, and the devices they are logged in on."""

from __future__ import annotations

import hashlib
import re
from datetime import datetime
from functools import cache

from flask import current_app
from flask_login import UserMixin
from sqlalchemy import ForeignKey, Index, Select, String, bindparam, select
from sqlalchemy.orm import Mapped, mapped_column

from community.core.models import TimestampMixin, UTCDateTime, utcnow
from community.extensions import db

DELETED_NAME = "Former member"

#: "<user id>:<session_version>:<session token>", as issued by User.get_id(). Digits are ASCII
#: and bounded, so a value never overflows an integer column.
SESSION_ID = re.compile(r"([0-9]{1,18}):([0-9]{1,9}):([A-Za-z0-9_-]{20,100})")


def hash_session_token(token: str) -> str:
    """What the database keeps of a session token: a copy of the table opens no session."""
    return hashlib.sha256(token.encode()).hexdigest()


def session_cutoff() -> datetime:
    """Sessions started before this have expired: a log-in lasts at most as long as the
    remember-me cookie, so a copied cookie stops working then even if never logged out."""
    return utcnow() - current_app.config["REMEMBER_COOKIE_DURATION"]


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
    #: Set while a site administrator has suspended the account: it cannot log in, its sessions
    #: are ended, and others see nothing of it (admin.services.suspend_user).
    suspended_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    #: Why, as the administrator wrote it; seen only on the admin screens.
    suspension_reason: Mapped[str | None] = mapped_column(String(500))

    #: The token of the session this request runs in: set at log-in and by from_session_id.
    #: Not a column (no annotation, so the mapper leaves it alone).
    session_token = None

    def __repr__(self) -> str:
        return f"<User {self.id} {self.email}>"

    # UserMixin compares get_id(), which now carries a per-device token: compare the account.
    def __eq__(self, other: object) -> bool:
        if not isinstance(other, User):
            return NotImplemented
        return self is other or (self.id is not None and self.id == other.id)

    __hash__ = object.__hash__

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive users
        return self.deleted_at is None and self.suspended_at is None

    @property
    def is_suspended(self) -> bool:
        return self.suspended_at is not None

    @property
    def is_verified(self) -> bool:
        return self.email_verified_at is not None

    def get_id(self) -> str:
        """What the session and remember-me cookies carry: account, version and device token."""
        if self.session_token is None:
            raise RuntimeError("log in through auth.services.start_session, which issues the token")
        return f"{self.id}:{self.session_version}:{self.session_token}"

    @classmethod
    def from_session_id(cls, session_id: str) -> User | None:
        """The user a session or remember cookie names, if that session is still valid:
        its record exists, belongs to the user, is not revoked or expired, and the account's
        session_version matches. One query (see `session_statement`)."""
        found = cls.session_parameters(session_id)
        if found is None:
            return None
        parameters, token = found
        user = db.session.scalar(cls.session_statement(), parameters)
        if user is not None:
            user.session_token = token
        return user

    @classmethod
    def session_parameters(cls, session_id: str) -> tuple[dict, str] | None:
        """(the parameters of `session_statement` for this id, its token), or None for an id
        that cannot be valid (which includes ids from before sessions had records)."""
        match = SESSION_ID.fullmatch(session_id)
        if match is None:
            return None
        user_id, version, token = match.groups()
        parameters = {
            "user_id": int(user_id),
            "session_version": int(version),
            "token_hash": hash_session_token(token),
            "cutoff": session_cutoff(),
        }
        return parameters, token

    @staticmethod
    @cache
    def session_statement() -> Select:
        """The user of a valid session, given `session_parameters`; callers may join more to
        it (memberships). Built once: building it took longer than running it, on every
        signed-in request."""
        return (
            select(User)
            .join(UserSession, UserSession.user_id == User.id)
            .where(
                User.id == bindparam("user_id"),
                User.session_version == bindparam("session_version"),
                User.deleted_at.is_(None),
                User.suspended_at.is_(None),
                UserSession.token_hash == bindparam("token_hash"),
                UserSession.revoked_at.is_(None),
                UserSession.created_at > bindparam("cutoff", type_=UTCDateTime),
            )
        )


class UserSession(db.Model):
    """One log-in on one device. Its token is in that device's session and remember-me
    cookies; logging out revokes the record, so a copy of either cookie stops working too."""

    __tablename__ = "user_session"
    __table_args__ = ({"info": {"erase_with_user": "user_id"}},)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    #: SHA-256 of the token; the token itself is only in the cookies.
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    #: The browser that logged in, shortened: helps a person recognise their devices.
    user_agent: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    def __repr__(self) -> str:
        return f"<UserSession {self.id} user={self.user_id}>"
