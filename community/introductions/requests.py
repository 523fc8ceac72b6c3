"""Double opt-in introductions: asking, answering, reminding and expiring.

A member asks with a short note; the other person accepts or declines. Only when both sides
have accepted do they see each other's contact details, and they become a connection. A
decline is quiet (the asker reads "not this time") and closes that door for good. Every
refusal raises IntroductionError before anything is written.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import func, or_, select
from sqlalchemy.exc import IntegrityError

from community.auth.models import User
from community.communities.models import Community, Membership, MembershipStatus
from community.core.mail.services import queue_email
from community.core.models import utcnow
from community.core.text import one_line
from community.events.models import Event
from community.extensions import db
from community.introductions import connections
from community.introductions.emails import email_context
from community.introductions.models import NOTE_LENGTH, Introduction, IntroductionStatus, OptIn
from community.introductions.optins import IntroductionError, attending_rsvp, check_open

PENDING_PER_EVENT = 5
PENDING_PER_WEEK = 10  # outside events
REMIND_AFTER = timedelta(days=3)
EXPIRE_AFTER = timedelta(days=14)
#: "Not this time": what an asker is told of a decline, never why.
CLOSED = (IntroductionStatus.DECLINED, IntroductionStatus.EXPIRED)


def _note(note: str) -> str:
    lines = [one_line(line) for line in (note or "").splitlines()]
    note = "\n".join(lines).strip()
    while "\n\n\n" in note:
        note = note.replace("\n\n\n", "\n\n")
    if not note:
        raise IntroductionError("Add a short note: say why you'd like to meet.")
    if len(note) > NOTE_LENGTH:
        raise IntroductionError(f"Please keep the note to {NOTE_LENGTH} characters (it has {len(note)}).")
    return note


def _is_member(community: Community, user_id: int) -> bool:
    return (
        db.session.scalar(
            select(Membership.id).where(
                Membership.community_id == community.id,
                Membership.user_id == user_id,
                Membership.status == MembershipStatus.ACTIVE,
            )
        )
        is not None
    )


def _opted_in(event: Event, user_id: int) -> bool:
    return (
        db.session.scalar(select(OptIn.id).where(OptIn.event_id == event.id, OptIn.user_id == user_id))
        is not None
    )


def between(first_id: int, second_id: int, *, statuses=None) -> list[Introduction]:
    query = select(Introduction).where(
        or_(
            (Introduction.asker_id == first_id) & (Introduction.recipient_id == second_id),
            (Introduction.asker_id == second_id) & (Introduction.recipient_id == first_id),
        )
    )
    if statuses is not None:
        query = query.where(Introduction.status.in_(list(statuses)))
    return list(db.session.scalars(query.order_by(Introduction.id)))


def _pending_count(asker_id: int, *, event: Event | None, since: datetime) -> int:
    query = select(func.count()).where(
        Introduction.asker_id == asker_id,
        Introduction.status == IntroductionStatus.PENDING,
        Introduction.introducer_id.is_(None),
    )
    if event is not None:
        query = query.where(Introduction.event_id == event.id)
    else:
        query = query.where(Introduction.event_key == 0, Introduction.created_at >= since)
    return db.session.scalar(query)


def _check_pair(
    asker: User, recipient: User, community: Community, event: Event | None, now: datetime
) -> None:
    """:raises IntroductionError: when `asker` may not ask `recipient` (here, now)."""
    if asker.id == recipient.id:
        raise IntroductionError("That's you: pick someone else to meet.")
    if recipient.deleted_at is not None or not _is_member(community, recipient.id):
        raise IntroductionError("That person isn't a member of this community.")
    if not _is_member(community, asker.id):
        raise IntroductionError("Join the community first; then you can ask for introductions.")
    if event is not None:
        check_open(event, now)
        if attending_rsvp(event, asker.id) is None:
            raise IntroductionError("Say you're going to the event first; then you can meet people there.")
        if attending_rsvp(event, recipient.id) is None or not _opted_in(event, recipient.id):
            raise IntroductionError("That person isn't open to introductions at this event.")
    if connections.connection_between(asker.id, recipient.id) is not None:
        raise IntroductionError(f"You and {recipient.name} are already connected: see My network.")
    earlier = between(asker.id, recipient.id)
    if any(intro.status in CLOSED and intro.asker_id == asker.id for intro in earlier):
        raise IntroductionError("Not this time: you can't ask this person again. There are others to meet.")
    if any(
        intro.status == IntroductionStatus.PENDING and intro.asker_id == recipient.id for intro in earlier
    ):
        raise IntroductionError(
            f"{recipient.name} has already asked to meet you: answer on your Introductions page."
        )


def ask(
    asker: User,
    recipient: User,
    *,
    community: Community,
    note: str,
    event: Event | None = None,
    reasons: str = "",
    now: datetime | None = None,
) -> Introduction:
    """`asker` asks to be introduced to `recipient`, at `event` or in `community`'s directory.
    Asking twice returns the request already waiting (a double click makes one request).

    :raises IntroductionError: with the reason, writing nothing."""
    now = now or utcnow()
    note = _note(note)
    event_key = event.id if event is not None else 0
    waiting = db.session.scalar(
        select(Introduction).where(
            Introduction.asker_id == asker.id,
            Introduction.recipient_id == recipient.id,
            Introduction.event_key == event_key,
            Introduction.status == IntroductionStatus.PENDING,
        )
    )
    if waiting is not None:
        return waiting
    _check_pair(asker, recipient, community, event, now)
    if event is not None and _pending_count(asker.id, event=event, since=now) >= PENDING_PER_EVENT:
        raise IntroductionError(
            f"You have {PENDING_PER_EVENT} requests waiting for an answer at this event; "
            "wait for one to be answered before asking someone else."
        )
    if (
        event is None
        and _pending_count(asker.id, event=None, since=now - timedelta(days=7)) >= PENDING_PER_WEEK
    ):
        raise IntroductionError(
            f"You have asked for {PENDING_PER_WEEK} introductions this week; please wait a few days."
        )
    introduction = Introduction(
        community_id=community.id,
        event_id=event.id if event is not None else None,
        event_key=event_key,
        asker_id=asker.id,
        recipient_id=recipient.id,
        note=note,
        reasons=reasons[:2000],
        status=IntroductionStatus.PENDING,
        asker_accepted_at=now,
        expires_at=now + EXPIRE_AFTER,
    )
    try:
        with db.session.begin_nested():
            db.session.add(introduction)
    except IntegrityError:  # the same request, committed a moment ago by a double click
        return db.session.scalars(
            select(Introduction).where(
                Introduction.asker_id == asker.id,
                Introduction.recipient_id == recipient.id,
                Introduction.event_key == event_key,
                Introduction.status == IntroductionStatus.PENDING,
            )
        ).one()
    _email(
        introduction,
        to=recipient,
        template="request",
        kind="introductions.request",
        subject=f"{asker.name} would like to meet you",
    )
    return introduction


def introduce(
    organizer: User, first: User, second: User, *, event: Event, note: str, now: datetime | None = None
) -> Introduction:
    """An organizer introduces two attendees; each side still accepts."""
    now = now or utcnow()
    note = _note(note)
    check_open(event, now)
    if first.id == second.id:
        raise IntroductionError("Pick two different people to introduce.")
    for person in (first, second):
        if attending_rsvp(event, person.id) is None:
            raise IntroductionError(f"{person.name} isn't going to this event.")
    if connections.connection_between(first.id, second.id) is not None:
        raise IntroductionError(f"{first.name} and {second.name} are already connected.")
    if between(first.id, second.id, statuses=(IntroductionStatus.PENDING, *CLOSED)):
        raise IntroductionError(
            f"{first.name} and {second.name} have been introduced before (or one said not this time)."
        )
    introduction = Introduction(
        community_id=event.community_id,
        event_id=event.id,
        event_key=event.id,
        asker_id=first.id,
        recipient_id=second.id,
        introducer_id=organizer.id,
        note=note,
        status=IntroductionStatus.PENDING,
        expires_at=now + EXPIRE_AFTER,
    )
    db.session.add(introduction)
    db.session.flush()
    for person, other in ((first, second), (second, first)):
        _email(
            introduction,
            to=person,
            template="organizer_request",
            kind="introductions.request",
            subject=f"{organizer.name} would like to introduce you to {other.name}",
        )
    return introduction


def accept(introduction: Introduction, user: User, now: datetime | None = None) -> Introduction:
    """`user` says yes. Once both sides have, they are connected and both get the intro email.

    :raises IntroductionError: if it isn't theirs to answer or is no longer open."""
    now = now or utcnow()
    side = _side(introduction, user)
    if introduction.status == IntroductionStatus.ACCEPTED:
        return introduction
    _check_open_request(introduction, now)
    setattr(introduction, f"{side}_accepted_at", getattr(introduction, f"{side}_accepted_at") or now)
    if introduction.asker_accepted_at and introduction.recipient_accepted_at:
        introduction.status = IntroductionStatus.ACCEPTED
        introduction.answered_at = now
        event = db.session.get(Event, introduction.event_id) if introduction.event_id else None
        connections.connect(
            introduction.asker, introduction.recipient, how=connections.INTRODUCED, event=event, at=now
        )
        for person in (introduction.asker, introduction.recipient):
            _email(
                introduction,
                to=person,
                template="introduced",
                kind="introductions.introduced",
                subject=f"Meet {introduction.other(person.id).name}",
            )
    db.session.flush()
    return introduction


def decline(introduction: Introduction, user: User, now: datetime | None = None) -> Introduction:
    """`user` says no, quietly: nobody is emailed."""
    now = now or utcnow()
    _side(introduction, user)
    if introduction.status == IntroductionStatus.DECLINED:
        return introduction
    _check_open_request(introduction, now)
    introduction.status = IntroductionStatus.DECLINED
    introduction.answered_at = now
    db.session.flush()
    return introduction


def _side(introduction: Introduction, user: User) -> str:
    if user.id == introduction.recipient_id:
        return "recipient"
    if user.id == introduction.asker_id and introduction.introducer_id is not None:
        return "asker"  # an organizer's introduction: the first person answers too
    raise IntroductionError("This introduction isn't yours to answer.")


def _check_open_request(introduction: Introduction, now: datetime) -> None:
    if introduction.status != IntroductionStatus.PENDING:
        raise IntroductionError("This introduction has already been answered.")
    if introduction.expires_at <= now:
        raise IntroductionError("This request has expired.")


def remind_and_expire(now: datetime | None = None) -> tuple[int, int]:
    """One reminder to the recipient after 3 days; after 14 days the request expires and the
    asker is told kindly. Safe to run as often as cron likes. Returns (reminded, expired)."""
    now = now or utcnow()
    pending = select(Introduction).where(Introduction.status == IntroductionStatus.PENDING)
    expired = list(
        db.session.scalars(pending.where(Introduction.expires_at <= now).with_for_update(skip_locked=True))
    )
    for introduction in expired:
        introduction.status = IntroductionStatus.EXPIRED
        introduction.answered_at = now
        if introduction.introducer_id is None:
            _email(
                introduction,
                to=introduction.asker,
                template="expired",
                kind="introductions.expired",
                subject=f"Your introduction to {introduction.recipient.name}",
            )
    due = list(
        db.session.scalars(
            pending.where(
                Introduction.expires_at > now,
                Introduction.reminded_at.is_(None),
                Introduction.created_at <= now - REMIND_AFTER,
            ).with_for_update(skip_locked=True)
        )
    )
    for introduction in due:
        introduction.reminded_at = now
        for person in _waiting_on(introduction):
            _email(
                introduction,
                to=person,
                template="reminder",
                kind="introductions.reminder",
                subject=f"Still there? {introduction.other(person.id).name} would like to meet you",
            )
    db.session.flush()
    return len(due), len(expired)


def _waiting_on(introduction: Introduction) -> list[User]:
    people = []
    if introduction.recipient_accepted_at is None:
        people.append(introduction.recipient)
    if introduction.asker_accepted_at is None:
        people.append(introduction.asker)
    return people


def _email(
    introduction: Introduction, *, to: User, template: str, kind: str, subject: str, **context
) -> None:
    queue_email(
        to=to.email,
        subject=subject,
        template=f"introductions/{template}",
        kind=kind,
        introduction=introduction,
        person=to,
        **{**email_context(introduction, to), **context},
    )
