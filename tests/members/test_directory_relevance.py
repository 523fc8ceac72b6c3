"""The directory's ordinary search in order of relevance, why each card matched, and the card
saying each thing once."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from community.communities.models import Membership
from community.core.models import utcnow
from community.extensions import db
from community.members.search import excerpt, field_matches, marked
from tests.factories import create_user
from tests.members.conftest import join, make_community, person

URL = "/c/northfield/members"
CARD_NAME = re.compile(r'class="person-card__name"><a href="/people/\d+">([^<]+)</a>')
CARD_START = '<li class="card person-card">'
LI = re.compile(r"<li\b|</li>")


def names(response) -> list[str]:
    assert response.status_code == 200
    return CARD_NAME.findall(response.get_data(as_text=True))


def card_of(response, name: str) -> str:
    """The HTML of the card showing `name`, whitespace collapsed."""
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    for start in (m.start() for m in re.finditer(re.escape(CARD_START), html)):
        depth = 0
        for tag in LI.finditer(html, start):
            depth += 1 if tag.group() == "<li" else -1
            if depth == 0:
                card = html[start : tag.end()]
                break
        if f">{name}</a>" in card:
            return " ".join(card.split())
    raise AssertionError(f"no card for {name}")


@pytest.fixture
def member(client, community):
    viewer = create_user(email="viewer@example.org", name="Zed Viewer")
    join(community, viewer)
    client.login(viewer.email)
    return viewer


@pytest.fixture
def pythonistas(community):
    """Three people who mention Python: Aaron once, deep in a long bio; Mia in her headline,
    skills and what she can help with; Bea in her skills."""
    aaron = person(
        "Aaron Abbott",
        community,
        headline="Historian",
        bio="I write about the history of the Hanseatic League, trade routes, ports and shipping. "
        "Between archives I teach evening classes and sometimes script a little python for my notes.",
    )
    mia = person(
        "Mia Zimmer",
        community,
        headline="Python developer",
        skills=["Python", "Django"],
        can_help_with=["Python code review"],
    )
    bea = person("Bea Lund", community, headline="Data analyst", skills=["Python", "SQL"])
    return aaron, mia, bea


def test_a_search_lists_the_best_match_first_and_then_by_name(client, member, pythonistas):
    assert names(client.get(URL, query_string={"q": "python"})) == ["Mia Zimmer", "Bea Lund", "Aaron Abbott"]


def test_without_words_the_directory_is_in_name_order(client, member, pythonistas):
    assert names(client.get(URL)) == ["Aaron Abbott", "Bea Lund", "Mia Zimmer", "Zed Viewer"]
    # "Best match" with nothing to match is name order too.
    assert names(client.get(URL, query_string={"sort": "best"})) == names(client.get(URL))


def test_a_sort_the_viewer_chose_wins_over_relevance(client, community, member, pythonistas):
    aaron, mia, bea = pythonistas
    assert names(client.get(URL, query_string={"q": "python", "sort": "name"})) == [
        "Aaron Abbott",
        "Bea Lund",
        "Mia Zimmer",
    ]
    now = utcnow()
    for user, days in ((aaron, 1), (mia, 3), (bea, 2)):
        membership = db.session.scalar(select(Membership).where(Membership.user_id == user.id))
        membership.joined_at = now - timedelta(days=days)
    db.session.commit()
    assert names(client.get(URL, query_string={"q": "python", "sort": "joined"})) == [
        "Aaron Abbott",
        "Bea Lund",
        "Mia Zimmer",
    ]


def test_the_sort_select_offers_best_match_only_with_words(client, member, pythonistas):
    searched = client.get(URL, query_string={"q": "python"}).get_data(as_text=True)
    assert '<option value="" selected>Best match</option>' in searched
    assert '<option value="name">Name</option>' in searched
    by_name = client.get(URL, query_string={"q": "python", "sort": "name"}).get_data(as_text=True)
    assert '<option value="name" selected>Name</option>' in by_name

    plain = client.get(URL).get_data(as_text=True)
    assert '<option value="" selected>Name</option>' in plain
    assert "Best match" not in plain


def test_pages_keep_the_search_and_the_chosen_sort(client, community, member):
    for number in range(30):
        person(f"Alum {number:02d}", community, skills=["Python"])
    best = client.get(URL, query_string={"q": "python"}).get_data(as_text=True)
    assert 'href="/c/northfield/members?q=python&amp;page=2" rel="next"' in best
    chosen = client.get(URL, query_string={"q": "python", "sort": "name"}).get_data(as_text=True)
    assert 'href="/c/northfield/members?q=python&amp;sort=name&amp;page=2" rel="next"' in chosen
    assert names(client.get(URL, query_string={"q": "python", "sort": "name", "page": "2"}))[-1] == "Alum 29"


def test_a_search_pages_by_relevance_then_name_and_past_the_end_shows_its_last_page(
    client, community, member
):
    for number in range(30):
        person(f"Alum {number:02d}", community, headline="Historian of trade routes", skills=["Python"])
    for name in ("Zoe Strong", "Yan Strong"):
        person(name, community, headline="Python developer", skills=["Python"], can_help_with=["Python code"])
    alums = [f"Alum {number:02d}" for number in range(30)]  # equally relevant, less than the two

    assert names(client.get(URL, query_string={"q": "python"})) == ["Yan Strong", "Zoe Strong", *alums[:22]]
    second = client.get(URL, query_string={"q": "python", "page": "2"})
    assert names(second) == alums[22:]
    assert "25–32 of 32 members" in second.get_data(as_text=True)
    beyond = client.get(URL, query_string={"q": "python", "page": "7"})
    assert names(beyond) == alums[22:] and "25–32 of 32 members" in beyond.get_data(as_text=True)
    by_name = client.get(URL, query_string={"q": "python", "sort": "name", "page": "7"})
    assert names(by_name) == [*alums[24:], "Yan Strong", "Zoe Strong"]


def test_each_card_says_why_it_matched(client, member, pythonistas):
    response = client.get(URL, query_string={"q": "pyth"})
    mia = card_of(response, "Mia Zimmer")
    # The headline on the card is marked where it stands, the rest said under "Matched".
    assert '<p class="person-card__headline"><mark>Python</mark> developer</p>' in mia
    matched = "can help with: <mark>Python</mark> code review; skills: <mark>Python</mark>"
    assert f"<strong>Matched:</strong> {matched}" in mia
    aaron = card_of(response, "Aaron Abbott")
    assert "about: …" in aaron and "script a little <mark>python</mark> for my notes." in aaron


def test_a_name_match_needs_no_explanation(client, member, pythonistas):
    card = card_of(client.get(URL, query_string={"q": "zimmer"}), "Mia Zimmer")
    assert "Matched:" not in card and "<mark>" not in card


def test_why_it_matched_uses_only_what_the_viewer_may_see(client, community, member):
    person(
        "Lea Stone",
        community,
        skills=["Fundraising"],
        bio="Fundraising for schools.",
        visibility={"bio": "nobody"},
    )
    card = card_of(client.get(URL, query_string={"q": "fundraising"}), "Lea Stone")
    assert "skills: <mark>Fundraising</mark>" in card
    assert "about" not in card and "schools" not in card


def test_what_people_wrote_stays_escaped_when_marked(client, community, member):
    person("Eve Evans", community, headline="<b>python</b> & <i>go</i>")
    card = card_of(client.get(URL, query_string={"q": "python"}), "Eve Evans")
    assert "&lt;b&gt;<mark>python</mark>&lt;/b&gt; &amp; &lt;i&gt;go&lt;/i&gt;" in card
    assert "<b>" not in card


def test_a_card_shows_the_job_once_when_the_headline_says_it(client, community, member):
    person("Ola Berg", community, headline="Head of Product at Sunbird", job_title="Head of Product",
           organisation="Sunbird")  # fmt: skip
    person("Per Holm", community, headline="Climate finance", job_title="Analyst", organisation="Kestrel")
    page = client.get(URL)
    ola = card_of(page, "Ola Berg")
    assert ola.count("Head of Product") == 1 and "person-card__role" not in ola
    per = card_of(page, "Per Holm")
    assert '<p class="person-card__role">Analyst at Kestrel</p>' in per


@pytest.mark.parametrize("query", ["?q=engineer", "?q=leeds&sort=name", "?q=code+review&tag=python"])
def test_a_search_by_relevance_runs_the_same_number_of_queries_for_5_and_60_members(
    client, query, count_queries
):
    small, large = make_community("small", "Small"), make_community("large", "Large")
    for community, count in ((small, 5), (large, 60)):
        for number in range(count):
            person(f"{community.name} {number:03d}", community, headline="Engineer", city="Leeds",
                   skills=["Python"], can_help_with=["Code review"])  # fmt: skip
    viewer = create_user(email="viewer@example.org")
    join(small, viewer)
    join(large, viewer)
    client.login(viewer.email)

    counts = []
    for slug in ("small", "large"):
        with count_queries() as statements:
            response = client.get(f"/c/{slug}/members{query}")
        assert "Matched:" in response.get_data(as_text=True) or "<mark>" in response.get_data(as_text=True)
        counts.append(len(statements))
    assert counts[0] == counts[1]


# -- the pure pieces ---------------------------------------------------------------------------


def test_marked_marks_words_starting_with_a_search_word_ignoring_case_and_accents():
    assert marked("Zoë Ångström, product-management", ["zoe", "angs", "manag"]) == [
        ("Zoë", True),
        (" ", False),
        ("Ångström", True),
        (", product-", False),
        ("management", True),
    ]
    assert marked("Python", ["java"]) is None
    assert marked("reproduce", ["prod"]) is None  # a prefix of a word, not any part of it


def test_an_excerpt_keeps_a_few_words_around_the_first_match():
    bio = " ".join(["word"] * 30 + ["Fundraising", "for", "schools"] + ["more"] * 30)
    pieces = excerpt(bio, ["fund"])
    assert pieces[0][0].startswith("…word") and pieces[-1][0].endswith("more…")
    assert ("Fundraising", True) in pieces
    assert len("".join(text for text, _ in pieces)) < 100


def test_field_matches_lists_matching_items_only_and_at_most_three_fields():
    fields = [
        ("skills", ["Python", "SQL", "Pyramid"]),
        ("headline", "Nothing here"),
        ("interests", ["Pythons (the snakes)"]),
        ("industry", "Python consulting"),
        ("looking for", ["A python mentor"]),
    ]
    found = field_matches(fields, ["py"])
    assert [match.label for match in found] == ["skills", "interests", "industry"]
    assert found[0].pieces == [("Python", True), (", ", False), ("Pyramid", True)]
