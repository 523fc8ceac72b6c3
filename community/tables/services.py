"""Making, re-planning, restoring and publishing an event's table plans. Each service checks
its input first and writes nothing when it refuses (TablesError, with a message meant for the
organizer); publishing emails each seated attendee their tables through the outbox."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from sqlalchemy import func, select, update

from community.auth.models import User
from community.core import audit, page_versions
from community.core.errors import DomainError, NotAllowed
from community.core.mail import quota
from community.core.mail.services import compose_email
from community.core.models import utcnow
from community.events.models import Event
from community.extensions import db
from community.tables import queries
from community.tables.models import Seated, TablePlan, TableSeat
from community.tables.people import attendance, parse_key
from community.tables.planner import MAX_ROUNDS, PlanError, plan_tables


class TablesError(DomainError):
    """A plan that cannot be made, published or restored; the message says why."""


@dataclass(frozen=True)
class Settings:
    """What the organizer chose: a table size or a number of tables, rounds, who is seated."""

    rounds: int
    table_size: int | None = None
    table_count: int | None = None
    seated: Seated = Seated.GOING
    named_tables: list[tuple[str, int]] | None = None  # [(name, seats)] instead of a size or count
    pins: dict[tuple[str, int], int] = field(default_factory=dict)  # (person, round) -> table
    together: list[tuple[str, str]] = field(default_factory=list)
    apart: list[tuple[str, str]] = field(default_factory=list)


def settings_of(plan: TablePlan) -> Settings:
    kept = plan.constraints or {}
    return Settings(
        rounds=plan.rounds,
        table_size=plan.table_size,
        table_count=plan.table_count,
        seated=plan.seated,
        named_tables=[(name, seats) for name, seats in kept["named_tables"]]
        if kept.get("named_tables")
        else None,
        pins={(person, round_): table for person, round_, table in kept.get("pins", [])},
        together=[tuple(pair) for pair in kept.get("together", [])],
        apart=[tuple(pair) for pair in kept.get("apart", [])],
    )


def _constraints(settings: Settings) -> dict:
    named = (
        {"named_tables": [[name, seats] for name, seats in settings.named_tables]}
        if settings.named_tables
        else {}
    )
    return {
        **named,
        "pins": [[person, round_, table] for (person, round_), table in sorted(settings.pins.items())],
        "together": [list(pair) for pair in settings.together],
        "apart": [list(pair) for pair in settings.apart],
    }


def make_plan(event: Event, actor: User, settings: Settings, *, seed: int | None = None) -> TablePlan:
    """A new plan, made current (the one before stays, unpublished changes and all, to restore).
    People kept together or apart stay so; pins do not, as the tables may have changed."""
    current = queries.current_plan(event)
    if current is not None:
        before = settings_of(current)
        settings = replace(
            settings, together=settings.together or before.together, apart=settings.apart or before.apart
        )
    return _plan(event, actor, settings, seed=seed)


def replan(event: Event, actor: User, *, from_round: int | None = None) -> TablePlan:
    """A new plan with the current one's settings and a new seed: a fresh alternative (keeping
    seats would only hand the current plan's flaws on). From round N (counting from 1), rounds
    before N stay as they were and the later ones keep what seats they can."""
    current = _current(event)
    if from_round is None:
        return _plan(event, actor, settings_of(current))
    if not 2 <= from_round <= current.rounds:
        raise TablesError(f"Choose a round from 2 to {current.rounds} to re-plan from.")
    return _plan(event, actor, settings_of(current), previous=current, from_round=from_round)


def pin(event: Event, actor: User, person: str, round_: int, table: int) -> TablePlan:
    """Re-plan with `person` at `table` in `round_` (both counting from 1), keeping other seats
    where it can; a later pin of the same person in the same round replaces the earlier one."""
    current = _current(event)
    settings = settings_of(current)
    if not 1 <= round_ <= current.rounds:
        raise TablesError(f"Choose a round from 1 to {current.rounds}.")
    if not 1 <= table <= len(current.table_names):
        raise TablesError(f"There is no table {table}: this plan has {len(current.table_names)}.")
    if round_ <= current.kept_rounds:
        raise TablesError(f"Round {round_} has been kept as it was; pin people in a later round.")
    pins = {**settings.pins, (person, round_): table}
    return _around(event, actor, current, replace(settings, pins=pins))


def keep(event: Event, actor: User, first: str, second: str, *, together: bool) -> TablePlan:
    """Re-plan keeping two people together (in every round) or apart."""
    if first == second:
        raise TablesError("Choose two different people.")
    current = _current(event)
    settings = settings_of(current)
    pair = (first, second)
    if together:
        settings = replace(settings, together=[*settings.together, pair])
    else:
        settings = replace(settings, apart=[*settings.apart, pair])
    return _around(event, actor, current, settings)


def clear_pins(event: Event, actor: User) -> TablePlan:
    """Re-plan without any pins, together or apart."""
    current = _current(event)
    settings = replace(settings_of(current), pins={}, together=[], apart=[])
    return _around(event, actor, current, settings)


def _around(event: Event, actor: User, current: TablePlan, settings: Settings) -> TablePlan:
    """Re-plan the current plan with new pins, keeping the seats it can, and the rounds a
    re-plan from round N kept exactly as they were (they may have happened already)."""
    kept = current.kept_rounds
    return _plan(
        event, actor, settings, previous=current, seed=current.seed, from_round=kept + 1 if kept else None
    )


def _still_possible(settings: Settings, people, kept: int) -> Settings:
    """The settings without what can no longer apply: pins and pairs naming someone no longer
    seated (they cancelled, or never came in), and pins in rounds kept as they were (those
    rounds hold them already)."""
    present = set(people.people) | {guest for party in people.guests.values() for guest in party}
    return replace(
        settings,
        pins={(p, r): t for (p, r), t in settings.pins.items() if p in present and r > kept},
        together=[(a, b) for a, b in settings.together if a in present and b in present],
        apart=[(a, b) for a, b in settings.apart if a in present and b in present],
    )


def _current(event: Event) -> TablePlan:
    current = queries.current_plan(event)
    if current is None:
        raise TablesError("There is no plan yet: make one first.")
    return current


def _plan(event, actor, settings: Settings, *, seed=None, previous=None, from_round=None) -> TablePlan:
    if not 1 <= settings.rounds <= MAX_ROUNDS:
        raise TablesError(f"Choose between 1 and {MAX_ROUNDS} rounds.")
    people = attendance(event, settings.seated)
    if not people.people:
        who = "checked in" if settings.seated == Seated.CHECKED_IN else "going"
        raise TablesError(f"There is no one {who} to seat yet.")
    # One plan at a time per event: a second "Make plan" waits, then sees the first as current.
    db.session.execute(select(Event.id).where(Event.id == event.id).with_for_update())
    if seed is None:
        seed = db.session.scalar(select(func.count(TablePlan.id)).where(TablePlan.event_id == event.id)) or 0
    kept = from_round - 1 if previous is not None and from_round else 0
    settings = _still_possible(settings, people, kept)
    options = {
        "guests": people.guests,
        "history": people.history,
        "connections": people.connections,
        "organisation": people.organisation,
        "attributes": people.attributes,
        "matches": people.matches,
    }
    if settings.named_tables:
        options["named_tables"] = list(settings.named_tables)
    elif settings.table_count is not None:
        options["tables"] = settings.table_count
    if settings.pins:
        options["pins"] = {
            (person, round_ - 1): table - 1 for (person, round_), table in settings.pins.items()
        }
    if settings.together:
        options["together"] = settings.together
    if settings.apart:
        options["apart"] = settings.apart
    size = settings.table_size if settings.table_count is None and not settings.named_tables else None
    if previous is not None:
        earlier = queries.rounds_of(previous)
        options["previous_rounds"] = earlier
        if kept:
            options["fixed_rounds"] = earlier[:kept]
            if not settings.named_tables:  # the room keeps its tables for the rounds to come
                size, options["tables"] = None, len(previous.table_names)
    try:
        plan = plan_tables(people.people, size, settings.rounds, seed=seed, time_limit=5, **options)
    except PlanError as error:
        raise TablesError(str(error)) from error
    db.session.execute(update(TablePlan).where(TablePlan.event_id == event.id).values(is_current=False))
    saved = TablePlan(
        event_id=event.id,
        table_size=size,
        table_count=options.get("tables") if not settings.named_tables else None,
        rounds=settings.rounds,
        seated=settings.seated,
        seed=seed,
        kept_rounds=kept,
        table_names=list(plan.table_names),
        report=report_json(plan.report),
        constraints=_constraints(settings),
        created_by_id=actor.id,
        is_current=True,
    )
    for r, round_ in enumerate(plan.rounds):
        for t, table in enumerate(round_):
            for key in table:
                user_id, guest_of_id, number = parse_key(str(key))
                saved.seats.append(
                    TableSeat(round=r, table=t, user_id=user_id, guest_of_id=guest_of_id, guest_number=number)
                )
    db.session.add(saved)
    db.session.flush()
    audit.record(event.community, actor, "tables.planned", detail=event.title)
    return saved


def report_json(report) -> dict:
    """What the page shows of a report, kept with the plan (ids as strings)."""
    counts = sorted(report.new_people.values())
    return {
        "summary": report.summary(),
        "repeats": report.repeats,
        "repeated_pairs": [[str(a), str(b), times] for a, b, times in report.repeated_pairs],
        "history_pairs": [[str(a), str(b)] for a, b in report.history_pairs],
        "connections_together": [[str(a), str(b)] for a, b in report.connections_together],
        "colleague_tables": [[r, t, name] for r, t, name in report.colleague_tables],
        "apart_together": [[str(a), str(b)] for a, b in report.apart_together],
        "diversity": report.diversity,
        "mean_diversity": report.mean_diversity,
        "new_people": {str(k): v for k, v in report.new_people.items()},
        "fewest_new": counts[0] if counts else 0,
        "most_new": counts[-1] if counts else 0,
    }


def restore(plan: TablePlan, actor: User) -> None:
    """Make an older plan the current one again."""
    if plan.is_current:
        raise TablesError("This plan is already the current one.")
    db.session.execute(update(TablePlan).where(TablePlan.event_id == plan.event_id).values(is_current=False))
    plan.is_current = True
    db.session.flush()
    audit.record(plan.event.community, actor, "tables.restored", detail=plan.event.title)


def publish(plan: TablePlan, actor: User) -> int:
    """Show the plan to attendees and email each seated person their tables (once per
    publish, within the community's mail limits); returns how many were emailed."""
    if not plan.is_current:
        raise TablesError("Only the current plan can be published: restore it first.")
    latest = queries.published_plan(plan.event)
    if latest is not None and latest.id == plan.id:
        raise TablesError("This plan is already published: attendees can see it.")
    messages = [
        compose_email(
            to=user.email,
            subject=f"Your tables for {plan.event.title}",
            template="tables/your_tables",
            kind="tables.published",
            user=user,
            event=plan.event,
            rounds=rounds,
        )
        for user, rounds in queries.tables_by_person(plan)
    ]
    try:  # before anything changes: a refusal leaves the plan unpublished
        quota.charge(quota.MESSAGES, messages, sender=actor, community_id=plan.event.community_id)
    except NotAllowed as error:
        raise TablesError(error.message) from error
    plan.published_at = utcnow()
    page_versions.note_change(plan.event.community_id)  # members' pages show it (tables.queries)
    db.session.add_all(messages)
    db.session.flush()
    detail = f"{plan.event.title} ({len(messages)})"
    audit.record(plan.event.community, actor, "tables.published", detail=detail)
    return len(messages)
