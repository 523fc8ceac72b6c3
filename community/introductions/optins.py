"""Who may be introduced at an event: the organizers' switch, the attendees' opt-in, and the
topics organizers choose for their community."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from sqlalchemy import Select, bindparam, exists, func, select

from community.auth.models import User
from community.communities.models import Community
from community.core import audit
from community.core.errors import DomainError
from community.core.models import utcnow
from community.core.text import one_line
from community.events.models import Event, EventKind, EventStatus
from community.extensions import db
from community.introductions.models import (
    TALK_ABOUT_LENGTH,
    TOPIC_NAME_LENGTH,
    EventSetting,
    OptIn,
    OptInTopic,
    Topic,
    TopicSide,
)
from community.rsvps.models import RSVP, RSVPStatus
from community.rsvps.queries import rsvp_by

#: Attendees who may opt in and be suggested (a waitlisted person may still come).
ATTENDING = (RSVPStatus.GOING, RSVPStatus.WAITLISTED, RSVPStatus.OFFERED)
#: Kinds of event whose introductions are on unless the organizers switch them off.
ON_BY_DEFAULT = frozenset({EventKind.ROUNDTABLE, EventKind.REUNION})
#: After this long past its end, an event is archived: no new opt-ins or requests there.
ARCHIVED_AFTER = timedelta(days=30)
MAX_TOPICS = 40


class IntroductionError(DomainError):
    """Introductions can't do that; the message says why."""


# -- the organizers' switch ------------------------------------------------------------------


def introductions_enabled(event: Event) -> bool:
    setting = db.session.get(EventSetting, event.id)
    return _enabled(event, setting.enabled if setting is not None else None)


def _enabled(event: Event, switch: bool | None) -> bool:
    """The organizers' switch, or (never switched) the event kind's default."""
    return switch if switch is not None else event.kind in ON_BY_DEFAULT


def set_enabled(event: Event, actor: User, enabled: bool) -> None:
    setting = db.session.get(EventSetting, event.id)
    if setting is None:
        setting = EventSetting(event_id=event.id, enabled=enabled)
        db.session.add(setting)
    setting.enabled = enabled
    audit.record(
        event.community,
        actor,
        "introductions.switched",
        detail=f"{event.title}: {'on' if enabled else 'off'}",
    )
    db.session.flush()


def is_archived(event: Event, now: datetime | None = None) -> bool:
    return event.ends_at + ARCHIVED_AFTER <= (now or utcnow())


def check_open(event: Event, now: datetime | None = None, *, enabled: bool | None = None) -> None:
    """:raises IntroductionError: unless people can be introduced at `event` now (`enabled`:
    the switch, when already read)."""
    if event.status != EventStatus.PUBLISHED:
        raise IntroductionError("Introductions are only for published events that are going ahead.")
    if not (introductions_enabled(event) if enabled is None else enabled):
        raise IntroductionError("The organizers have switched introductions off for this event.")
    if is_archived(event, now):
        raise IntroductionError("This event was a while ago, so introductions there are closed.")


# -- opting in ---------------------------------------------------------------------------------


def attending_rsvp(event: Event, user_id: int) -> RSVP | None:
    rsvp = rsvp_by(event, user_id)  # read once a request, whichever part of the page asks
    return rsvp if rsvp is not None and rsvp.status in ATTENDING else None


def opt_in_of(event: Event, user: User) -> OptIn | None:
    return db.session.scalar(select(OptIn).where(OptIn.event_id == event.id, OptIn.user_id == user.id))


def opt_in(
    event: Event, user: User, *, talk_about: str = "", offers: Iterable[int] = (), seeks: Iterable[int] = ()
) -> OptIn:
    """Switch on "Introduce me to others at this event" (or update what they ticked).

    :raises IntroductionError: if the event doesn't do introductions now, they are not
        going (or waitlisted), or a topic is not one of the community's own."""
    check_open(event)
    if attending_rsvp(event, user.id) is None:
        raise IntroductionError(
            "Say you're going (or join the waitlist) first; then you can meet people there."
        )
    talk_about = one_line(talk_about or "")
    if len(talk_about) > TALK_ABOUT_LENGTH:
        raise IntroductionError(f"Please keep “I'd like to talk about” to {TALK_ABOUT_LENGTH} characters.")
    record = opt_in_of(event, user)
    chosen = {TopicSide.OFFERS: set(offers), TopicSide.SEEKS: set(seeks)}
    previous = set() if record is None else {choice.topic_id for choice in record.topics}
    allowed = usable_topic_ids(event.community, keep=previous)
    if not all(chosen_ids <= allowed for chosen_ids in chosen.values()):
        raise IntroductionError("One of the topics you ticked isn't offered in this community any more.")
    if record is None:
        record = OptIn(event_id=event.id, user_id=user.id)
        db.session.add(record)
    record.talk_about = talk_about
    record.topics = [
        OptInTopic(topic_id=topic_id, side=side) for side, ids in chosen.items() for topic_id in sorted(ids)
    ]
    db.session.flush()
    return record


def opt_out(event: Event, user: User) -> bool:
    """Switch it off: they leave every suggestion at once. True if they had opted in."""
    record = opt_in_of(event, user)
    if record is None:
        return False
    db.session.delete(record)
    db.session.flush()
    return True


def _opted_in_count(event_id) -> Select:
    return (
        select(func.count())
        .select_from(OptIn)
        .join(RSVP, (RSVP.event_id == OptIn.event_id) & (RSVP.user_id == OptIn.user_id))
        .where(OptIn.event_id == event_id, RSVP.status.in_(ATTENDING))
    )


def opted_in_count(event: Event) -> int:
    return db.session.scalar(_opted_in_count(event.id))


#: The event page's card in one statement (built once): the switch, the viewer's opt-in and
#: how many attendees opted in.
_CARD_FACTS = select(
    select(EventSetting.enabled).where(EventSetting.event_id == bindparam("event_id")).scalar_subquery(),
    exists().where(OptIn.event_id == bindparam("event_id"), OptIn.user_id == bindparam("user_id")),
    _opted_in_count(bindparam("event_id")).scalar_subquery(),
)


def card_facts(event: Event, user: User) -> tuple[bool, bool, int]:
    """(introductions are switched on, `user` opted in, how many attendees opted in)."""
    switch, opted_in, count = db.session.execute(
        _CARD_FACTS, {"event_id": event.id, "user_id": user.id}
    ).one()
    return _enabled(event, switch), bool(opted_in), count


# -- topics ------------------------------------------------------------------------------------


def topics_of(community: Community, *, with_archived: bool = False) -> list[Topic]:
    query = select(Topic).where(Topic.community_id == community.id)
    if not with_archived:
        query = query.where(Topic.archived_at.is_(None))
    return list(db.session.scalars(query.order_by(func.lower(Topic.name), Topic.id)))


def usable_topic_ids(community: Community, *, keep: set[int] = frozenset()) -> set[int]:
    """Active topics, and archived ones a person had already chosen (their choice stands)."""
    rows = db.session.execute(select(Topic.id, Topic.archived_at).where(Topic.community_id == community.id))
    return {topic_id for topic_id, archived_at in rows if archived_at is None or topic_id in keep}


def _topic_name(name: str) -> str:
    name = one_line(name or "")
    if not name:
        raise IntroductionError("Give the topic a name.")
    if len(name) > TOPIC_NAME_LENGTH:
        raise IntroductionError(f"Please keep topic names to {TOPIC_NAME_LENGTH} characters.")
    return name


def _same_name(community: Community, name: str, *, other_than: int | None = None) -> Topic | None:
    query = select(Topic).where(Topic.community_id == community.id, func.lower(Topic.name) == name.lower())
    if other_than is not None:
        query = query.where(Topic.id != other_than)
    return db.session.scalar(query)


def add_topic(community: Community, actor: User, name: str) -> Topic:
    """A new topic, or an archived one of the same name brought back."""
    name = _topic_name(name)
    existing = _same_name(community, name)
    if existing is not None and not existing.archived:
        raise IntroductionError(f"There is already a topic called “{existing.name}”.")
    if existing is None and len(topics_of(community)) >= MAX_TOPICS:
        raise IntroductionError(f"A community can have up to {MAX_TOPICS} topics; archive one first.")
    if existing is not None:
        existing.archived_at = None
        topic = existing
    else:
        topic = Topic(community_id=community.id, name=name)
        db.session.add(topic)
    audit.record(community, actor, "introductions.topic-added", detail=name)
    db.session.flush()
    return topic


def rename_topic(topic: Topic, community: Community, actor: User, name: str) -> Topic:
    name = _topic_name(name)
    if _same_name(community, name, other_than=topic.id) is not None:
        raise IntroductionError(f"There is already a topic called “{name}”.")
    if name != topic.name:
        audit.record(community, actor, "introductions.topic-renamed", detail=f"{topic.name} → {name}")
        topic.name = name
    db.session.flush()
    return topic


def archive_topic(topic: Topic, community: Community, actor: User) -> None:
    """Hide it from new choices; what people already ticked keeps its meaning."""
    if topic.archived_at is None:
        topic.archived_at = utcnow()
        audit.record(community, actor, "introductions.topic-archived", detail=topic.name)
        db.session.flush()
