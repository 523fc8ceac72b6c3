"""Digest emails: opt-in, weekly or monthly, each period's digest sent exactly once.

`flask digests` may run from cron at any frequency. For each person who opted in, the period
(ISO week or calendar month in their time zone) is claimed by inserting a DigestSent row (unique
per person and period) in a savepoint of the transaction that queues the email; a second run at
the same moment waits on that insert and then finds it taken, so nobody gets two. A digest with
nothing new (see digest_content) is not sent and claims nothing: if news comes later in the
period, that period's digest goes then.

After a year without a visit or a click on a digest link, digests pause: the person is told once
("we paused your digest") with a signed link that resumes them without logging in. A click on
any digest link (through `open_link`) counts as opening it; there is no tracking pixel.

The functions only flush; the command commits after each person.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from flask import url_for
from sqlalchemy import insert, select, update
from sqlalchemy.exc import IntegrityError

from community.auth.models import User
from community.core.mail import unsubscribe
from community.core.mail.services import queue_email
from community.core.models import utcnow
from community.engagement.digest_content import Digest, build_digest
from community.engagement.models import DigestFrequency, DigestSent, DigestSettings
from community.engagement.queries import settings_of
from community.extensions import db

#: Digests pause after this long without a visit or a click.
QUIET_YEAR = timedelta(days=365)
OPEN_PURPOSE = "digests.open"
RESUME_PURPOSE = "digests.resume"
KIND = "digests"


def digest_settings(user_id: int) -> DigestSettings | None:
    return db.session.get(DigestSettings, user_id)


def frequency_of(user_id: int) -> DigestFrequency:
    row = digest_settings(user_id)
    return row.frequency if row is not None else DigestFrequency.OFF


def set_frequency(user_id: int, frequency: DigestFrequency, now: datetime | None = None) -> None:
    """Choose off, weekly or monthly; choosing again also ends a pause (flushes)."""
    row = digest_settings(user_id)
    if row is None:
        row = DigestSettings(user_id=user_id)
        db.session.add(row)
    if row.frequency != frequency or row.paused_at is not None:
        row.chosen_at = now or utcnow()
    row.frequency = frequency
    row.paused_at = None
    db.session.flush()


def _set_on(user_id: int, wanted: bool) -> None:
    """The unsubscribe switch: off, or weekly when switched on again from off."""
    if not wanted:
        set_frequency(user_id, DigestFrequency.OFF)
    elif frequency_of(user_id) == DigestFrequency.OFF:
        set_frequency(user_id, DigestFrequency.WEEKLY)


DIGESTS = unsubscribe.register_kind(
    unsubscribe.EmailKind(
        KIND,
        "Digest",
        "What's new in your communities and your network, weekly or monthly.",
        order=30,
        is_on=lambda user_id: frequency_of(user_id) != DigestFrequency.OFF,
        set_on=_set_on,
    )
)


# -- periods and who is due ------------------------------------------------------------------------


def period_key(moment: datetime, frequency: DigestFrequency, zone: str) -> str:
    """ "2027-W09" (ISO week) or "2027-03" (month), in the person's time zone (pure)."""
    local = moment.astimezone(ZoneInfo(zone))
    if frequency == DigestFrequency.WEEKLY:
        year, week, _ = local.isocalendar()
        return f"{year}-W{week:02d}"
    return f"{local.year}-{local.month:02d}"


def subscribers() -> list[int]:
    """Ids of people with a weekly or monthly digest that is not paused."""
    return list(
        db.session.scalars(
            select(DigestSettings.user_id)
            .join(User, User.id == DigestSettings.user_id)
            .where(
                DigestSettings.frequency != DigestFrequency.OFF,
                DigestSettings.paused_at.is_(None),
                User.deleted_at.is_(None),
                User.suspended_at.is_(None),  # a suspended account gets no mail it did not ask for
            )
            .order_by(DigestSettings.user_id)
        )
    )


def last_active(person: User, row: DigestSettings) -> datetime:
    """Their latest visit, click on a digest link, or choice of frequency."""
    return max(moment for moment in (person.last_seen_at, row.opened_at, row.chosen_at) if moment is not None)


def last_digest_at(user_id: int) -> datetime | None:
    return db.session.scalar(
        select(DigestSent.sent_at)
        .where(DigestSent.user_id == user_id)
        .order_by(DigestSent.sent_at.desc())
        .limit(1)
    )


def news_since(person: User, row: DigestSettings) -> datetime:
    """Their last visit or last digest, whichever came later; else when they chose a digest."""
    moments = [moment for moment in (person.last_seen_at, last_digest_at(person.id)) if moment is not None]
    return max(moments) if moments else row.chosen_at


def claim(user_id: int, period: str, now: datetime) -> bool:
    """Take this person's digest for `period`; False if a run (maybe another at this moment) has."""
    try:
        with db.session.begin_nested():
            db.session.execute(insert(DigestSent).values(user_id=user_id, period=period, sent_at=now))
    except IntegrityError:
        return False
    return True


# -- sending ---------------------------------------------------------------------------------------


def open_link(person: User, endpoint: str, **values) -> str:
    """A link in a digest that records the click ("opened") on its way to `endpoint`."""
    target = url_for(endpoint, **values, _external=False)
    token = unsubscribe.sign(OPEN_PURPOSE, {"u": person.id})
    return url_for("engagement.digest_open", token=token, next=target, _external=True)


def resume_link(person: User) -> str:
    token = unsubscribe.sign(RESUME_PURPOSE, {"u": person.id})
    return url_for("engagement.digest_resume", token=token, _external=True)


def user_for(purpose: str, token: str) -> User | None:
    """The live account a digest or resume link names, or None for a bad link."""
    payload = unsubscribe.unsign(purpose, token) or {}
    user_id = payload.get("u")
    user = db.session.get(User, user_id) if isinstance(user_id, int) else None
    return user if user is not None and user.deleted_at is None else None


def record_open(user_id: int, now: datetime | None = None) -> None:
    """A click on a digest link: the digest was opened (flushes)."""
    row = digest_settings(user_id)
    if row is not None:
        row.opened_at = now or utcnow()
        db.session.flush()


def resume(user_id: int, now: datetime | None = None) -> DigestFrequency:
    """End the pause (weekly if they had none chosen); returns the frequency (flushes)."""
    frequency = frequency_of(user_id)
    set_frequency(user_id, frequency if frequency != DigestFrequency.OFF else DigestFrequency.WEEKLY, now)
    return frequency_of(user_id)


def _queue_digest(digest: Digest, frequency: DigestFrequency, zone: str) -> None:
    person = digest.person
    since = digest.since.astimezone(ZoneInfo(zone))
    queue_email(
        to=person.email,
        subject=f"Your {frequency.value} digest",
        template="engagement/digest",
        kind="engagement.digest",
        unsubscribe_url=unsubscribe.unsubscribe_url(person.id, KIND),
        digest=digest,
        person=person,
        frequency=frequency,
        since_label=f"{since.day} {since:%B %Y}",
        link=lambda endpoint, **values: open_link(person, endpoint, **values),
    )


def pause_if_quiet(person: User, row: DigestSettings, now: datetime) -> bool:
    """After a quiet year, pause and tell them once; True if paused now. The conditional UPDATE
    lets only one of two runs at the same moment send the notice."""
    if last_active(person, row) > now - QUIET_YEAR:
        return False
    paused = db.session.execute(
        update(DigestSettings)
        .where(DigestSettings.user_id == person.id, DigestSettings.paused_at.is_(None))
        .values(paused_at=now)
        .execution_options(synchronize_session=False)
    )
    if paused.rowcount != 1:
        return False
    queue_email(
        to=person.email,
        subject="We paused your digest",
        template="engagement/digest_paused",
        kind="engagement.digest-paused",
        person=person,
        resume_link=resume_link(person),
    )
    return True


def send_digest(user_id: int, now: datetime | None = None) -> str:
    """Do what is due for one person: "sent", "paused", "nothing-new", "already-sent" or "off"."""
    now = now or utcnow()
    person = db.session.get(User, user_id)
    row = digest_settings(user_id)
    if person is None or row is None or row.frequency == DigestFrequency.OFF or row.paused_at is not None:
        return "off"
    if pause_if_quiet(person, row, now):
        return "paused"
    zone = settings_of(user_id).timezone
    period = period_key(now, row.frequency, zone)
    taken = db.session.scalar(
        select(DigestSent.id).where(DigestSent.user_id == user_id, DigestSent.period == period)
    )
    if taken is not None:
        return "already-sent"
    digest = build_digest(person, row.frequency, news_since(person, row), now)
    if not digest.has_news:
        return "nothing-new"
    if not claim(user_id, period, now):
        return "already-sent"
    _queue_digest(digest, row.frequency, zone)
    return "sent"
