"""The demo command. Each capability adds its own part to `load_demo`."""

from __future__ import annotations

import random
import time

import click
from flask.cli import with_appcontext
from sqlalchemy import insert, select, text

from community.auth.models import User
from community.auth.passwords import hash_password
from community.core.models import utcnow
from community.demo.admin import load_demo_admin
from community.demo.attendance import load_demo_attendance
from community.demo.communities import load_demo_communities, load_scale_community
from community.demo.events import load_demo_events
from community.demo.history import load_demo_history
from community.demo.introductions import load_demo_introductions
from community.demo.mail import load_demo_mail
from community.demo.people import FIRST_NAMES, LAST_NAMES
from community.demo.scale import MEMBERS_PER_EVENT, REUNION_GOING, default_event_count, load_scale_events
from community.demo.tables import load_demo_tables
from community.extensions import db

DEMO_PASSWORD = "roundtable-demo"
DEMO_DOMAIN = "example.org"  # reserved for examples (RFC 2606): never someone's real inbox
CROWD_DOMAIN = "demo.example.org"
SCALE_DOMAIN = "scale.example.org"
DEMO_MEMBER_COUNT = 160

#: The accounts printed for a newcomer to log in with: (email, name, what it is for, is_admin).
#: The "what for" is what demo.communities and demo.events give each one.
DEMO_LOGINS = [
    (
        "admin@" + DEMO_DOMAIN,
        "Ada Admin",
        "site administrator: /admin/ (outbox, a failed email to retry, accounts and communities, "
        "Sam Spammer's suspended account, the admin audit log); in no community",
        True,
    ),
    (
        "organizer@" + DEMO_DOMAIN,
        "Olu Organizer",
        "owns all three communities and organizes their events",
        False,
    ),
    (
        "member@" + DEMO_DOMAIN,
        "Mia Member",
        "a member of all three communities, going to the reunion and the next product roundtable, "
        "with suggestions to meet people, an introduction to answer, and two years of events behind her: "
        "a network with fading connections (/me/network) and goals with their history (/me/goals)",
        False,
    ),
]


def demo_people(count: int, domain: str, seed: int) -> list[tuple[str, str]]:
    """`count` (email, name) pairs, the same every time for the same seed."""
    rng = random.Random(seed)
    people = []
    for number in range(1, count + 1):
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        people.append((f"person{number}@{domain}", f"{first} {last}"))
    return people


def insert_missing_users(people: list[tuple[str, str]], password_hash: str) -> int:
    """Insert the people whose email has no account yet, in bulk. Returns how many."""
    existing = set(db.session.scalars(select(User.email).where(User.email.in_([e for e, _ in people]))))
    now = utcnow()
    rows = [
        {
            "email": email,
            "name": name,
            "password_hash": password_hash,
            "email_verified_at": now,
            "created_at": now,
            "updated_at": now,
        }
        for email, name in people
        if email not in existing
    ]
    for start in range(0, len(rows), 2000):
        db.session.execute(insert(User), rows[start : start + 2000])
    return len(rows)


def load_demo(password_hash: str) -> dict[str, int]:
    """The hand-made demo: named logins and a realistic crowd of members."""
    created = 0
    for email, name, _, is_admin in DEMO_LOGINS:
        if db.session.scalar(select(User).where(User.email == email)) is None:
            db.session.add(
                User(
                    email=email,
                    name=name,
                    password_hash=password_hash,
                    email_verified_at=utcnow(),
                    is_admin=is_admin,
                )
            )
            created += 1
    db.session.flush()
    crowd_people = demo_people(DEMO_MEMBER_COUNT, CROWD_DOMAIN, seed=2026)
    created += insert_missing_users(crowd_people, password_hash)
    logins = {
        email.split("@")[0]: db.session.scalar(select(User).where(User.email == email))
        for email, *_ in DEMO_LOGINS
    }
    crowd = list(
        db.session.scalars(
            select(User).where(User.email.in_([email for email, _ in crowd_people])).order_by(User.id)
        )
    )
    communities = load_demo_communities(logins, crowd)
    events = load_demo_events(logins["organizer"])
    introductions = load_demo_introductions(logins)
    tables = load_demo_tables(logins)
    history = load_demo_history(logins)
    attendance = load_demo_attendance(logins)
    failed_mail = load_demo_mail()
    admin_actions = load_demo_admin(logins, crowd, password_hash)
    return {
        "accounts": created,
        "communities": communities,
        "events": events,
        "introductions": introductions,
        "table plans": tables,
        "past events of Mia's history": history,
        "alumni events of two years": attendance,
        "failed emails": failed_mail,
        "admin actions": admin_actions,
    }


def load_scale(count: int, password_hash: str, events: int | None = None) -> dict[str, int]:
    """`count` generated members, each with a profile, in one big community, with `events`
    events (default: one per 50 members) and their RSVPs, for benchmarks (demo.scale)."""
    people = demo_people(count, SCALE_DOMAIN, seed=count)
    created = insert_missing_users(people, password_hash)
    users = db.session.execute(
        select(User.id, User.name).where(User.email.like(f"%@{SCALE_DOMAIN}")).order_by(User.id)
    ).all()
    rng = random.Random(count)
    community_id = load_scale_community([(user_id, name) for user_id, name in users], rng)
    event_count = default_event_count(count) if events is None else events
    added = load_scale_events(community_id, [user_id for user_id, _ in users], event_count, rng)
    return {"accounts": created, **added}


@click.command("demo")
@click.option(
    "--scale",
    type=click.IntRange(min=1, max=1_000_000),
    default=None,
    help=(
        "Generate this many members, each with a profile, in one community for benchmarks, with "
        f"events (one per {MEMBERS_PER_EVENT} members, spread over two years) and their RSVPs: "
        f"a reunion with {REUNION_GOING} going (all but its organizer, with fewer members), up to 20 "
        "going to each other event."
    ),
)
@click.option(
    "--events",
    type=click.IntRange(min=1, max=100_000),
    default=None,
    help=f"With --scale: this many events instead of one per {MEMBERS_PER_EVENT} members.",
)
@with_appcontext
def demo(scale: int | None, events: int | None) -> None:
    """Load the demo data (safe to run again: nothing is added twice) and print the logins."""
    started = time.perf_counter()
    password_hash = hash_password(DEMO_PASSWORD)  # one hash for every demo account: fast
    figures = load_scale(scale, password_hash, events) if scale else load_demo(password_hash)
    db.session.commit()
    if scale:
        # Fresh statistics for the bulk-loaded rows: without them PostgreSQL plans the
        # directory's search count as a nested loop (14 s at 5,000 members, 12 ms after).
        db.session.execute(text("ANALYZE"))
        db.session.commit()
    summary = ", ".join(f"{number} {what}" for what, number in figures.items())
    click.echo(f"Demo data loaded in {time.perf_counter() - started:.1f}s (new: {summary}).")
    if scale:
        click.echo(
            f"\nScale logins (password: {DEMO_PASSWORD}): person1@{SCALE_DOMAIN} owns the community "
            f"and organizes its events; person2@{SCALE_DOMAIN} is a member going to the reunion."
        )
    else:
        click.echo(f"\nDemo logins (password for all: {DEMO_PASSWORD}):")
        for email, name, purpose, _ in DEMO_LOGINS:
            click.echo(f"  {email:<22} {name}: {purpose}")
