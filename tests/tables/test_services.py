"""Making, re-planning, restoring and publishing table plans (community/tables/services.py)."""

from __future__ import annotations

from datetime import date, timedelta
from itertools import combinations

import pytest
from sqlalchemy import func, select

from community.events.models import EventSeries
from community.extensions import db
from community.rsvps.models import RSVP, RSVPStatus
from community.tables import queries, services
from community.tables.models import Seated, TablePlan, TableSeat
from community.tables.people import earlier_pairs
from community.tables.services import Settings, TablesError
from tests.conftest import outbox_messages
from tests.factories import create_event, create_rsvp, create_user


def plan_count() -> int:
    return db.session.scalar(select(func.count(TablePlan.id)))


def seat_count() -> int:
    return db.session.scalar(select(func.count(TableSeat.id)))


def tables_in(plan: TablePlan) -> list[list[set[str]]]:
    return [[set(table) for table in round_] for round_ in queries.rounds_of(plan)]


def test_a_plan_seats_everyone_going_once_a_round_without_repeats(roundtable):
    plan = services.make_plan(roundtable.event, roundtable.organizer, Settings(rounds=3, table_size=3))
    db.session.commit()

    rounds = tables_in(plan)
    assert len(rounds) == 3
    everyone = {str(p.id) for p in roundtable.people}
    for round_ in rounds:
        assert set().union(*round_) == everyone
        assert sorted(len(t) for t in round_) == [3, 3, 3, 3]
    pairs = [frozenset(pair) for round_ in rounds for table in round_ for pair in combinations(table, 2)]
    assert len(pairs) == len(set(pairs))  # no two people meet twice
    assert plan.report["repeats"] == 0
    assert plan.report["summary"].startswith("Everyone meets 6 new people")
    assert plan.is_current and plan.published_at is None
    assert plan.table_names == ["Table 1", "Table 2", "Table 3", "Table 4"]


def test_guests_sit_with_their_host_in_every_round(roundtable):
    ana = roundtable.person("Ana")
    db.session.scalar(select(RSVP).where(RSVP.user_id == ana.id)).guests = 1
    db.session.commit()
    plan = services.make_plan(roundtable.event, roundtable.organizer, Settings(rounds=2, table_count=3))
    db.session.commit()

    for round_ in tables_in(plan):
        host_table = next(t for t in round_ if str(ana.id) in t)
        assert f"{ana.id}+1" in host_table
    assert "Guest of Ana" in {name for _, _, name in queries.csv_rows(plan)}


def test_only_those_checked_in_are_seated_when_asked(roundtable):
    for person in roundtable.people[:4]:
        db.session.scalar(select(RSVP).where(RSVP.user_id == person.id)).checked_in_at = db.func.now()
    db.session.commit()
    plan = services.make_plan(
        roundtable.event, roundtable.organizer, Settings(rounds=1, table_size=2, seated=Seated.CHECKED_IN)
    )
    seated = {seat.user_id for seat in plan.seats}
    assert seated == {p.id for p in roundtable.people[:4]}


def test_people_who_sat_together_at_an_earlier_event_of_the_series_are_spread(roundtable):
    series = EventSeries(community_id=roundtable.community.id, frequency="monthly")
    db.session.add(series)
    db.session.flush()
    earlier = create_event(
        roundtable.community, roundtable.organizer, title="Last month", day=date.today() + timedelta(days=3)
    )
    earlier.series_id = roundtable.event.series_id = series.id
    for person in roundtable.people:
        create_rsvp(earlier, person)
    db.session.commit()
    services.make_plan(earlier, roundtable.organizer, Settings(rounds=1, table_size=3))
    db.session.commit()

    ids = [p.id for p in roundtable.people]
    assert len(earlier_pairs(roundtable.event, ids)) == 4 * 3  # four tables of three
    assert earlier_pairs(earlier, ids) == []  # only earlier events count
    plan = services.make_plan(roundtable.event, roundtable.organizer, Settings(rounds=1, table_size=3))
    assert plan.report["history_pairs"] == []
    assert plan.report["summary"] == "Everyone meets 2 new people; no one sits with the same person twice."


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        (Settings(rounds=2, table_size=13), "A table of 13 is larger than the 12 people to seat."),
        (Settings(rounds=9, table_size=4), "Choose between 1 and 8 rounds."),
        (Settings(rounds=2, table_count=13), "There are more tables (13) than people (12)."),
    ],
)
def test_bad_settings_are_refused_and_nothing_is_written(roundtable, settings, message):
    with pytest.raises(TablesError) as refused:
        services.make_plan(roundtable.event, roundtable.organizer, settings)
    assert refused.value.message == message
    assert plan_count() == 0 and seat_count() == 0


def test_pins_to_a_missing_table_and_together_and_apart_are_refused(roundtable):
    ana, bo = (str(roundtable.person(n).id) for n in ("Ana", "Bo"))
    with pytest.raises(TablesError):
        services.make_plan(
            roundtable.event, roundtable.organizer, Settings(rounds=2, table_size=4, pins={(ana, 1): 9})
        )
    with pytest.raises(TablesError):
        services.make_plan(
            roundtable.event,
            roundtable.organizer,
            Settings(rounds=2, table_size=4, together=[(ana, bo)], apart=[(ana, bo)]),
        )
    assert plan_count() == 0


def test_a_pin_holds(roundtable):
    ana = str(roundtable.person("Ana").id)
    plan = services.make_plan(
        roundtable.event, roundtable.organizer, Settings(rounds=2, table_size=4, pins={(ana, 2): 3})
    )
    assert ana in tables_in(plan)[1][2]


def test_no_one_to_seat_is_refused(roundtable):
    empty = create_event(roundtable.community, roundtable.organizer, title="Nobody yet")
    with pytest.raises(TablesError) as refused:
        services.make_plan(empty, roundtable.organizer, Settings(rounds=1, table_size=4))
    assert refused.value.message == "There is no one going to seat yet."
    assert plan_count() == 0


def test_replanning_from_a_round_keeps_the_earlier_rounds_and_seats_latecomers(roundtable):
    first = services.make_plan(roundtable.event, roundtable.organizer, Settings(rounds=3, table_size=4))
    db.session.commit()
    before = tables_in(first)
    late = create_user(name="Late Lee")
    create_rsvp(roundtable.event, late, minutes_ago=1)
    gone = roundtable.person("Lu")
    db.session.scalar(select(RSVP).where(RSVP.user_id == gone.id)).status = RSVPStatus.NOT_GOING
    db.session.commit()

    second = services.replan(roundtable.event, roundtable.organizer, from_round=2)
    db.session.commit()
    after = tables_in(second)

    assert after[0] == before[0]  # round 1 happened as it was
    for round_ in after[1:]:
        seated = set().union(*round_)
        assert str(late.id) in seated and str(gone.id) not in seated
    assert second.kept_rounds == 1 and second.is_current
    db.session.refresh(first)
    assert not first.is_current  # kept, to restore


def cancel(roundtable, *names: str) -> None:
    for name in names:
        rsvp = db.session.scalar(select(RSVP).where(RSVP.user_id == roundtable.person(name).id))
        rsvp.status = RSVPStatus.NOT_GOING
    db.session.commit()


def test_replanning_from_a_round_after_many_left_keeps_the_rooms_tables(roundtable):
    first = services.make_plan(roundtable.event, roundtable.organizer, Settings(rounds=2, table_size=6))
    db.session.commit()
    cancel(roundtable, "Gus", "Hal", "Ida", "Jo", "Kit", "Lu")  # six left: one table of 6 would do

    second = services.replan(roundtable.event, roundtable.organizer, from_round=2)
    db.session.commit()

    assert second.table_names == first.table_names == ["Table 1", "Table 2"]
    assert tables_in(second)[0] == tables_in(first)[0]
    assert sorted(len(table) for table in tables_in(second)[1]) == [3, 3]
    assert len(queries.csv_rows(second)) == 12 + 6 and len(queries.grid(second)) == 2


def test_pins_in_kept_rounds_and_of_people_gone_do_not_block_a_replan(roundtable):
    ana, lu = str(roundtable.person("Ana").id), str(roundtable.person("Lu").id)
    services.make_plan(roundtable.event, roundtable.organizer, Settings(rounds=3, table_size=4))
    services.pin(roundtable.event, roundtable.organizer, ana, 1, 2)
    services.pin(roundtable.event, roundtable.organizer, lu, 3, 1)
    db.session.commit()
    cancel(roundtable, "Lu")

    from_two = services.replan(roundtable.event, roundtable.organizer, from_round=2)
    db.session.commit()
    assert ana in tables_in(from_two)[0][1]  # round 1 as it was, pin and all
    assert all(lu not in table for round_ in tables_in(from_two)[1:] for table in round_)

    pinned = services.pin(roundtable.event, roundtable.organizer, ana, 3, 3)
    db.session.commit()
    assert pinned.kept_rounds == 1 and tables_in(pinned)[0] == tables_in(from_two)[0]
    assert ana in tables_in(pinned)[2][2]
    with pytest.raises(TablesError) as refused:
        services.pin(roundtable.event, roundtable.organizer, ana, 1, 1)
    assert refused.value.message == "Round 1 has been kept as it was; pin people in a later round."


def test_a_new_plan_keeps_pairs_together_or_apart(roundtable):
    bo, cy = str(roundtable.person("Bo").id), str(roundtable.person("Cy").id)
    services.make_plan(roundtable.event, roundtable.organizer, Settings(rounds=2, table_size=4))
    services.keep(roundtable.event, roundtable.organizer, bo, cy, together=False)
    fresh = services.make_plan(roundtable.event, roundtable.organizer, Settings(rounds=3, table_size=3))
    db.session.commit()
    assert fresh.constraints["apart"] == [[bo, cy]]
    assert all(not {bo, cy} <= table for round_ in tables_in(fresh) for table in round_)


def test_publishing_skips_people_who_cancelled_since_the_plan(roundtable):
    plan = services.make_plan(roundtable.event, roundtable.organizer, Settings(rounds=2, table_size=4))
    db.session.commit()
    cancel(roundtable, "Lu")
    assert services.publish(plan, roundtable.organizer) == 11
    assert outbox_messages("tables.published", to="lu@example.org") == []


def test_replanning_from_a_round_beyond_the_plan_is_refused(roundtable):
    services.make_plan(roundtable.event, roundtable.organizer, Settings(rounds=2, table_size=4))
    db.session.commit()
    with pytest.raises(TablesError) as refused:
        services.replan(roundtable.event, roundtable.organizer, from_round=3)
    assert refused.value.message == "Choose a round from 2 to 2 to re-plan from."
    assert plan_count() == 1


def test_replan_makes_a_fresh_alternative_not_a_copy(roundtable):
    first = services.make_plan(roundtable.event, roundtable.organizer, Settings(rounds=3, table_size=3))
    second = services.replan(roundtable.event, roundtable.organizer)
    assert second.seed != first.seed and second.report["repeats"] == 0
    groups = [{frozenset(table) for table in round_} for round_ in tables_in(first)]
    assert [{frozenset(table) for table in round_} for round_ in tables_in(second)] != groups


def test_restoring_an_older_plan_makes_it_current_again(roundtable):
    first = services.make_plan(roundtable.event, roundtable.organizer, Settings(rounds=2, table_size=4))
    second = services.replan(roundtable.event, roundtable.organizer)
    db.session.commit()
    assert queries.current_plan(roundtable.event).id == second.id
    services.restore(first, roundtable.organizer)
    db.session.commit()
    assert queries.current_plan(roundtable.event).id == first.id
    assert not db.session.get(TablePlan, second.id).is_current


def test_publishing_emails_each_seated_attendee_once(roundtable):
    plan = services.make_plan(roundtable.event, roundtable.organizer, Settings(rounds=2, table_size=4))
    sent = services.publish(plan, roundtable.organizer)
    db.session.commit()

    assert sent == 12
    messages = outbox_messages("tables.published")
    assert sorted(m.to_address for m in messages) == sorted(p.email for p in roundtable.people)
    assert {m.subject for m in messages} == {"Your tables for Product roundtable"}
    ana_mail = outbox_messages("tables.published", to="ana@example.org")[0]
    assert "Round 1: table " in ana_mail.body_text and "Round 2: table " in ana_mail.body_text

    with pytest.raises(TablesError):
        services.publish(plan, roundtable.organizer)  # publishing again sends nothing
    assert len(outbox_messages("tables.published")) == 12


def test_pins_are_kept_in_every_replan_after(roundtable):
    ana, bo, cy = (str(roundtable.person(n).id) for n in ("Ana", "Bo", "Cy"))
    services.make_plan(roundtable.event, roundtable.organizer, Settings(rounds=3, table_size=3))
    pinned = services.pin(roundtable.event, roundtable.organizer, ana, 2, 4)
    kept = services.keep(roundtable.event, roundtable.organizer, bo, cy, together=True)
    again = services.replan(roundtable.event, roundtable.organizer)
    db.session.commit()

    assert ana in tables_in(pinned)[1][3]
    for plan in (kept, again):
        assert ana in tables_in(plan)[1][3]
        for round_ in tables_in(plan):
            assert any({bo, cy} <= table for table in round_)
    assert again.constraints == {"pins": [[ana, 2, 4]], "together": [[bo, cy]], "apart": []}

    cleared = services.clear_pins(roundtable.event, roundtable.organizer)
    assert cleared.constraints == {"pins": [], "together": [], "apart": []}


def test_a_pin_to_a_table_that_does_not_exist_changes_nothing(roundtable):
    ana = str(roundtable.person("Ana").id)
    services.make_plan(roundtable.event, roundtable.organizer, Settings(rounds=2, table_size=3))
    db.session.commit()
    with pytest.raises(TablesError) as refused:
        services.pin(roundtable.event, roundtable.organizer, ana, 1, 5)
    assert refused.value.message == "There is no table 5: this plan has 4."
    with pytest.raises(TablesError):
        services.keep(roundtable.event, roundtable.organizer, ana, ana, together=False)
    assert plan_count() == 1


def test_an_organizer_who_has_not_confirmed_their_email_cannot_publish(roundtable):
    plan = services.make_plan(roundtable.event, roundtable.organizer, Settings(rounds=1, table_size=3))
    roundtable.organizer.email_verified_at = None
    db.session.commit()
    with pytest.raises(TablesError):
        services.publish(plan, roundtable.organizer)
    assert plan.published_at is None
    assert queries.published_plan(roundtable.event) is None
    assert outbox_messages("tables.published") == []


def test_people_with_a_strong_introductions_match_sit_together_once(roundtable):
    """Rule 5: with introductions on (a roundtable's default), a strong "can help with" /
    "looking for" match between two people who opted in puts them at one table at least once."""
    from community.introductions import optins
    from community.members.models import Profile

    ana, lu = roundtable.person("Ana"), roundtable.person("Lu")
    db.session.get(Profile, ana.id).can_help_with = ["Fundraising for founders"]
    db.session.get(Profile, lu.id).looking_for = ["advice on fundraising for founders"]
    for person in roundtable.people:
        optins.opt_in(roundtable.event, person)
    db.session.commit()

    for seed in range(3):  # whatever the seed
        plan = services.make_plan(
            roundtable.event, roundtable.organizer, Settings(rounds=2, table_size=3), seed=seed
        )
        together = [
            table for round_ in tables_in(plan) for table in round_ if {str(ana.id), str(lu.id)} <= table
        ]
        assert together, f"seed {seed}: Ana and Lu never share a table"


def test_without_introductions_a_match_is_not_pulled_together(roundtable):
    from community.tables.people import attendance

    assert attendance(roundtable.event, Seated.GOING).matches == []  # nobody opted in
