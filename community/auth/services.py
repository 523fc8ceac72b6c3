"""Account operations. Each flushes; the caller's transaction commits.

Nothing here says whether an email address has an account: where a flow could reveal it
(sign up, reset, change of email) the other party gets an email instead of an error.
"""

from __future__ import annotations

import secrets

from flask import url_for
from sqlalchemy import delete, func, or_, select, update

from community.auth.models import DELETED_NAME, User, UserSession, hash_session_token, session_cutoff
from community.auth.passwords import hash_password, needs_rehash, verify_password
from community.auth.tokens import (
    CHANGE_EMAIL_MAX_AGE,
    RESET_PASSWORD_MAX_AGE,
    VERIFY_EMAIL_MAX_AGE,
    make_token,
    password_fingerprint,
    read_token,
)
from community.core.errors import DomainError
from community.core.mail.services import queue_email
from community.core.models import utcnow
from community.extensions import db


class InvalidLink(DomainError):
    """A link from an email is forged, expired or already used."""


class WrongPassword(DomainError):
    """The password given to confirm an action is not the account's."""


class AccountSuspended(DomainError):
    """The right password for an account a site administrator has suspended."""


def normalise_email(email: str) -> str:
    return email.strip().lower()


def find_user_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == normalise_email(email)))


def _verification_link(user: User, next_url: str | None = None) -> str:
    token = make_token("verify-email", {"uid": user.id, "email": user.email})
    return url_for("auth.verify_email", token=token, next=next_url or None, _external=True)


def sign_up(*, name: str, email: str, password: str, next_url: str | None = None) -> User | None:
    """Create an account and email a verification link.

    If the address already has an account, nothing is created and its owner is told by
    email instead; returns None then, and the caller shows the same page either way.
    """
    # Hash before looking: a known address must cost the same time as a new one, or the
    # response time would tell which addresses have accounts.
    password_hash = hash_password(password)
    existing = find_user_by_email(email)
    if existing is not None:
        if existing.is_active:
            queue_email(
                to=existing.email,
                subject="Someone tried to sign up with your email",
                template="auth/already_registered",
                kind="auth.already-registered",
                user=existing,
                login_url=url_for("auth.login", _external=True),
                reset_url=url_for("auth.request_reset", _external=True),
            )
        return None
    user = User(name=name.strip(), email=normalise_email(email), password_hash=password_hash)
    db.session.add(user)
    db.session.flush()
    send_verification(user, next_url=next_url)
    return user


def send_verification(user: User, *, next_url: str | None = None) -> None:
    """Email a confirmation link; `next_url` (a path on this site) is where it lands afterwards."""
    queue_email(
        to=user.email,
        subject="Confirm your email address",
        template="auth/verify_email",
        kind="auth.verify-email",
        user=user,
        link=_verification_link(user, next_url),
    )


def verify_email(token: str) -> User:
    """Mark the address in `token` as verified. :raises InvalidLink:"""
    payload = read_token("verify-email", token, VERIFY_EMAIL_MAX_AGE)
    user = db.session.get(User, payload["uid"]) if payload else None
    if user is None or not user.is_active or user.email != payload.get("email"):
        raise InvalidLink("That confirmation link is not valid any more. Log in to get a new one.")
    if user.email_verified_at is None:
        user.email_verified_at = utcnow()
    db.session.flush()
    return user


def authenticate(email: str, password: str) -> User | None:
    """The active account with this email and password, or None (taking the same time).

    :raises AccountSuspended: for the right password of a suspended account: only someone who
        knows the password learns that it is suspended; anyone else sees a wrong password.
    """
    user = find_user_by_email(email)
    if user is None or user.deleted_at is not None:
        verify_password(None, password)
        return None
    if not verify_password(user.password_hash, password):
        return None
    if user.is_suspended:
        raise AccountSuspended("This account is suspended. Contact the site’s administrators.")
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    user.last_seen_at = utcnow()
    db.session.flush()
    return user


def request_password_reset(email: str) -> None:
    """Email a reset link if the address has an account; silently nothing otherwise."""
    user = find_user_by_email(email)
    if user is None or not user.is_active:
        return
    token = make_token("reset-password", {"uid": user.id, "pw": password_fingerprint(user.password_hash)})
    queue_email(
        to=user.email,
        subject="Reset your password",
        template="auth/reset_password",
        kind="auth.reset-password",
        user=user,
        link=url_for("auth.reset_password", token=token, _external=True),
    )


def user_for_reset_token(token: str) -> User:
    """The account a reset link is for. :raises InvalidLink: if expired, forged or used."""
    payload = read_token("reset-password", token, RESET_PASSWORD_MAX_AGE)
    user = db.session.get(User, payload["uid"]) if payload else None
    if user is None or not user.is_active or payload.get("pw") != password_fingerprint(user.password_hash):
        raise InvalidLink("That reset link has expired or has already been used. Please ask for a new one.")
    return user


def reset_password(token: str, new_password: str) -> User:
    """Set a new password from an emailed link; the link cannot be used again."""
    user = user_for_reset_token(token)
    _set_password(user, new_password)
    if user.email_verified_at is None:  # the link proved they read this inbox
        user.email_verified_at = utcnow()
    db.session.flush()
    return user


def _set_password(user: User, new_password: str) -> None:
    """A new password ends every session; the caller starts a fresh one for this device."""
    user.password_hash = hash_password(new_password)
    user.session_version += 1  # every session id issued so far names the old version
    end_sessions(user)


def change_password(user: User, *, current_password: str, new_password: str) -> None:
    if not verify_password(user.password_hash, current_password):
        raise WrongPassword("Your current password is not right.")
    _set_password(user, new_password)
    db.session.flush()


def request_email_change(user: User, *, password: str, new_email: str) -> None:
    """Send a confirmation link to the new address; the change happens when it is clicked."""
    if not verify_password(user.password_hash, password):
        raise WrongPassword("Your password is not right.")
    new_email = normalise_email(new_email)
    if new_email == user.email:
        raise DomainError("That is already your email address.")
    if find_user_by_email(new_email) is not None:
        queue_email(
            to=new_email,
            subject="Someone tried to move an account to this address",
            template="auth/email_taken",
            kind="auth.email-taken",
        )
        return
    token = make_token("change-email", {"uid": user.id, "email": new_email})
    queue_email(
        to=new_email,
        subject="Confirm your new email address",
        template="auth/change_email",
        kind="auth.change-email",
        user=user,
        link=url_for("auth.confirm_email_change", token=token, _external=True),
    )


def confirm_email_change(token: str) -> User:
    payload = read_token("change-email", token, CHANGE_EMAIL_MAX_AGE)
    user = db.session.get(User, payload["uid"]) if payload else None
    if user is None or not user.is_active:
        raise InvalidLink("That confirmation link is not valid any more.")
    new_email = payload["email"]
    if user.email == new_email:
        return user
    if find_user_by_email(new_email) is not None:
        raise DomainError("That address now belongs to another account, so it was not changed.")
    old_email = user.email
    user.email = new_email
    user.email_verified_at = utcnow()
    queue_email(
        to=old_email,
        subject="Your email address was changed",
        template="auth/email_changed",
        kind="auth.email-changed",
        user=user,
        new_email=new_email,
    )
    db.session.flush()
    return user


def delete_account(user: User, *, password: str) -> None:
    """Erase personal data; the row stays as an anonymous former member for others' counts.

    Every table holding rows that are this person's personal data (a profile, memberships)
    says so with `info={"erase_with_user": "<user id column>"}` (or a tuple of columns, for
    rows between two people, such as a connection); those rows are deleted.
    """
    if not verify_password(user.password_hash, password):
        raise WrongPassword("Your password is not right, so your account was not deleted.")
    for table in reversed(db.metadata.sorted_tables):
        columns = table.info.get("erase_with_user")
        if columns:  # one column name, or a tuple of them (a row between two people)
            names = (columns,) if isinstance(columns, str) else columns
            db.session.execute(table.delete().where(or_(*(table.c[name] == user.id for name in names))))
    user.name = DELETED_NAME
    user.email = f"deleted-{user.id}@deleted.invalid"
    user.password_hash = "!"  # matches no password
    user.email_verified_at = None
    user.is_admin = False
    user.last_seen_at = None
    user.deleted_at = utcnow()
    user.session_version += 1
    db.session.flush()


# -- sessions (one record per logged-in device) ---------------------------------------


def start_session(user: User, *, user_agent: str | None = None) -> None:
    """Record a log-in on one device; its token reaches the cookies through user.get_id().

    The account's revoked and expired records are deleted here, so the table stays small.
    """
    db.session.execute(
        delete(UserSession).where(
            UserSession.user_id == user.id,
            or_(UserSession.revoked_at.is_not(None), UserSession.created_at <= session_cutoff()),
        )
    )
    token = secrets.token_urlsafe(32)
    # Printable characters only: a header may carry a NUL, which PostgreSQL refuses to store.
    user_agent = "".join(ch for ch in (user_agent or "") if ch.isprintable())[:200] or None
    db.session.add(UserSession(user_id=user.id, token_hash=hash_session_token(token), user_agent=user_agent))
    db.session.flush()
    user.session_token = token


def end_session(user: User) -> None:
    """Revoke the session this request runs in: its cookies, and any copy of them, stop working."""
    if user.session_token is not None:
        _revoke(user, UserSession.token_hash == hash_session_token(user.session_token))
        user.session_token = None


def end_sessions(user: User, *, except_current: bool = False) -> None:
    """Revoke the account's sessions on every device, or on every other one."""
    if except_current and user.session_token is not None:
        _revoke(user, UserSession.token_hash != hash_session_token(user.session_token))
    else:
        _revoke(user)


def _revoke(user: User, *conditions) -> None:
    db.session.execute(
        update(UserSession)
        .where(UserSession.user_id == user.id, UserSession.revoked_at.is_(None), *conditions)
        .values(revoked_at=utcnow())
    )


def count_other_sessions(user: User) -> int:
    """Devices other than this one still logged in to the account."""
    query = select(func.count(UserSession.id)).where(
        UserSession.user_id == user.id,
        UserSession.revoked_at.is_(None),
        UserSession.created_at > session_cutoff(),
    )
    if user.session_token is not None:
        query = query.where(UserSession.token_hash != hash_session_token(user.session_token))
    return db.session.scalar(query) or 0


def create_admin(*, email: str, name: str, password: str) -> User:
    """Create a verified site administrator, or make an existing account one."""
    user = find_user_by_email(email)
    if user is None:
        user = User(
            email=normalise_email(email),
            name=name.strip(),
            password_hash=hash_password(password),
            email_verified_at=utcnow(),
        )
        db.session.add(user)
    user.is_admin = True
    db.session.flush()
    return user


def count_users() -> int:
    return db.session.scalar(select(func.count(User.id)).where(User.deleted_at.is_(None))) or 0
