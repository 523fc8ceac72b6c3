"""The demo's introductions: topics in each community, Mia Member opted in at the next product
roundtable and the reunion with people worth meeting, one request for her to answer, two
accepted introductions and a few connections from earlier events."""

from __future__ import annotations

import random

from sqlalchemy import select

from community.auth.models import User
from community.communities.models import Community
from community.core.models import utcnow
from community.events.models import Event, EventKind, EventStatus
from community.extensions import db
from community.introductions import connections, optins, requests
from community.introductions.models import Topic
from community.members.models import Profile
from community.members.services import refresh_search
from community.rsvps.models import RSVP, RSVPStatus
from community.rsvps.services import respond

TOPICS = {
    "northfield-alumni": [
        "Career change",
        "Climate tech",
        "Fundraising",
        "Hiring",
        "Product management",
        "Starting a company",
    ],
    "product-circle": [
        "Hiring PMs",
        "Moving into product management",
        "Pricing",
        "Product discovery",
        "UX research",
    ],
    "launchpad-cohort-12": ["First developer job", "Freelancing", "Hiring", "Open source", "Pitching"],
}

#: What the people Mia should meet can help with and look for (their own words).
HELPERS = [
    (
        ["PM career advice", "product management interviews"],
        ["hiring data analysts"],
        "breaking into product",
    ),
    (["moving into product management"], ["SQL for product people"], "first 90 days as a PM"),
    (["UX research on a budget"], ["a data mentor"], "interviewing users"),
    (["fundraising for first-time founders"], ["product management"], ""),
    (["pricing experiments"], ["analytics dashboards"], "pricing pages"),
    (["hiring a first designer"], ["climate tech jobs"], ""),
]


def _going(event: Event, person: User) -> None:
    answers = {str(q.id): ("yes" if q.kind == "yes_no" else "") for q in event.questions if q.required}
    existing = db.session.scalar(select(RSVP).where(RSVP.event_id == event.id, RSVP.user_id == person.id))
    if existing is None or existing.status != RSVPStatus.GOING:
        respond(event, person, going=True, answers=answers, notify=False)


def _attendees(event: Event, skip: set[int], count: int) -> list[User]:
    return list(
        db.session.scalars(
            select(User)
            .join(RSVP, RSVP.user_id == User.id)
            .where(RSVP.event_id == event.id, RSVP.status == RSVPStatus.GOING, User.id.not_in(skip))
            .order_by(RSVP.id)
            .limit(count)
        )
    )


def _next(community: Community, kind: EventKind, *, past: bool = False) -> Event | None:
    now = utcnow()
    query = select(Event).where(
        Event.community_id == community.id, Event.kind == kind, Event.status == EventStatus.PUBLISHED
    )
    if past:
        return db.session.scalar(query.where(Event.ends_at < now).order_by(Event.starts_at.desc()).limit(1))
    return db.session.scalar(query.where(Event.starts_at > now).order_by(Event.starts_at).limit(1))


def load_demo_introductions(logins: dict[str, User]) -> int:
    """Once (skipped when topics exist). Returns the number of introductions made."""
    if db.session.scalar(select(Topic.id).limit(1)) is not None:
        return 0
    communities = {c.slug: c for c in db.session.scalars(select(Community))}
    organizer, member = logins["organizer"], logins["member"]
    for slug, names in TOPICS.items():
        if slug in communities:
            for name in names:
                optins.add_topic(communities[slug], organizer, name)
    circle, alumni = communities.get("product-circle"), communities.get("northfield-alumni")
    roundtable = _next(circle, EventKind.ROUNDTABLE) if circle else None
    reunion = _next(alumni, EventKind.REUNION) if alumni else None
    if roundtable is None or reunion is None:
        return 0
    profile = db.session.get(Profile, member.id)
    profile.looking_for = ["moving into product management", "a mentor for my first PM role"]
    profile.can_help_with = ["SQL and analytics dashboards", "hiring data analysts"]
    refresh_search(profile)
    topics = {t.name: t.id for t in optins.topics_of(circle)}
    for event in (roundtable, reunion):
        _going(event, member)
    optins.opt_in(
        roundtable,
        member,
        talk_about="how to move from analytics into product",
        seeks=[topics["Moving into product management"]],
        offers=[topics["UX research"]],
    )
    optins.opt_in(reunion, member, talk_about="career changes since graduation")
    rng = random.Random(11)
    people = _attendees(roundtable, {member.id, organizer.id}, 14)
    for number, person in enumerate(people):
        if number < len(HELPERS):
            helps, looks, talk = HELPERS[number]
            theirs = db.session.get(Profile, person.id)
            theirs.can_help_with, theirs.looking_for = helps, looks
            theirs.visibility = {
                **(theirs.visibility or {}),
                "can_help_with": "members",
                "looking_for": "members",
            }
            refresh_search(theirs)
        else:
            talk = ""
        offers = rng.sample(sorted(topics.values()), 1)
        optins.opt_in(
            roundtable, person, talk_about=talk, offers=offers, seeks=rng.sample(sorted(topics.values()), 1)
        )
    for person in _attendees(reunion, {member.id, organizer.id}, 10):
        optins.opt_in(reunion, person)
    made = 0
    # Two accepted introductions, and one request waiting for Mia's answer.
    for person, note in (
        (people[6], "We're both at the roundtable: coffee before it starts?"),
        (people[7], "I'd love to hear how you set up your first product analytics."),
    ):
        requests.accept(requests.ask(member, person, community=circle, event=roundtable, note=note), person)
        made += 1
    requests.ask(
        people[0],
        member,
        community=circle,
        event=roundtable,
        reasons="You can help each other",
        note="Happy to share how I moved into product; I'd love your take on analytics hiring.",
    )
    made += 1
    # A few connections from an earlier roundtable they both went to.
    earlier = _next(circle, EventKind.ROUNDTABLE, past=True)
    if earlier is not None:
        if (
            db.session.scalar(select(RSVP.id).where(RSVP.event_id == earlier.id, RSVP.user_id == member.id))
            is None
        ):
            db.session.add(
                RSVP(
                    event_id=earlier.id,
                    user_id=member.id,
                    status=RSVPStatus.GOING,
                    queued_at=earlier.starts_at,
                    checked_in_at=earlier.starts_at,
                )
            )
        for person in _attendees(earlier, {member.id, organizer.id}, 3):
            connections.connect(member, person, how=connections.MET, event=earlier, at=earlier.ends_at)
    db.session.flush()
    return made
