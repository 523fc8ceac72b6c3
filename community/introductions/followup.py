"""After an event: "Who did you meet?".

The morning after an event, each person who was there gets one email (a FollowUp row per
person and event, claimed by a unique insert, so runs at the same time never send twice)
linking to a page where they tick the people they met; a pair who tick each other become a
connection. "Who was there": the people checked in, or everyone going when the organizers
checked nobody in. One signed link in each email unsubscribes without logging in.

The functions only flush; `flask introductions followup` commits after each event.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from flask import url_for
from sqlalchemy import ColumnElement, func, insert, or_, select
from sqlalchemy.exc import IntegrityError

from community.auth.models import User
from community.auth.tokens import make_token, read_token
from community.communities.models import Membership, MembershipStatus
from community.core.mail import unsubscribe
from community.core.mail.services import queue_email
from community.core.models import utcnow
from community.events.models import Event, EventStatus, EventVisibility
from community.events.timing import TimingError, zone
from community.extensions import db
from community.introductions import connections
from community.introductions.models import (
    Connection,
    EmailPreference,
    FollowUp,
    Introduction,
    IntroductionStatus,
)
from community.introductions.optins import IntroductionError, introductions_enabled, is_archived
from community.members.models import Profile
from community.members.people import seen_by, shares_a_community_with
from community.rsvps.models import RSVP, RSVPStatus

#: The email goes out from this local time on the day after the event ...
SEND_FROM = time(8, 0)
#: ... and not at all once the event ended longer ago than this (cron was down, say).
SEND_WITHIN = timedelta(days=7)
UNSUBSCRIBE_PURPOSE = "introductions.unsubscribe"
#: An unsubscribe link keeps working for as long as anyone keeps the email.
UNSUBSCRIBE_MAX_AGE = timedelta(days=3650)


# -- who was there -----------------------------------------------------------------------------


def was_there(event: Event) -> list[ColumnElement[bool]]:
    """RSVP conditions for the people who were at `event`: checked in, or going when the
    organizers checked nobody in."""
    conditions = [RSVP.event_id == event.id, RSVP.status == RSVPStatus.GOING]
    anyone_checked_in = db.session.scalar(
        select(RSVP.id).where(*conditions, RSVP.checked_in_at.is_not(None)).limit(1)
    )
    if anyone_checked_in is not None:
        conditions.append(RSVP.checked_in_at.is_not(None))
    return conditions


# -- the email ---------------------------------------------------------------------------------


def due_at(event: Event) -> datetime:
    """08:00 in the event's time zone on the day after it ended."""
    try:
        tz = zone(event.timezone)
    except TimingError:
        tz = zone("UTC")
    # An all-day event ends at midnight after its last day (an exclusive end).
    last_day = (event.ends_at - timedelta(microseconds=1)).astimezone(tz).date()
    return datetime.combine(last_day + timedelta(days=1), SEND_FROM, tzinfo=tz)


def events_due(now: datetime | None = None) -> list[int]:
    """Published events whose "Who did you meet?" emails are due now, with introductions on."""
    now = now or utcnow()
    events = db.session.scalars(
        select(Event)
        .where(Event.status == EventStatus.PUBLISHED, Event.ends_at <= now, Event.ends_at > now - SEND_WITHIN)
        .order_by(Event.ends_at, Event.id)
    )
    return [event.id for event in events if due_at(event) <= now and introductions_enabled(event)]


def claim(event_id: int, user_id: int, now: datetime | None = None) -> bool:
    """Record that this person is asked about this event; False if a run (this one or another,
    at the same moment) already did, in which case no email may go out."""
    try:
        with db.session.begin_nested():
            db.session.execute(
                insert(FollowUp).values(event_id=event_id, user_id=user_id, sent_at=now or utcnow())
            )
    except IntegrityError:
        return False
    return True


def _recipients(event: Event) -> list[User]:
    """Who was there and has not been asked yet, nor said "no more of these emails"."""
    query = (
        select(User)
        .join(RSVP, RSVP.user_id == User.id)
        .where(
            *was_there(event),
            User.deleted_at.is_(None),
            User.suspended_at.is_(None),
            User.id.not_in(select(FollowUp.user_id).where(FollowUp.event_id == event.id)),
            User.id.not_in(select(EmailPreference.user_id).where(EmailPreference.followups.is_(False))),
        )
        .order_by(User.id)
    )
    if event.visibility == EventVisibility.MEMBERS:  # only members can open the page
        query = query.where(
            User.id.in_(
                select(Membership.user_id).where(
                    Membership.community_id == event.community_id,
                    Membership.status == MembershipStatus.ACTIVE,
                )
            )
        )
    return list(db.session.scalars(query))


def _introduced_names(event: Event) -> dict[int, list[str]]:
    """For each person, the names of those they were introduced to at `event` (one query)."""
    names: dict[int, list[str]] = defaultdict(list)
    for introduction in introductions_at(event):
        names[introduction.asker_id].append(introduction.recipient.name)
        names[introduction.recipient_id].append(introduction.asker.name)
    return names


def introductions_at(event: Event, person_id: int | None = None) -> list[Introduction]:
    query = select(Introduction).where(
        Introduction.event_id == event.id, Introduction.status == IntroductionStatus.ACCEPTED
    )
    if person_id is not None:
        query = query.where(or_(Introduction.asker_id == person_id, Introduction.recipient_id == person_id))
    return list(db.session.scalars(query.order_by(Introduction.id)))


def send_followups(event_id: int, now: datetime | None = None) -> int:
    """Email each person who was at the event and has not been asked yet; returns how many.
    Nobody is asked about an event they were the only one at."""
    now = now or utcnow()
    event = db.session.get(Event, event_id)
    if event is None or event.status != EventStatus.PUBLISHED:
        return 0
    there = db.session.scalar(select(func.count()).select_from(RSVP).where(*was_there(event)))
    if there < 2:
        return 0
    introduced = _introduced_names(event)
    sent = 0
    for person in _recipients(event):
        if not claim(event.id, person.id, now):
            continue  # another run got there first, and sent it
        queue_email(
            to=person.email,
            subject=f"Who did you meet at {event.title}?",
            template="introductions/followup",
            kind="introductions.followup",
            person=person,
            event=event,
            community=event.community,
            introduced=sorted(introduced.get(person.id, []), key=str.casefold),
            met_link=url_for(
                "introductions.met", slug=event.community.slug, event_id=event.id, _external=True
            ),
            unsubscribe_link=unsubscribe_link(person),
            unsubscribe_url=unsubscribe.unsubscribe_url(person.id, FOLLOWUPS.name),
        )
        sent += 1
    return sent


# -- unsubscribing -----------------------------------------------------------------------------


def unsubscribe_link(user: User) -> str:
    token = make_token(UNSUBSCRIBE_PURPOSE, {"user": user.id})
    return url_for("introductions.unsubscribe", token=token, _external=True)


def user_for_unsubscribe_token(token: str) -> User:
    """:raises IntroductionError: for a link that is not ours, cut short, or of an account
    that no longer exists."""
    payload = read_token(UNSUBSCRIBE_PURPOSE, token, UNSUBSCRIBE_MAX_AGE)
    user_id = payload.get("user") if payload else None
    user = db.session.get(User, user_id) if isinstance(user_id, int) else None
    if user is None or user.deleted_at is not None:
        raise IntroductionError(
            "This unsubscribe link doesn't work: it may have been cut short when it was copied. "
            "Open it straight from the email, or copy the whole link."
        )
    return user


def _wants(user_id: int) -> bool:
    preference = db.session.get(EmailPreference, user_id)
    return preference is None or preference.followups


def _set(user_id: int, wanted: bool) -> None:
    preference = db.session.get(EmailPreference, user_id)
    if preference is None:
        preference = EmailPreference(user_id=user_id, followups=wanted)
        db.session.add(preference)
    preference.followups = wanted
    db.session.flush()


#: The one switch for these emails is EmailPreference, also behind core's unsubscribe links.
FOLLOWUPS = unsubscribe.register_kind(
    unsubscribe.EmailKind(
        "follow-ups",
        "“Who did you meet?”",
        "The morning after an event you went to, once per event.",
        order=20,
        is_on=_wants,
        set_on=_set,
    )
)


def wants_followups(user: User) -> bool:
    return _wants(user.id)


def set_followups(user: User, wanted: bool) -> None:
    """Honoured at once: the next run of the command reads it."""
    _set(user.id, wanted)


# -- the page: "Who did you meet?" ---------------------------------------------------------------


@dataclass(frozen=True)
class MetPerson:
    """Someone a person may tick, as that person may see them."""

    id: int
    name: str
    initials: str
    headline: str
    photo_url: str
    ticked: bool  # the viewer said they met them (it stays said)
    connected: bool


@dataclass(frozen=True)
class MetPage:
    introduced: list[MetPerson]  # introductions accepted at this event
    others: list[MetPerson]  # the others who were there and chose to be listed

    @property
    def ids(self) -> set[int]:
        return {person.id for person in (*self.introduced, *self.others)}


def check_can_tick(event: Event, viewer: User, now: datetime | None = None) -> None:
    """:raises IntroductionError: unless `viewer` may say whom they met at `event` now."""
    now = now or utcnow()
    if event.status == EventStatus.CANCELLED:
        raise IntroductionError("This event was cancelled, so there is nobody to tick.")
    if event.ends_at > now:
        raise IntroductionError("Come back after the event: then you can tick the people you met.")
    if not introductions_enabled(event):
        raise IntroductionError("The organizers have switched introductions off for this event.")
    if is_archived(event, now):
        raise IntroductionError(
            "This event was a while ago. To meet someone from it, ask for an introduction from the directory."
        )
    went = db.session.scalar(
        select(RSVP.id).where(
            RSVP.event_id == event.id, RSVP.user_id == viewer.id, RSVP.status == RSVPStatus.GOING
        )
    )
    if went is None:
        raise IntroductionError(f"This page is for the people who went to {event.title}.")


def met_page(event: Event, viewer: User) -> MetPage:
    """The people `viewer` may tick: those they were introduced to at `event`, then the others
    who were there (listed, and whose names the viewer may see), by name. Six queries."""
    introduced_ids = {
        introduction.asker_id if introduction.recipient_id == viewer.id else introduction.recipient_id
        for introduction in introductions_at(event, viewer.id)
    }
    shown = select(User, Profile, shares_a_community_with(viewer)).outerjoin(
        Profile, Profile.user_id == User.id
    )
    there = db.session.execute(
        shown.join(RSVP, RSVP.user_id == User.id).where(
            *was_there(event), RSVP.listed.is_(True), User.deleted_at.is_(None), User.id != viewer.id
        )
    ).all()
    there = [row for row in there if row[0].id not in introduced_ids]
    introduced = db.session.execute(shown.where(User.id.in_(introduced_ids), User.deleted_at.is_(None))).all()
    ids = {row[0].id for row in (*there, *introduced)}
    ticked = connections.ticked_ids(event, viewer)
    connected = connections.connected_ids(viewer.id, among=ids)

    def people(rows, *, known: bool) -> list[MetPerson]:
        found = []
        for user, profile, shared in rows:
            view = seen_by(viewer, user, profile, shared)
            if view is None and not known:
                continue  # someone whose name the viewer may not see is not there for them
            name = view.name if view is not None else user.name
            found.append(
                MetPerson(
                    id=user.id,
                    name=name,
                    initials=view.initials if view is not None else (name[:1].upper() or "?"),
                    headline=view.headline if view is not None else "",
                    photo_url=view.photo_url if view is not None else "",
                    ticked=user.id in ticked,
                    connected=user.id in connected,
                )
            )
        return sorted(found, key=lambda person: (person.name.casefold(), person.id))

    return MetPage(introduced=people(introduced, known=True), others=people(there, known=False))


def record_met(event: Event, viewer: User, people_ids: Iterable[int], page: MetPage) -> list[Connection]:
    """`viewer` met these people (ids from `page`); returns the connections made by pairs who
    both ticked.

    :raises IntroductionError: for someone not on the page, writing nothing."""
    wanted = set(people_ids)
    if not wanted <= page.ids:
        raise IntroductionError("Tick people from the list of those who were there.")
    others = db.session.scalars(select(User).where(User.id.in_(wanted)).order_by(User.id)) if wanted else []
    return connections.tick(event, viewer, list(others))
