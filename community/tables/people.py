"""Who is seated at an event and what the planner weighs about them, read from RSVPs,
profiles, memberships, earlier plans of the same series and connections (a fixed number of
queries, whatever the number of people)."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select

from community.auth.models import User
from community.communities.models import Membership
from community.events.models import Event
from community.extensions import db
from community.introductions.models import Connection
from community.introductions.optins import introductions_enabled
from community.introductions.suggestions import strong_pairs
from community.members.models import Profile
from community.rsvps.models import RSVP, RSVPStatus
from community.tables.models import Seated, TablePlan, TableSeat


def guest_key(host_id: int, number: int) -> str:
    return f"{host_id}+{number}"


def parse_key(key: str) -> tuple[int | None, int | None, int]:
    """(user_id, guest_of_id, guest_number) for a planner id."""
    if "+" in key:
        host, number = key.split("+", 1)
        return None, int(host), int(number)
    return int(key), None, 0


@dataclass
class Attendance:
    """The people to seat (planner ids) and what the planner needs to know about them."""

    people: list[str] = field(default_factory=list)
    guests: dict[str, list[str]] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)
    organisation: dict[str, str] = field(default_factory=dict)
    attributes: dict[str, dict[str, str]] = field(default_factory=dict)
    history: list[tuple[str, str]] = field(default_factory=list)
    connections: list[tuple[str, str]] = field(default_factory=list)
    #: Pairs with a strong introductions match (when introductions are on): together once.
    matches: list[tuple[str, str]] = field(default_factory=list)

    @property
    def user_ids(self) -> list[int]:
        return [int(key) for key in self.people if "+" not in key]


def attendance(event: Event, seated: Seated) -> Attendance:
    """Everyone going (with guests as "Guest of <name>", seated with their host), or only
    those checked in, in the order they answered."""
    query = (
        select(User, RSVP.guests, Profile.organisation, Profile.industry, Membership.cohort)
        .join(RSVP, RSVP.user_id == User.id)
        .outerjoin(Profile, Profile.user_id == User.id)
        .outerjoin(
            Membership, (Membership.user_id == User.id) & (Membership.community_id == event.community_id)
        )
        .where(RSVP.event_id == event.id, RSVP.status == RSVPStatus.GOING, User.deleted_at.is_(None))
        .order_by(RSVP.queued_at, RSVP.id)
    )
    if seated == Seated.CHECKED_IN:
        query = query.where(RSVP.checked_in_at.is_not(None))
    found = Attendance()
    for user, guests, organisation, industry, cohort in db.session.execute(query).all():
        key = str(user.id)
        found.people.append(key)
        found.names[key] = user.name
        if organisation:
            found.organisation[key] = organisation
        found.attributes[key] = {"cohort": cohort or "", "industry": industry or ""}
        if guests:
            party = [guest_key(user.id, n) for n in range(1, guests + 1)]
            found.guests[key] = party
            for guest in party:
                found.names[guest] = f"Guest of {user.name}"
    ids = found.user_ids
    found.history = earlier_pairs(event, ids)
    found.connections = connected_pairs(ids)
    if introductions_enabled(event):
        seated_ids = set(ids)
        found.matches = [
            (str(a), str(b)) for a, b in strong_pairs(event) if a in seated_ids and b in seated_ids
        ]
    return found


def earlier_pairs(event: Event, user_ids: list[int]) -> list[tuple[str, str]]:
    """Pairs of these people who shared a table at an earlier event of the same series (in its
    current plan), once per round they did."""
    if event.series_id is None or len(user_ids) < 2:
        return []
    rows = db.session.execute(
        select(TableSeat.plan_id, TableSeat.round, TableSeat.table, TableSeat.user_id)
        .join(TablePlan, TablePlan.id == TableSeat.plan_id)
        .join(Event, Event.id == TablePlan.event_id)
        .where(
            Event.series_id == event.series_id,
            Event.starts_at < event.starts_at,
            TablePlan.is_current.is_(True),
            TableSeat.user_id.in_(user_ids),
        )
    ).all()
    tables: dict[tuple[int, int, int], list[int]] = {}
    for plan_id, round_, table, user_id in rows:
        tables.setdefault((plan_id, round_, table), []).append(user_id)
    pairs = []
    for members in tables.values():
        members.sort()
        pairs += [(str(a), str(b)) for i, a in enumerate(members) for b in members[i + 1 :]]
    return pairs


def connected_pairs(user_ids: list[int]) -> list[tuple[str, str]]:
    """Pairs of these people who are connections (they know each other already)."""
    if len(user_ids) < 2:
        return []
    rows = db.session.execute(
        select(Connection.first_id, Connection.second_id).where(
            Connection.first_id.in_(user_ids), Connection.second_id.in_(user_ids)
        )
    ).all()
    return [(str(a), str(b)) for a, b in rows]


def people_names(plan: TablePlan) -> dict[str, str]:
    """Every seated person's name as organizers see it (guests as "Guest of <name>")."""
    names = {}
    for seat in plan.seats:
        if seat.user is not None:
            names[seat.key] = seat.user.name
        elif seat.guest_of is not None:
            names[seat.key] = f"Guest of {seat.guest_of.name}"
    return names
