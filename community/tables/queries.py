"""Reading table plans: an event's current, published and older plans, the grid organizers
see, and "your tables" as an attendee may see them (names as profile privacy allows)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from community.auth.models import User
from community.communities.models import Membership, MembershipStatus
from community.core.kept import kept_in_community
from community.events.models import Event
from community.extensions import db
from community.members.models import Profile
from community.members.people import seen_by, shares_a_community_with
from community.rsvps.models import RSVP, RSVPStatus
from community.tables.models import TablePlan, TableSeat


def _with_seats():
    return selectinload(TablePlan.seats).options(
        selectinload(TableSeat.user), selectinload(TableSeat.guest_of)
    )


def current_plan(event: Event) -> TablePlan | None:
    return db.session.scalar(
        select(TablePlan)
        .options(_with_seats())
        .where(TablePlan.event_id == event.id, TablePlan.is_current.is_(True))
    )


def may_have_published_plan(event: Event) -> bool:
    """False when the event has no published plan for certain: kept under its community's page
    version (core.kept), which publishing a plan raises (services.publish), so most event pages
    skip asking."""
    return kept_in_community(
        event.community_id, ("published plan", event.id), lambda: published_plan(event) is not None
    )


def published_plan(event: Event) -> TablePlan | None:
    """The plan attendees see: the one published last."""
    return db.session.scalar(
        select(TablePlan)
        .where(TablePlan.event_id == event.id, TablePlan.published_at.is_not(None))
        .order_by(TablePlan.published_at.desc(), TablePlan.id.desc())
        .limit(1)
    )


def plans_of(event: Event) -> list[TablePlan]:
    """Every plan made for the event, newest first (without their seats)."""
    return list(
        db.session.scalars(
            select(TablePlan).where(TablePlan.event_id == event.id).order_by(TablePlan.id.desc())
        )
    )


def plan_of(event: Event, plan_id: int) -> TablePlan | None:
    """One plan of this event with its seats (None for another event's plan)."""
    return db.session.scalar(
        select(TablePlan)
        .options(_with_seats())
        .where(TablePlan.id == plan_id, TablePlan.event_id == event.id)
    )


def rounds_of(plan: TablePlan) -> list[list[list[str]]]:
    """round -> table -> planner ids, as the planner gave them."""
    rounds: list[list[list[str]]] = [[[] for _ in plan.table_names] for _ in range(plan.rounds)]
    for seat in plan.seats:
        rounds[seat.round][seat.table].append(seat.key)
    return rounds


def seat_name(seat: TableSeat) -> str:
    """The name organizers see (guests as "Guest of <name>")."""
    if seat.user is not None:
        return seat.user.name
    return f"Guest of {seat.guest_of.name}" if seat.guest_of is not None else "Guest"


@dataclass(frozen=True)
class GridRow:
    """One table down the grid: its name and, for each round across, the names at it."""

    name: str
    cells: list[list[str]]


def grid(plan: TablePlan) -> list[GridRow]:
    rows = [GridRow(name, [[] for _ in range(plan.rounds)]) for name in plan.table_names]
    for seat in plan.seats:
        rows[seat.table].cells[seat.round].append(seat_name(seat))
    return rows


def csv_rows(plan: TablePlan) -> list[tuple[int, str, str]]:
    """(round counting from 1, table name, name), one per person per round."""
    return [(seat.round + 1, plan.table_names[seat.table], seat_name(seat)) for seat in plan.seats]


@dataclass(frozen=True)
class YourTable:
    """One round of "your tables": the table and the others at it the viewer may see."""

    round: int  # counting from 1
    table: str
    with_names: list[str]
    hidden: int  # others whose names the viewer may not see

    @property
    def sentence(self) -> str:
        names = list(self.with_names)
        if self.hidden:
            names.append(f"{self.hidden} other{'s' if self.hidden > 1 else ''}")
        company = f", with {', '.join(names)}" if names else ""
        table = self.table.lower() if self.table.startswith("Table ") else self.table
        return f"Round {self.round}: {table}{company}"


def _your_tables(plan: TablePlan, viewer: User, seats, visible, at=None) -> list[YourTable]:
    """`seats`: the plan's seats; `visible(seat)`: the name the viewer sees, or None; `at`:
    the seats grouped by (round, table), when the caller has them (every attendee's tables)."""
    at = at if at is not None else _by_table(seats)
    mine = {(s.round, s.table) for s in seats if s.user_id == viewer.id}
    found = []
    for round_, table in sorted(mine):
        others = [s for s in at[(round_, table)] if s.user_id != viewer.id]
        names = [name for name in (visible(s) for s in others) if name is not None]
        found.append(YourTable(round_ + 1, plan.table_names[table], names, len(others) - len(names)))
    return found


def _by_table(seats) -> dict[tuple[int, int], list[TableSeat]]:
    grouped: dict[tuple[int, int], list[TableSeat]] = {}
    for seat in seats:
        grouped.setdefault((seat.round, seat.table), []).append(seat)
    return grouped


def your_tables(plan: TablePlan, viewer: User) -> list[YourTable]:
    """The viewer's table in each round of a published plan, with names as they may see them
    (two queries: the seats, and the seated people with their profiles)."""
    seats = list(
        db.session.scalars(select(TableSeat).where(TableSeat.plan_id == plan.id).order_by(TableSeat.id))
    )
    ids = {s.user_id or s.guest_of_id for s in seats}
    rows = db.session.execute(
        select(User, Profile, shares_a_community_with(viewer))
        .outerjoin(Profile, Profile.user_id == User.id)
        .where(User.id.in_(ids), User.deleted_at.is_(None))
    ).all()
    views = {user.id: seen_by(viewer, user, profile, shared) for user, profile, shared in rows}
    return _your_tables(plan, viewer, seats, lambda seat: _visible_name(seat, views))


def _visible_name(seat: TableSeat, views: dict) -> str | None:
    view = views.get(seat.user_id or seat.guest_of_id)
    if view is None:
        return None
    return view.name if seat.user_id is not None else f"Guest of {view.name}"


def tables_by_person(plan: TablePlan) -> list[tuple[User, list[YourTable]]]:
    """Every seated person (not guests, not deleted accounts) with their tables, as they may
    see the others: members of the event's community see members' names (a fixed number of
    queries)."""
    seats = list(plan.seats)
    ids = {s.user_id or s.guest_of_id for s in seats}
    rows = db.session.execute(
        select(User, Profile).outerjoin(Profile, Profile.user_id == User.id).where(User.id.in_(ids))
    ).all()
    going = set(  # who cancelled since the plan was made gets no "your tables"
        db.session.scalars(
            select(RSVP.user_id).where(
                RSVP.event_id == plan.event_id, RSVP.status == RSVPStatus.GOING, RSVP.user_id.in_(ids)
            )
        )
    )
    members = set(
        db.session.scalars(
            select(Membership.user_id).where(
                Membership.community_id == plan.event.community_id,
                Membership.status == MembershipStatus.ACTIVE,
                Membership.user_id.in_(ids),
            )
        )
    )
    at = _by_table(seats)
    seats_of: dict[int, list[TableSeat]] = {}
    for seat in seats:
        if seat.user_id is not None:
            seats_of.setdefault(seat.user_id, []).append(seat)
    people = {user.id: (user, profile) for user, profile in rows if user.deleted_at is None}
    result = []
    for viewer, _ in rows:
        if viewer.deleted_at is not None or viewer.id not in going or viewer.id not in seats_of:
            continue
        # Only the viewer's tablemates: every view of everyone would be n x n at a large event.
        mine = seats_of[viewer.id]
        mates = {s.user_id or s.guest_of_id for seat in mine for s in at[(seat.round, seat.table)]}
        views = {
            person: seen_by(viewer, *people[person], viewer.id in members and person in members)
            for person in mates
            if person in people
        }
        tables = _your_tables(plan, viewer, mine, lambda seat, v=views: _visible_name(seat, v), at)
        result.append((viewer, tables))
    result.sort(key=lambda item: item[0].id)
    return result


def names_by_key(plan: TablePlan) -> dict[str, str]:
    """Planner id -> the name organizers see, for the report's pairs."""
    return {seat.key: seat_name(seat) for seat in plan.seats}


def tables_people(plan: TablePlan) -> set[int]:
    """The accounts seated in the plan and still going: those publishing emails (guests are
    not emailed)."""
    seated = {seat.user_id for seat in plan.seats if seat.user_id is not None}
    return set(
        db.session.scalars(
            select(RSVP.user_id)
            .join(User, User.id == RSVP.user_id)
            .where(
                RSVP.event_id == plan.event_id,
                RSVP.status == RSVPStatus.GOING,
                RSVP.user_id.in_(seated),
                User.deleted_at.is_(None),
            )
        )
    )


def pinnable(plan: TablePlan) -> list[tuple[str, str]]:
    """(planner id, name) of the people in a plan who can be pinned (guests move with their host)."""
    people = {seat.key: seat_name(seat) for seat in plan.seats if seat.user_id is not None}
    return sorted(people.items(), key=lambda item: (item[1].casefold(), item[0]))


@dataclass(frozen=True)
class Figure:
    """One number of a plan's quality report, for the stats and the side-by-side comparison."""

    label: str
    short: str  # a column heading where plans sit side by side
    value: str
    better: str  # "lower" or "higher": which way a second plan compares favourably


def figures(report: dict) -> list[Figure]:
    """The report kept with a plan, as the figures the organizer compares plans by."""
    fewest, most = report.get("fewest_new", 0), report.get("most_new", 0)
    mixed = report.get("mean_diversity")
    mixed_value = "–" if mixed is None else f"{mixed * 100:.0f}%"
    new_value = str(most) if fewest == most else f"{fewest}–{most}"
    return [
        Figure("repeated pairs", "Repeats", str(report.get("repeats", 0)), "lower"),
        Figure("pairs from earlier events", "Met before", str(len(report.get("history_pairs", []))), "lower"),
        Figure(
            "connections together", "Connections", str(len(report.get("connections_together", []))), "lower"
        ),
        Figure("tables with colleagues", "Colleagues", str(len(report.get("colleague_tables", []))), "lower"),
        Figure("mixed (cohorts, industries)", "Mixed", mixed_value, "higher"),
        Figure("new people each", "New people", new_value, "higher"),
    ]
