"""The pure table planner: classic cases, rules 1-5, bad input, re-plans, determinism."""

from __future__ import annotations

from collections import Counter
from itertools import combinations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from community.tables.planner import PlanError, plan_tables


def pair_counts(rounds) -> Counter:
    return Counter(
        frozenset(pair) for round_ in rounds for table in round_ for pair in combinations(table, 2)
    )


def assert_everyone_once_per_round(plan, people, *, even=True) -> None:
    for round_ in plan.rounds:
        seated = Counter(person for table in round_ for person in table)
        assert seated == Counter(people)
        if even:
            sizes = [len(table) for table in round_]
            assert max(sizes) - min(sizes) <= 1


def table_of(round_, person) -> int:
    return next(t for t, table in enumerate(round_) if person in table)


@pytest.mark.parametrize(
    ("people", "size", "rounds"),
    [(36, 6, 3), (32, 4, 8), (25, 5, 6), (48, 6, 3), (300, 8, 4), (120, 6, 4), (30, 4, 5)],
)
def test_classic_cases_have_no_repeated_pair(people, size, rounds):
    plan = plan_tables(range(people), size, rounds)
    assert_everyone_once_per_round(plan, range(people))
    assert all(len(table) <= size for round_ in plan.rounds for table in round_)
    assert max(pair_counts(plan.rounds).values()) == 1
    assert plan.report.repeats == 0 and plan.report.repeated_pairs == []


def test_twenty_five_in_tables_of_five_meet_everyone_exactly_once():
    plan = plan_tables([f"p{i}" for i in range(25)], 5, 6, seed=3)
    counts = pair_counts(plan.rounds)
    assert len(counts) == 25 * 24 // 2 and set(counts.values()) == {1}
    assert plan.report.summary().startswith(
        "Everyone meets 24 new people; no one sits with the same person twice."
    )


def test_search_alone_reaches_no_repeats_where_no_construction_applies():
    # 30 in tables of 4 and 5, five rounds: greedy start then tabu search, within a step budget.
    plan = plan_tables(range(30), 4, 5, seed=1, max_steps=5_000)
    assert plan.method == "greedy" and plan.report.repeats == 0
    assert plan_tables(range(32), 4, 8).method == "construction"  # finite geometry over GF(2)


def test_too_many_rounds_gives_the_fewest_repeats_found_not_an_error():
    # 6 rounds of 9 pairs seat 54 pairs, but there are only 36: at least 18 repeats.
    plan = plan_tables(range(9), 3, 6, max_steps=3_000)
    assert_everyone_once_per_round(plan, range(9))
    assert plan.report.repeats == 18
    assert "share a table more than once" in plan.report.summary()


@pytest.mark.parametrize(
    ("people", "size", "rounds", "options", "message"),
    [
        ([], 4, 2, {}, "There is no one to seat."),
        (range(5), 6, 2, {}, "A table of 6 is larger than the 5 people to seat."),
        (range(30), 1, 2, {}, "Choose a table size between 2 and 20."),
        (range(30), 21, 2, {}, "Choose a table size between 2 and 20."),
        (range(30), 4, 9, {}, "Choose between 1 and 8 rounds."),
        (range(30), 4, 0, {}, "Choose between 1 and 8 rounds."),
        (
            range(12),
            4,
            2,
            {"pins": {(0, 0): 3}},
            "0 is pinned to table 4, which does not exist (there are 3).",
        ),
        (range(12), 4, 2, {"pins": {(0, 2): 0}}, "0 is pinned in round 3, which the plan does not have."),
        (
            range(12),
            4,
            2,
            {"together": [(1, 2)], "apart": [(2, 1)]},
            "2 and 1 cannot be kept both together and apart.",
        ),
        (range(12), 4, 2, {"pins": {(1, 0): 0, (2, 0): 0}, "apart": [(1, 2)]}, "pinned to the same table"),
        (range(12), 4, 2, {"guests": {99: ["g"]}}, "(99) is not among the people seated."),
        (
            range(12),
            4,
            2,
            {"guests": {0: ["a", "b", "c", "d"]}},
            "The party of 5 (0, a, b, c, d) does not fit",
        ),
        (
            range(12),
            4,
            2,
            {"pins": {(i, 0): 0 for i in range(5)}},
            "More people are pinned to table 1 in round 1",
        ),
        (range(12), None, 2, {"tables": 20}, "There are more tables (20) than people (12)."),
        (range(12), None, 2, {"named_tables": [("Window", 6), ("Door", 4)]}, "The named tables seat 10"),
        ([1, 2, 1], 2, 1, {}, "1 is listed twice."),
        (range(10), None, 2, {"tables": 6}, "6 tables for 10 people would leave someone alone"),
        (range(4), None, 1, {"named_tables": [("A", 6), ("B", 6), ("C", 6)]}, "alone at a table"),
        (range(1001), 10, 1, {}, "A table plan seats at most 1,000 people; there are 1,001."),
        (range(12), 4, 2, {"fixed_rounds": [[[0, 1], [2, 3], [4, 5], [6, 7, 8, 9, 10, 11]]]}, "more tables"),
    ],
)
def test_bad_input_raises_a_clear_message(people, size, rounds, options, message):
    with pytest.raises(PlanError) as error:
        plan_tables(people, size, rounds, **options)
    assert message in str(error.value)
    assert isinstance(error.value, ValueError)


def test_no_one_sits_alone_an_odd_one_out_joins_a_table():
    plan = plan_tables(range(5), 2, 2)
    assert sorted(len(table) for table in plan.rounds[0]) == [2, 3]  # pairs and one trio


def test_pins_together_and_apart_hold_in_every_round():
    pins = {("ana", 0): 2, ("ana", 1): 0, ("ben", 2): 1}
    people = ["ana", "ben", "cy", "dee"] + [f"p{i}" for i in range(16)]
    plan = plan_tables(
        people, 5, 3, pins=pins, together=[("cy", "dee")], apart=[("ana", "p0"), ("ben", "p1")]
    )
    assert_everyone_once_per_round(plan, people)
    for (person, r), t in pins.items():
        assert person in plan.rounds[r][t]
    for round_ in plan.rounds:
        assert table_of(round_, "cy") == table_of(round_, "dee")
        assert table_of(round_, "ana") != table_of(round_, "p0")
        assert table_of(round_, "ben") != table_of(round_, "p1")
    assert plan.report.apart_together == []


def test_guests_sit_with_their_host_and_are_added_when_missing():
    people = list(range(36)) + ["guest of 3"]
    plan = plan_tables(people, 5, 3, guests={3: ["guest of 3", "plus one"], 7: ["friend"]})
    assert_everyone_once_per_round(plan, people + ["plus one", "friend"])
    for round_ in plan.rounds:
        assert table_of(round_, 3) == table_of(round_, "guest of 3") == table_of(round_, "plus one")
        assert table_of(round_, 7) == table_of(round_, "friend")
    assert plan.report.repeated_pairs == []  # a party sitting together is no repeat
    assert (
        plan.report.new_people["plus one"] == plan.report.new_people[3] >= 2 + 3 * 1
    )  # the other two, then one or two new people a round


def test_named_tables_keep_their_seats():
    plan = plan_tables(range(13), None, 2, named_tables=[("Window", 8), ("Door", 4), ("Bar", 4)])
    assert plan.table_names == ["Window", "Door", "Bar"]
    for round_ in plan.rounds:
        assert [len(t) for t in round_] == [6, 4, 3] or sum(map(len, round_)) == 13
        assert len(round_[0]) <= 8 and len(round_[1]) <= 4 and len(round_[2]) <= 4


def test_a_number_of_tables_instead_of_a_size():
    plan = plan_tables(range(23), None, 2, tables=4)
    assert [sorted(len(t) for t in r) for r in plan.rounds] == [[5, 6, 6, 6]] * 2


def test_earlier_events_and_connections_are_spread_when_possible():
    history = {frozenset((0, 1)): 2, frozenset((0, 2)): 1, frozenset((1, 2)): 1}
    plan = plan_tables(range(12), 4, 2, history=history, connections=[(3, 4), (4, 5), (3, 5)])
    assert plan.report.history_pairs == []
    assert plan.report.connections_together == []
    assert all(count == 12 - 1 - 2 * 0 or count >= 5 for count in plan.report.new_people.values())
    assert plan.report.new_people[0] == 6  # two rounds of three new faces, none known before


def test_colleagues_are_spread_when_possible():
    organisation = {i: ("Acme" if i < 3 else "Initech" if i < 6 else "") for i in range(12)}
    plan = plan_tables(range(12), 4, 3, organisation=organisation)
    assert plan.report.colleague_tables == []
    crowded = plan_tables(range(12), 4, 1, organisation={i: " ACME" if i < 4 else "" for i in range(12)})
    assert [name for _, _, name in crowded.report.colleague_tables] == ["acme"]  # four at three tables


def test_tables_mix_cohorts_and_strong_matches_meet():
    attributes = {i: {"cohort": f"c{i % 4}", "industry": f"i{i // 4}"} for i in range(16)}
    matches = [(0, 5), (2, 7), (9, 14)]  # a cohort and an industry apart
    plan = plan_tables(range(16), 4, 2, attributes=attributes, matches=matches)
    assert plan.report.mean_diversity == 1.0
    assert plan.report.matches_missed == [] and plan.report.matches_met == 3
    assert all(score == 1.0 for round_ in plan.report.diversity for score in round_)


def test_same_seed_same_plan_and_another_seed_another():
    options = {"organisation": {i: f"o{i % 5}" for i in range(40)}, "history": [(0, 1), (2, 3)]}
    first = plan_tables(range(40), 6, 3, seed=11, **options)
    assert plan_tables(range(40), 6, 3, seed=11, **options).rounds == first.rounds
    assert plan_tables(range(40), 6, 3, seed=12, **options).rounds != first.rounds


def test_replan_from_a_round_keeps_earlier_rounds_and_most_seats():
    people = [f"p{i}" for i in range(24)]
    before = plan_tables(people, 4, 3, seed=5)
    now = [p for p in people if p != "p7"] + ["late"]  # a no-show and a late arrival
    after = plan_tables(now, 4, 3, seed=5, fixed_rounds=before.rounds[:1], previous_rounds=before.rounds)
    assert after.rounds[0] == before.rounds[0]
    assert_everyone_once_per_round(type("P", (), {"rounds": after.rounds[1:]})(), now)
    assert after.report.repeats == 0
    kept = sum(
        1
        for r in (1, 2)
        for person in now
        if person != "late" and table_of(after.rounds[r], person) == table_of(before.rounds[r], person)
    )
    assert kept >= 2 * 22 - 4  # nearly everyone keeps the seat the plan gave them
    with pytest.raises(PlanError, match="kept as it was"):
        plan_tables(now, 4, 3, fixed_rounds=before.rounds[:1], pins={("p1", 0): 0})


@settings(max_examples=40, deadline=None)
@given(data=st.data())
def test_any_valid_input_seats_everyone_once_per_round_keeps_pins_and_guests(data):
    count = data.draw(st.integers(4, 40), label="people")
    size = data.draw(st.integers(4, min(10, count)), label="size")
    rounds = data.draw(st.integers(1, 5), label="rounds")
    tables = -(-count // size)
    people = list(range(count))
    hosts = data.draw(st.lists(st.sampled_from(people), unique=True, max_size=count // 4), label="hosts")
    guests = {host: [f"guest of {host}"] for host in hosts}
    everyone = people + [g for party in guests.values() for g in party]
    tables = -(-len(everyone) // size)
    singles = [p for p in people if p not in guests]
    slots = data.draw(
        st.lists(st.tuples(st.integers(0, rounds - 1), st.integers(0, tables - 1)), unique=True, max_size=3),
        label="pinned slots",  # at most one pin per table and round: always room for them
    )
    pinned = data.draw(st.permutations(singles), label="pinned people")[: len(slots)]
    pins = {(person, r): t for person, (r, t) in zip(pinned, slots, strict=False)}
    seed = data.draw(st.integers(0, 3))
    plan = plan_tables(people, size, rounds, seed=seed, guests=guests, pins=pins, max_steps=300)
    assert_everyone_once_per_round(plan, everyone)
    for (person, r), t in pins.items():
        assert person in plan.rounds[r][t]
    for round_ in plan.rounds:
        for host, party in guests.items():
            assert {table_of(round_, g) for g in party} == {table_of(round_, host)}
    again = plan_tables(people, size, rounds, seed=seed, guests=guests, pins=pins, max_steps=300)
    assert again.rounds == plan.rounds
