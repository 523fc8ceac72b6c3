"""The pure matching behind "Meet people" and "who can help me?": hand-made cases whose right
answer is obvious."""

from __future__ import annotations

import pytest

from community.introductions.matching import (
    MATCH_THRESHOLD,
    Person,
    Weights,
    reasons_to_meet,
    suggest,
    terms,
    who_can_help,
)


def similarity(first: str, second: str, *pool: Person) -> float:
    return Weights(pool).similarity(terms(first), terms(second))


@pytest.mark.parametrize(
    "first, second",
    [
        ("product management", "Product Management"),  # case
        ("product management", "product managers"),  # plural and word form
        ("product management", "managing products"),  # word order and form
        ("product management", "moving into product management"),  # filler
        ("product management", "advice on product-management!"),  # punctuation
        ("product management", "PM"),  # abbreviation
        ("user experience research", "UX research"),
        ("machine learning", "ML"),
    ],
)
def test_the_same_thing_said_differently_matches_fully(first, second):
    assert similarity(first, second) == pytest.approx(1.0)


def test_pm_career_advice_matches_product_management_well():
    assert similarity("product management", "PM career advice") > 0.5


def test_a_common_word_alone_matches_weakly():
    pool = [
        Person(1, can_help_with=("engineering management",)),
        Person(2, can_help_with=("management consulting",)),
        Person(3, can_help_with=("project management",)),
        Person(4, looking_for=("product management",)),
    ]
    common = similarity("management", "product management", *pool)
    rare = similarity("product", "product management", *pool)
    assert 0 < common < rare < 1
    assert common < 0.5


def test_unrelated_phrases_do_not_match():
    assert similarity("fundraising", "product management") == 0
    assert similarity("help with", "advice on") == 0  # filler alone is nothing


def test_help_in_one_direction_is_explained_in_the_helpers_words():
    me = Person(1, "Me", looking_for=("moving into product management",))
    greta = Person(2, "Greta", can_help_with=("PM career advice",))

    (reason, *_rest) = reasons_to_meet(me, greta, Weights([me, greta]))

    assert reason.kind == "phrase_help"
    assert str(reason) == "Greta can help with PM career advice, which you are looking for"


def test_what_i_can_offer_is_explained_in_the_other_persons_words():
    me = Person(1, "Me", can_help_with=("hiring designers",))
    bruno = Person(2, "Bruno", looking_for=("hiring a first designer",))

    (reason, *_rest) = reasons_to_meet(me, bruno, Weights([me, bruno]))

    assert str(reason) == "You can help Bruno with hiring a first designer"


def test_help_both_ways_ranks_above_help_one_way_above_everything_else():
    me = Person(
        1,
        "Me",
        can_help_with=("fundraising",),
        looking_for=("product management",),
        interests=("climate tech",),
        cohort="Class of 2014",
        industry="Finance",
    )
    both = Person(2, "Both", can_help_with=("product management",), looking_for=("fundraising",))
    one = Person(3, "One", can_help_with=("product management",))
    talk = Person(4, "Talk", talk_about="climate tech startups")
    shared = Person(5, "Shared", interests=("climate tech",))
    cohort = Person(6, "Cohort", cohort="Class of 2014")
    industry = Person(7, "Industry", industry="Healthcare")
    nobody = Person(8, "Nobody")

    ranked = suggest(me, [nobody, industry, cohort, shared, talk, one, both])

    assert [s.person.name for s in ranked] == [
        "Both",
        "One",
        "Talk",
        "Shared",
        "Cohort",
        "Industry",
        "Nobody",
    ]
    assert ranked[0].breakdown().keys() >= {"phrase_help", "both_ways"}
    assert "You can help each other" in [str(r) for r in ranked[0].reasons]


def test_an_exact_topic_ranks_above_a_phrase_match():
    me = Person(1, "Me", seeks=frozenset({"Fundraising"}), looking_for=("raising funds",))
    topic = Person(2, "Topic", offers=frozenset({"Fundraising"}))
    phrase = Person(3, "Phrase", can_help_with=("fundraising for startups",))

    ranked = suggest(me, [phrase, topic])

    assert [s.person.name for s in ranked] == ["Topic", "Phrase"]
    assert ranked[0].breakdown()["topic_help"] > ranked[1].breakdown()["phrase_help"]
    assert str(ranked[0].reasons[0]) == "Topic can help with Fundraising, which you are looking for"


def test_reasons_read_as_plain_words_in_order_without_saying_a_topic_twice():
    me = Person(
        1, "Me", seeks=frozenset({"Climate tech"}), offers=frozenset({"Hiring"}), cohort="Class of 2014",
        industry="Finance",
    )  # fmt: skip
    other = Person(
        2, "Ana", offers=frozenset({"Climate tech", "Hiring"}), seeks=frozenset({"Pricing"}),
        cohort="Class of 2014", industry="Energy", talk_about="hiring for climate startups",
    )  # fmt: skip

    reasons = [str(r) for r in suggest(me, [other])[0].reasons]

    assert reasons == [
        "Ana can help with Climate tech, which you are looking for",
        "Ana would like to talk about hiring for climate startups",
        "You both care about Hiring",
        "Also Class of 2014",
        "Works in Energy; you don't know anyone there yet",
        "You haven't met yet",
    ]


def test_help_both_ways_comes_first_among_the_reasons():
    me = Person(1, "Me", can_help_with=("fundraising",), looking_for=("pricing",))
    other = Person(2, "Bo", can_help_with=("pricing",), looking_for=("fundraising",))

    reasons = [str(r) for r in suggest(me, [other])[0].reasons]

    assert reasons[:3] == [
        "You can help each other",
        "Bo can help with pricing, which you are looking for",
        "You can help Bo with fundraising",
    ]


def test_an_industry_i_already_know_people_in_is_no_new_perspective():
    me = Person(1, "Me", industry="Finance")
    other = Person(2, "Ana", industry="Energy")

    reasons = [
        r.kind
        for r in suggest(me, [other], known_industries=["energy"], met_before=frozenset({2}))[0].reasons
    ]

    assert reasons == []


def test_hidden_fields_give_no_reason():
    """The caller leaves out what the viewer may not see; nothing else can produce a reason."""
    me = Person(1, "Me", looking_for=("product management",))
    hidden = Person(2, "Hidden")  # their "can help with: product management" is members-only

    assert [r.kind for r in suggest(me, [hidden])[0].reasons] == ["not_met"]


def test_connections_and_the_viewer_are_not_suggested():
    me = Person(1, "Me")
    friend, stranger = Person(2, "Friend"), Person(3, "Stranger")

    assert [s.person.id for s in suggest(me, [me, friend, stranger], connections=frozenset({2}))] == [3]


def test_ties_are_broken_by_name_so_the_order_is_stable():
    me = Person(1, "Me")
    people = [Person(4, "dora"), Person(2, "Bea"), Person(3, "Cat")]

    assert [s.person.name for s in suggest(me, people)] == ["Bea", "Cat", "dora"]


def test_who_can_help_ranks_exact_answers_first_and_shows_the_matched_words():
    people = [
        Person(1, "Exact", can_help_with=("Product management",)),
        Person(2, "Abbreviated", can_help_with=("PM career advice", "cooking")),
        Person(3, "Skill", skills=("product management",)),
        Person(4, "Vague", can_help_with=("engineering management",)),
        Person(5, "Other", can_help_with=("fundraising",)),
    ]

    found = who_can_help("moving into product management", people)

    assert [(m.person.name, m.phrase) for m in found][:3] == [
        ("Exact", "Product management"),
        ("Skill", "product management"),  # a skill counts, but less than "can help with"
        ("Abbreviated", "PM career advice"),
    ]
    assert "Other" not in [m.person.name for m in found]
    vague = [m for m in found if m.person.name == "Vague"]
    assert not vague or vague[0].strength < 0.5


def test_the_threshold_is_a_real_cut():
    assert 0 < MATCH_THRESHOLD < 1
    assert who_can_help("fundraising", [Person(1, can_help_with=("product management",))]) == []


@pytest.mark.parametrize(
    "mine, theirs, expected",
    [
        (
            {"talk_about": "pricing pages"},
            {"talk_about": "pricing for SaaS pages"},
            "You both want to talk about pricing for SaaS pages",
        ),
        (
            {"talk_about": "pricing pages"},
            {"skills": ("pricing",)},
            "Bo knows about pricing, which you'd like to talk about",
        ),
        (
            {"interests": ("jazz",)},
            {"talk_about": "jazz clubs in Berlin"},
            "Bo would like to talk about jazz clubs in Berlin",
        ),
    ],
)
def test_talk_about_lines_say_who_wants_to_talk(mine, theirs, expected):
    me, bo = Person(1, "Me", **mine), Person(2, "Bo", **theirs)

    reasons = [str(r) for r in suggest(me, [bo])[0].reasons]

    assert expected in reasons


def test_the_same_words_are_not_given_twice_as_reasons():
    me = Person(1, "Me", looking_for=("product discovery",), talk_about="product discovery")
    umar = Person(2, "Umar", can_help_with=("product discovery",), interests=("product discovery",))

    phrases = [r.phrase for r in suggest(me, [umar])[0].reasons if r.phrase]

    assert phrases == ["product discovery"]


def test_strong_matches_pair_a_clear_helper_with_the_person_looking():
    from community.introductions.matching import strong_matches

    people = [
        Person(1, "Ana", can_help_with=("Fundraising for founders",)),
        Person(2, "Lu", looking_for=("advice on fundraising for founders",)),
        Person(3, "Cy", looking_for=("management",)),  # too vague to pull anyone together
        Person(4, "Dee", can_help_with=("engineering management", "project management")),
        Person(5, "Eli", seeks=frozenset({"Hiring"})),
        Person(6, "Fay", offers=frozenset({"Hiring"})),  # an exact topic is always strong
    ]

    assert strong_matches(people) == [(1, 2), (5, 6)]
