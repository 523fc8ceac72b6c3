"""Staying in touch: settings, a connection's rhythm and snooze, "Let's catch up" notes (by
email through the outbox, at most five a week), and goals. Services flush, never commit."""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import url_for
from sqlalchemy import select

from community.auth.models import User
from community.communities.models import Membership, MembershipStatus
from community.core.errors import DomainError
from community.core.mail import quota
from community.core.mail.services import compose_email
from community.core.models import utcnow
from community.core.timezones import is_timezone
from community.engagement.models import (
    FADING_CHOICES,
    NOTE_LENGTH,
    CatchUpNote,
    ConnectionPreference,
    EngagementSettings,
    Goal,
    GoalKind,
    GoalPeriod,
)
from community.engagement.periods import months_before
from community.engagement.queries import connection_states, notes_sent_since
from community.extensions import db
from community.introductions.connections import connection_between
from community.members.models import Profile
from community.members.permissions import Audience, ProfileView

NOTES_PER_WEEK = 5
NOTE_KIND = "engagement.catch-up"
#: Notes are mail a member makes the site send to someone else: the message limits apply too.
NOTES = quota.Budget(
    "catch-up notes", (NOTE_KIND,), "MESSAGES_PER_ACCOUNT_PER_HOUR", "MESSAGES_PER_COMMUNITY_PER_DAY"
)


class EngagementError(DomainError):
    """A setting, note or goal that cannot be saved as asked."""


def save_settings(user: User, *, fading_months: int, timezone: str) -> EngagementSettings:
    """:raises EngagementError: for a choice not offered."""
    if fading_months not in FADING_CHOICES:
        raise EngagementError("Choose 3, 6 or 12 months.")
    if timezone and not is_timezone(timezone):
        raise EngagementError("Choose a time zone from the list.")
    row = db.session.get(EngagementSettings, user.id) or EngagementSettings(user_id=user.id)
    row.fading_months, row.timezone = fading_months, timezone
    db.session.add(row)
    db.session.flush()
    return row


def _connected(user: User, other: User) -> None:
    if other.id == user.id or other.deleted_at is not None or connection_between(user.id, other.id) is None:
        raise EngagementError("You can only do this for people you're connected with.")


def _preference(user: User, other: User) -> ConnectionPreference:
    _connected(user, other)
    row = db.session.get(ConnectionPreference, (user.id, other.id))
    if row is None:
        row = ConnectionPreference(user_id=user.id, other_id=other.id)
        db.session.add(row)
    return row


def set_rhythm(user: User, other: User, months: int | None) -> ConnectionPreference:
    """ "Every N months" for this connection, or None for the person's own setting."""
    if months is not None and not 1 <= months <= 24:
        raise EngagementError("Choose between 1 and 24 months.")
    row = _preference(user, other)
    row.rhythm_months = months
    db.session.flush()
    return row


def snooze(user: User, other: User, now: datetime | None = None) -> ConnectionPreference:
    """ "Remind me next month": no nudge for this connection for a month."""
    row = _preference(user, other)
    row.snoozed_until = months_before(now or utcnow(), -1)
    db.session.flush()
    return row


def _shared_community(user: User, other: User) -> int | None:
    mine = select(Membership.community_id).where(
        Membership.user_id == user.id, Membership.status == MembershipStatus.ACTIVE
    )
    return db.session.scalar(
        select(Membership.community_id)
        .where(
            Membership.user_id == other.id,
            Membership.status == MembershipStatus.ACTIVE,
            Membership.community_id.in_(mine),
        )
        .order_by(Membership.community_id)
        .limit(1)
    )


def reply_address(sender: User) -> str:
    """The sender's address if they show it to members, else "" (replies go through the site)."""
    view = ProfileView(sender, db.session.get(Profile, sender.id), Audience.MEMBERS)
    return view.email


def send_note(sender: User, recipient: User, message: str, now: datetime | None = None) -> CatchUpNote:
    """A "Let's catch up" note, emailed to `recipient`; it refreshes the connection.

    :raises EngagementError: if they are not connected, the message is empty or too long, or
        the sender has sent five notes in the last seven days; quota errors as for any mail."""
    now = now or utcnow()
    _connected(sender, recipient)
    message = message.strip()
    if not message:
        raise EngagementError("Write a short message.")
    if len(message) > NOTE_LENGTH:
        raise EngagementError(f"Keep the message under {NOTE_LENGTH} characters.")
    if notes_sent_since(sender.id, now - timedelta(days=7)) >= NOTES_PER_WEEK:
        raise EngagementError(
            f"You've sent {NOTES_PER_WEEK} catch-up notes in the last seven days, the most a week. "
            "Nothing was sent: please try again in a few days."
        )
    community_id = _shared_community(sender, recipient)
    if community_id is None:
        raise EngagementError(
            f"You and {recipient.name} no longer share a community, so we can't pass it on."
        )
    state = connection_states(sender.id, now).get(recipient.id)
    email = compose_email(
        to=recipient.email,
        subject=f"{sender.name} would like to catch up",
        template="engagement/catch_up",
        kind=NOTE_KIND,
        sender=sender,
        recipient=recipient,
        message=message,
        reply_to=reply_address(sender),
        network_link=url_for("introductions.network", _external=True, _anchor=f"person-{sender.id}"),
    )
    quota.charge(NOTES, [email], sender=sender, community_id=community_id)
    db.session.add(email)
    note = CatchUpNote(
        sender_id=sender.id,
        recipient_id=recipient.id,
        message=message,
        to_fading=bool(state and state.fading),
        created_at=now,
    )
    db.session.add(note)
    pref = db.session.get(ConnectionPreference, (sender.id, recipient.id))
    if pref is not None:
        pref.snoozed_until = None
    db.session.flush()
    return note


def _check_goal(kind: str, target: int, period: str) -> tuple[GoalKind, GoalPeriod]:
    if kind not in GoalKind._value2member_map_ or period not in GoalPeriod._value2member_map_:
        raise EngagementError("Choose a kind of goal and a period from the list.")
    if not 1 <= target <= 100:
        raise EngagementError("Choose a target between 1 and 100.")
    return GoalKind(kind), GoalPeriod(period)


def _duplicate(user: User, kind: GoalKind, period: GoalPeriod, goal_id: int | None) -> None:
    other = db.session.scalar(
        select(Goal.id).where(Goal.user_id == user.id, Goal.kind == kind, Goal.period == period)
    )
    if other is not None and other != goal_id:
        raise EngagementError("You already have that goal for that period: change its target instead.")


def create_goal(user: User, *, kind: str, target: int, period: str) -> Goal:
    """:raises EngagementError: for a choice not offered or a goal the person already has."""
    goal_kind, goal_period = _check_goal(kind, target, period)
    _duplicate(user, goal_kind, goal_period, None)
    goal = Goal(user_id=user.id, kind=goal_kind, target=target, period=goal_period)
    db.session.add(goal)
    db.session.flush()
    return goal


def update_goal(goal: Goal, *, kind: str, target: int, period: str) -> Goal:
    goal_kind, goal_period = _check_goal(kind, target, period)
    _duplicate(db.session.get(User, goal.user_id), goal_kind, goal_period, goal.id)
    goal.kind, goal.target, goal.period = goal_kind, target, goal_period
    db.session.flush()
    return goal


def delete_goal(goal: Goal) -> None:
    db.session.delete(goal)
    db.session.flush()
