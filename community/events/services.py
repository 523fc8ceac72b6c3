"""Creating, editing, publishing, cancelling and duplicating events, and recurring series.

Services flush; the request commits. What a change does to the people who answered (seats
moved, emails through the outbox) is the seat keeper's (events.hooks, kept by rsvps).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime, time

from sqlalchemy import select

from community.auth.models import User
from community.communities.models import Community
from community.core import audit
from community.core.errors import DomainError
from community.core.images import StoredImage
from community.core.models import utcnow
from community.events.covers import COVER_FIELDS, set_cover
from community.events.hooks import seat_keeper
from community.events.locking import lock_event
from community.events.models import Event, EventKind, EventQuestion, EventSeries, EventStatus, EventVisibility
from community.events.timing import all_day_bounds, local_to_utc, recurrence_dates, to_local
from community.extensions import db

MAX_QUESTIONS = 5


class EventError(DomainError):
    """An event rule was broken; the message says which."""


class CapacityBelowGoing(EventError):
    """The new capacity is below the seats already taken; the organizer must confirm."""

    def __init__(self, taken: int, capacity: int):
        super().__init__(
            f"{taken} seats are already taken, more than the new capacity of {capacity}. "
            f"Confirm to move the last {taken - capacity} people who said yes to the front of the waitlist."
        )
        self.taken = taken


@dataclass(frozen=True)
class Question:
    label: str
    kind: str = "text"  # "text", "choice" or "yes_no"
    choices: tuple[str, ...] = ()
    required: bool = False


@dataclass(frozen=True)
class EventDetails:
    """Everything an organizer sets on an event, as a validated form hands it over."""

    title: str
    start_day: date
    end_day: date
    timezone: str
    kind: EventKind = EventKind.MEETUP
    all_day: bool = False
    start_time: time = time(18, 0)
    end_time: time = time(20, 0)
    description: str = ""
    cohorts: tuple[str, ...] = ()
    venue_name: str = ""
    address: str = ""
    latitude: float | None = None
    longitude: float | None = None
    online_url: str = ""
    capacity: int | None = None
    #: Local wall-clock deadline in the event's zone; None for "until it starts".
    rsvp_deadline: datetime | None = None
    guests_allowed: int = 0
    requires_approval: bool = False
    waitlist_best_fit: bool = False
    offer_freed_seats: bool = False
    claim_window_minutes: int = 120
    visibility: EventVisibility = EventVisibility.PUBLIC
    attendee_list_public: bool = False
    questions: tuple[Question, ...] = field(default_factory=tuple)
    #: A new cover image (checked and redrawn by core.images), or None to keep the current one.
    cover: StoredImage | None = None
    remove_cover: bool = False
    #: What the cover shows; required while there is one.
    cover_alt: str = ""

    def bounds(self) -> tuple[datetime, datetime]:
        """Start and end in UTC. :raises DomainError: end before start, nonexistent times."""
        if self.all_day:
            return all_day_bounds(self.start_day, self.end_day, self.timezone)
        starts_at = local_to_utc(self.start_day, self.start_time, self.timezone)
        ends_at = local_to_utc(self.end_day, self.end_time, self.timezone)
        if ends_at <= starts_at:
            raise EventError("The event must end after it starts.")
        return starts_at, ends_at

    def deadline_utc(self, starts_at: datetime) -> datetime | None:
        if self.rsvp_deadline is None:
            return None
        deadline = local_to_utc(self.rsvp_deadline.date(), self.rsvp_deadline.time(), self.timezone)
        if deadline > starts_at:
            raise EventError("The RSVP deadline must be before the event starts.")
        return deadline


#: Changes to these raise the iCalendar SEQUENCE and tell people who are going.
SCHEDULE_FIELDS = ("starts_at", "ends_at", "all_day", "timezone", "venue_name", "address", "status")


def _apply(event: Event, details: EventDetails, starts_at: datetime, ends_at: datetime) -> None:
    if len(details.questions) > MAX_QUESTIONS:
        raise EventError(f"An event can ask at most {MAX_QUESTIONS} questions.")
    event.title = details.title.strip()
    event.kind = details.kind
    event.description = details.description
    event.cohorts = list(details.cohorts)
    event.all_day = details.all_day
    event.timezone = details.timezone
    event.starts_at, event.ends_at = starts_at, ends_at
    event.rsvp_deadline = details.deadline_utc(starts_at)
    event.venue_name, event.address = details.venue_name.strip(), details.address.strip()
    event.latitude, event.longitude = details.latitude, details.longitude
    event.online_url = details.online_url.strip()
    event.capacity = details.capacity
    event.guests_allowed = details.guests_allowed
    event.requires_approval = details.requires_approval
    event.waitlist_best_fit = details.waitlist_best_fit
    event.offer_freed_seats = details.offer_freed_seats
    event.claim_window_minutes = details.claim_window_minutes
    event.visibility = details.visibility
    event.attendee_list_public = details.attendee_list_public
    _set_questions(event, details.questions)
    set_cover(event, details.cover, remove=details.remove_cover, alt=details.cover_alt)


def _set_questions(event: Event, questions: tuple[Question, ...]) -> None:
    """Replace the questions, keeping the ids (and so the answers) of unchanged ones."""
    existing = {(q.label, q.kind): q for q in event.questions}
    kept = []
    for position, question in enumerate(questions):
        row = existing.pop((question.label, question.kind), None) or EventQuestion(
            label=question.label, kind=question.kind
        )
        row.position, row.choices, row.required = position, list(question.choices), question.required
        kept.append(row)
    event.questions = kept


def create_event(community: Community, actor: User, details: EventDetails, *, publish: bool = False) -> Event:
    starts_at, ends_at = details.bounds()
    event = Event(community=community, created_by_id=actor.id, status=EventStatus.DRAFT)
    _apply(event, details, starts_at, ends_at)
    if publish:
        event.status = EventStatus.PUBLISHED
    db.session.add(event)
    db.session.flush()
    audit.record(community, actor, "event.created", detail=event.title)
    return event


@dataclass(frozen=True)
class Recurrence:
    frequency: str  # "weekly" or "monthly"
    interval: int = 1
    weekday_ordinal: int | None = None
    until: date | None = None
    count: int | None = None


def create_series(
    community: Community, actor: User, details: EventDetails, rule: Recurrence, *, publish: bool = False
) -> list[Event]:
    """One event per occurrence, each with its own RSVPs, at the same local wall-clock time
    (so a 19:00 roundtable stays at 19:00 across a daylight-saving change)."""
    days = recurrence_dates(
        details.start_day,
        frequency=rule.frequency,
        interval=rule.interval,
        weekday_ordinal=rule.weekday_ordinal,
        until=rule.until,
        count=rule.count,
    )
    series = EventSeries(
        community_id=community.id,
        frequency=rule.frequency,
        interval=rule.interval,
        weekday_ordinal=rule.weekday_ordinal,
        count=rule.count,
        until=local_to_utc(rule.until, time(23, 59), details.timezone) if rule.until else None,
    )
    db.session.add(series)
    db.session.flush()
    length = details.end_day - details.start_day
    deadline_lead = (
        datetime.combine(details.start_day, details.start_time) - details.rsvp_deadline
        if details.rsvp_deadline
        else None
    )
    events = []
    for day in days:
        occurrence = replace(
            details,
            start_day=day,
            end_day=day + length,
            rsvp_deadline=datetime.combine(day, details.start_time) - deadline_lead
            if deadline_lead
            else None,
        )
        starts_at, ends_at = occurrence.bounds()
        event = Event(
            community=community,
            series_id=series.id,
            created_by_id=actor.id,
            status=EventStatus.PUBLISHED if publish else EventStatus.DRAFT,
        )
        _apply(event, occurrence, starts_at, ends_at)
        db.session.add(event)
        events.append(event)
    db.session.flush()
    audit.record(community, actor, "event.series_created", detail=f"{details.title}: {len(events)} events")
    return events


def following_in_series(event: Event) -> list[Event]:
    """This event and the later ones of its series (just this one if it has no series)."""
    if event.series_id is None:
        return [event]
    return list(
        db.session.scalars(
            select(Event)
            .where(Event.series_id == event.series_id, Event.starts_at >= event.starts_at)
            .order_by(Event.starts_at)
        )
    )


@dataclass
class EventUpdate:
    """The events an edit changed, and the people it moved (as the seat keeper says)."""

    events: list[Event]
    moved_to_waitlist: list = field(default_factory=list)
    promoted: list = field(default_factory=list)


def update_event(
    event: Event,
    actor: User,
    details: EventDetails,
    *,
    scope: str = "this",
    move_extra_to_waitlist: bool = False,
    now: datetime | None = None,
) -> EventUpdate:
    """Edit one event, or (scope="following") this and the later events of its series.

    For the following events, each keeps its own date, moved by as many days as this one
    moved, at the new local times.
    A new cover image, or removing it, applies to every event changed, like the other fields.
    :raises CapacityBelowGoing: unless the organizer confirmed moving people to the waitlist.
    """
    now = now or utcnow()
    targets = following_in_series(event) if scope == "following" else [event]
    old_local_day = to_local(event.starts_at, event.timezone).date()
    day_shift = details.start_day - old_local_day
    length = details.end_day - details.start_day
    result = EventUpdate(events=targets)
    keeps_covers = details.cover is None and not details.remove_cover
    own_cover = event.cover_image if keeps_covers and len(targets) > 1 else None
    for target in targets:
        if target.id == event.id:
            target_details = details
        else:
            day = to_local(target.starts_at, target.timezone).date() + day_shift
            target_details = replace(
                details,
                start_day=day,
                end_day=day + length,
                rsvp_deadline=(details.rsvp_deadline + (day - details.start_day))
                if details.rsvp_deadline
                else None,
            )
            if keeps_covers and target.cover_content_type and target.cover_image != own_cover:
                # A picture of its own (changed on that event alone) keeps its own description.
                target_details = replace(target_details, cover_alt=target.cover_alt)
        _update_one(target, actor, target_details, move_extra_to_waitlist, now, result)
    return result


def _update_one(
    event: Event,
    actor: User,
    details: EventDetails,
    move_extra_to_waitlist: bool,
    now: datetime,
    result: EventUpdate,
) -> None:
    starts_at, ends_at = details.bounds()
    event = lock_event(event)
    keeper = seat_keeper()
    keeper.check_capacity(event, details.capacity, confirmed=move_extra_to_waitlist)
    before = {name: getattr(event, name) for name in SCHEDULE_FIELDS}
    old_capacity = event.capacity
    _apply(event, details, starts_at, ends_at)
    schedule_changed = any(getattr(event, name) != value for name, value in before.items())
    if schedule_changed:
        event.sequence += 1
    db.session.flush()
    changes = keeper.event_updated(
        event, old_capacity=old_capacity, schedule_changed=schedule_changed, now=now
    )
    result.moved_to_waitlist += changes.moved_to_waitlist
    result.promoted += changes.promoted
    audit.record(event.community, actor, "event.updated", detail=event.title)


def publish_event(event: Event, actor: User) -> None:
    if event.status == EventStatus.CANCELLED:
        raise EventError("A cancelled event cannot be published again. Duplicate it instead.")
    if event.status != EventStatus.PUBLISHED:
        event.status = EventStatus.PUBLISHED
        db.session.flush()
        audit.record(event.community, actor, "event.published", detail=event.title)


def cancel_event(event: Event, actor: User, *, reason: str, scope: str = "this") -> list[Event]:
    """Cancel (this, or this and the following of its series); everyone who said yes, waits
    or holds an offer is told, with the reason. Cancelled events stay reachable."""
    if not reason.strip():
        raise EventError("Say why the event is cancelled: people who planned to come will read it.")
    targets = following_in_series(event) if scope == "following" else [event]
    for target in targets:
        if target.status == EventStatus.CANCELLED:
            continue
        target.status = EventStatus.CANCELLED
        target.cancel_reason = reason.strip()
        target.sequence += 1
        db.session.flush()
        seat_keeper().event_cancelled(target)
        audit.record(
            target.community, actor, "event.cancelled", detail=f"{target.title}: {reason.strip()}"[:500]
        )
    return targets


def duplicate_event(event: Event, actor: User) -> Event:
    """A draft copy with the same details and questions, and no RSVPs."""
    copy = Event(
        community=event.community,
        created_by_id=actor.id,
        status=EventStatus.DRAFT,
        title=f"{event.title} (copy)"[:200],
    )
    for name in (
        "kind", "description", "cohorts", "starts_at", "ends_at", "all_day", "timezone", "venue_name",
        "address", "latitude", "longitude", "online_url", "capacity", "rsvp_deadline", "guests_allowed",
        "requires_approval", "waitlist_best_fit", "offer_freed_seats", "claim_window_minutes",
        "visibility", "attendee_list_public", *COVER_FIELDS,
    ):  # fmt: skip
        setattr(copy, name, getattr(event, name))
    copy.questions = [
        EventQuestion(
            position=q.position, kind=q.kind, label=q.label, choices=list(q.choices), required=q.required
        )
        for q in event.questions
    ]
    db.session.add(copy)
    db.session.flush()
    audit.record(event.community, actor, "event.duplicated", detail=event.title)
    return copy


def is_past(event: Event, now: datetime | None = None) -> bool:
    return event.ends_at <= (now or utcnow())
