"""Two years of events and attendance for the demo alumni association, so that every Insights
chart means something on a fresh demo: reunions for class-year cohorts, career roundtables,
lectures and chapter evenings, each with RSVPs and check-ins (some no-shows); regulars, people who
come now and then, newcomers who joined lately; people who met or were introduced at some events;
members who came often 7 to 18 months ago and not since (the "Drifting away" list), and a
roundtable coming up soon to invite them to. Members' join dates are spread over the years
before their first event, and a few left.

Mia Member (whose own history demo.history tells) and the organizers are not among the people
here. Seeded and relative to today, like the rest of the demo."""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta

from sqlalchemy import func, select, update

from community.auth.models import User
from community.communities.models import Community, Membership, MembershipStatus, Role
from community.core.audit import AuditEntry
from community.core.models import utcnow
from community.events.models import Event, EventKind
from community.events.services import EventDetails, create_event
from community.events.timing import to_local
from community.extensions import db
from community.introductions import connections
from community.introductions.models import Introduction, IntroductionStatus
from community.rsvps.models import RSVP, RSVPStatus
from community.rsvps.services import respond

ALUMNI = "northfield-alumni"
R, T, S, U = EventKind.ROUNDTABLE, EventKind.TALK, EventKind.SOCIAL, EventKind.REUNION
#: (months ago, title, kind, cohorts). Titles start unlike the demo's other events (tests find
#: those by the start of their title).
PAST = [
    (24, "Reunion: Class of 2014 · 10 years on", U, ("Class of 2014",)),
    (23, "Career roundtable: first jobs in finance", R, ()),
    (22, "Alumni lecture: the future of rivers", T, ()),
    (20, "London chapter drinks", S, ()),
    (19, "Career roundtable: from the lab to a startup", R, ()),
    (18, "Reunion: Class of 2010 · 15 years on", U, ("Class of 2010",)),
    (17, "Alumni lecture: AI in the newsroom", T, ()),
    (16, "Career roundtable: leading without the title", R, ()),
    (14, "Reunion: Class of 2020 · 5 years on", U, ("Class of 2020",)),
    (13, "Alumni lecture: cities after cars", T, ()),
    (12, "Career roundtable: moving abroad", R, ()),
    (11, "Lagos chapter dinner", S, ()),
    (10, "Reunion: Class of 2006 · 20 years on", U, ("Class of 2006",)),
    (9, "Career roundtable: the portfolio career", R, ()),
    (8, "Alumni lecture: a history of the Old Quad", T, ()),
    (7, "Career roundtable: negotiating pay", R, ()),
    (4, "Reunion dinner: Classes of 2004 and 2008", U, ("Class of 2004", "Class of 2008")),
    (4, "Career roundtable: going back to study", R, ()),
    (2, "Alumni lecture: what the Class of 2030 will need", T, ()),
    (1, "Toronto chapter drinks", S, ()),
]
UPCOMING = "Career roundtable: careers in public service"
UPCOMING_IN_DAYS = 17
PLACES = {
    R: ("Alumni House, Seminar Room 2", "3 College Green, Northfield, MN 55057, USA", 30),
    T: ("Northfield University, Hale Lecture Theatre", "1 College Green, Northfield, MN 55057, USA", 50),
    S: ("The Boathouse", "", None),
    U: ("Northfield University, Old Quad", "1 College Green, Northfield, MN 55057, USA", 40),
}
#: How many people play each part, and how likely each is to be going to an event of a month.
DRIFTERS, REGULARS = 9, 24
REGULAR_ODDS, OCCASIONAL_ODDS, DRIFTER_ODDS, COHORT_ODDS = 0.55, 0.1, 0.5, 0.6
NO_SHOW_ODDS = 0.15
#: Drifters come to events this many months ago (the year before the last 6 months).
DRIFTING_FROM, DRIFTING_TO = 18, 7


def _day(today: date, months: int, week: int) -> date:
    """The Tuesday of week `week` (0-3) of the calendar month `months` before today's."""
    index = today.year * 12 + today.month - 1 - months
    first = date(index // 12, index % 12 + 1, 1)
    return first + timedelta(days=(1 - first.weekday()) % 7 + 7 * week)


def _event(alumni: Community, organizer: User, day: date, title: str, kind: EventKind, cohorts) -> Event:
    venue, address, capacity = PLACES[kind]
    return create_event(
        alumni,
        organizer,
        EventDetails(
            title=title,
            kind=kind,
            cohorts=tuple(cohorts),
            start_day=day,
            end_day=day,
            start_time=time(18, 30),
            end_time=time(21, 0),
            timezone=alumni.timezone,
            venue_name=venue,
            address=address,
            capacity=capacity,
            description="Drinks from 18:30, conversation from 19:00. Bring a classmate.",
        ),
        publish=True,
    )


def _recent_attendees(alumni: Community, since: datetime) -> set[int]:
    """Who has an RSVP to an alumni event since `since` (the demo's other parts wrote them)."""
    return set(
        db.session.scalars(
            select(RSVP.user_id)
            .join(Event, Event.id == RSVP.event_id)
            .where(Event.community_id == alumni.id, Event.starts_at >= since, Event.starts_at <= utcnow())
        )
    )


def _going(event: Event, user_id: int, rng: random.Random, *, sure: bool = False) -> bool:
    """A going RSVP written as history; returns whether they were checked in (`sure`: they were)."""
    came = sure or rng.random() >= NO_SHOW_ODDS
    queued = event.starts_at - timedelta(days=rng.randint(2, 35))
    db.session.add(
        RSVP(
            event_id=event.id,
            user_id=user_id,
            status=RSVPStatus.GOING,
            queued_at=queued,
            created_at=queued,
            checked_in_at=event.starts_at + timedelta(minutes=rng.randint(0, 50)) if came else None,
        )
    )
    return came


def _meetings(event: Event, came: list[int], people: dict[int, User], rng: random.Random) -> int:
    """Some people who came met (a connection) or were introduced (an introduction, mostly
    accepted, then a connection); returns how many introductions."""
    if len(came) < 4:
        return 0
    pairs = rng.sample([(a, b) for i, a in enumerate(came) for b in came[i + 1 :]], k=rng.randint(2, 5))
    for one, other in pairs[:-2]:
        connections.connect(people[one], people[other], how=connections.MET, event=event, at=event.ends_at)
    introduced = 0
    for asker, recipient in pairs[-2:]:
        asked = event.starts_at - timedelta(days=rng.randint(1, 6))
        status = rng.choices(
            [IntroductionStatus.ACCEPTED, IntroductionStatus.DECLINED, IntroductionStatus.EXPIRED], [7, 2, 1]
        )[0]
        answered = (
            asked + timedelta(hours=rng.randint(2, 40)) if status != IntroductionStatus.EXPIRED else None
        )
        db.session.add(
            Introduction(
                community_id=event.community_id, event_id=event.id, event_key=event.id,
                asker_id=asker, recipient_id=recipient, status=status,
                note="We were both at the last roundtable: I'd love to hear how you made the move.",
                asker_accepted_at=asked, created_at=asked, updated_at=answered or asked,
                recipient_accepted_at=answered if status == IntroductionStatus.ACCEPTED else None,
                answered_at=answered, expires_at=asked + timedelta(days=14),
            )
        )  # fmt: skip
        introduced += 1
        if status == IntroductionStatus.ACCEPTED:
            connections.connect(
                people[asker], people[recipient], how=connections.INTRODUCED, event=event, at=answered
            )
    return introduced


def _spread_join_dates(alumni: Community, organizer: User, rng: random.Random, now: datetime) -> None:
    """Everyone joined some time in the last 30 months, and before the first event they came to;
    the organizer first of all."""
    first_events = dict(
        db.session.execute(
            select(RSVP.user_id, func.min(Event.starts_at))
            .join(Event, Event.id == RSVP.event_id)
            .where(Event.community_id == alumni.id, Event.starts_at <= now)
            .group_by(RSVP.user_id)
        ).all()
    )
    founded = now - timedelta(days=30 * 30)
    alumni.created_at = founded
    memberships = db.session.scalars(
        select(Membership).where(
            Membership.community_id == alumni.id, Membership.status == MembershipStatus.ACTIVE
        )
    )
    for membership in memberships:
        joined = now - timedelta(days=rng.randint(20, 29 * 30))
        first = first_events.get(membership.user_id)
        if first is not None:
            joined = min(joined, first - timedelta(days=rng.randint(7, 90)))
        if membership.user_id == organizer.id:
            joined = founded
        membership.joined_at = membership.requested_at = max(joined, founded)


def _some_left(alumni: Community, rng: random.Random, now: datetime) -> None:
    """A few people left over the two years (the log keeps "member.left")."""
    members = select(Membership.user_id).where(Membership.community_id == alumni.id)
    former = list(
        db.session.scalars(
            select(User.id).where(User.id.not_in(members), User.email.like("person%")).limit(4)
        )
    )
    for user_id in former:
        db.session.add(
            AuditEntry(
                community_id=alumni.id, actor_id=user_id, action="member.left", subject_user_id=user_id,
                created_at=now - timedelta(days=rng.randint(30, 700)),
            )
        )  # fmt: skip


def load_demo_attendance(logins: dict[str, User]) -> int:
    """Once (skipped when the upcoming roundtable exists). Returns the number of events added."""
    alumni = db.session.scalar(select(Community).where(Community.slug == ALUMNI))
    if alumni is None or db.session.scalar(select(Event.id).where(Event.title == UPCOMING)) is not None:
        return 0
    organizer, mia = logins["organizer"], logins["member"]
    rng = random.Random(2024)
    now = utcnow()
    today = to_local(now, alumni.timezone).date()
    members = db.session.execute(
        select(User, Membership.cohort)
        .join(Membership, Membership.user_id == User.id)
        .where(
            Membership.community_id == alumni.id,
            Membership.status == MembershipStatus.ACTIVE,
            Membership.role == Role.MEMBER,
            User.id != mia.id,
        )
        .order_by(User.id)
    ).all()
    people = {user.id: user for user, _ in members}
    cohort_of = {user.id: cohort for user, cohort in members}
    recent = _recent_attendees(alumni, now - timedelta(days=6 * 31))
    ids = list(people)
    rng.shuffle(ids)
    drifters = [user_id for user_id in ids if user_id not in recent][:DRIFTERS]
    regulars = [user_id for user_id in ids if user_id not in drifters][:REGULARS]
    # Newcomers: the last fifth of the shuffle only come from 12 months ago.
    newcomers = set(ids[-len(ids) // 5 :]) - set(drifters) - set(regulars)
    visits: dict[int, int] = dict.fromkeys(drifters, 0)  # drifters' events in their year

    def odds(user_id: int, months: int, cohorts: tuple[str, ...]) -> float:
        if user_id in newcomers and months > 12:
            return 0.0
        for_them = not cohorts or cohort_of[user_id] in cohorts
        if user_id in visits:
            if not DRIFTING_TO <= months <= DRIFTING_FROM or not for_them:
                return 0.0
            return 1.0 if visits[user_id] < 2 and months <= 9 else DRIFTER_ODDS  # two at least
        if cohorts:
            return COHORT_ODDS if for_them else 0.0
        return REGULAR_ODDS if user_id in regulars else OCCASIONAL_ODDS

    week: dict[int, int] = {}
    for months, title, kind, cohorts in PAST:
        week[months] = week.get(months, -1) + 1
        event = _event(alumni, organizer, _day(today, months, 1 + week[months]), title, kind, cohorts)
        came = []
        for user_id in ids:
            if rng.random() >= odds(user_id, months, cohorts):
                continue
            drifting_year = user_id in visits
            if _going(event, user_id, rng, sure=drifting_year):
                came.append(user_id)
            if drifting_year:
                visits[user_id] += 1
        db.session.flush()
        if kind in (R, S) or months % 3 == 0:
            _meetings(event, came, people, rng)
    upcoming = _event(alumni, organizer, today + timedelta(days=UPCOMING_IN_DAYS), UPCOMING, R, ())
    for user_id in regulars[:12]:
        respond(upcoming, people[user_id], going=True, notify=False)
    # The other parts of the demo wrote past RSVPs as made today: make them as old as their queue time.
    past = select(Event.id).where(Event.community_id == alumni.id, Event.starts_at <= now)
    db.session.execute(
        update(RSVP)
        .where(RSVP.event_id.in_(past), RSVP.created_at > RSVP.queued_at)
        .values(created_at=RSVP.queued_at)
        .execution_options(synchronize_session=False)
    )
    _spread_join_dates(alumni, organizer, rng, now)
    _some_left(alumni, rng, now)
    db.session.flush()
    return len(PAST) + 1
