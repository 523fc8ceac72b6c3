"""The directory's word search runs on each database's full-text index (as the query plan
shows), and a list too long to count exactly still pages on."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import insert, text

from community.auth.models import User
from community.communities.models import Membership
from community.extensions import cache, db
from community.members import queries
from community.members.models import Profile
from community.members.permissions import Audience
from community.members.queries import DirectoryQuery
from community.members.search import PG_INDEXES, PG_VECTORS, SEARCH_TABLE
from tests.factories import create_user
from tests.members.conftest import join, make_community, person

URL = "/c/northfield/members"


@pytest.fixture
def community(app):
    community = make_community()
    for number in range(12):
        person(
            f"Person {number:02d}",
            community,
            everything="everyone",
            headline="Product management lead" if number % 3 == 0 else "Engineer",
            skills=["Python"],
        )
    return community


def _plan(statement) -> str:
    """EXPLAIN of `statement` as the directory runs it, in this session's transaction."""
    connection = db.session.connection()
    sql = statement.compile(connection, compile_kwargs={"literal_binds": True})
    if connection.dialect.name == "postgresql":
        return "\n".join(connection.exec_driver_sql(f"EXPLAIN (VERBOSE) {sql}").scalars())
    return "\n".join(row[-1] for row in connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {sql}"))


def _many_people(community, count: int) -> None:
    """`count` active members, bulk-inserted, one in 50 a product manager, and fresh
    statistics: the shape of a large directory, where a word is a small share of profiles."""
    users, memberships, profiles = [], [], []
    for number in range(1000, 1000 + count):
        users.append(
            {"id": number, "email": f"p{number}@example.org", "name": f"P {number}", "password_hash": "!"}
        )
        memberships.append(
            {"community_id": community.id, "user_id": number, "status": "active", "role": "member"}
        )
        words = "product management lead" if number % 50 == 0 else f"engineer acme leeds python {number}"
        profiles.append(
            {
                "user_id": number,
                "search_members": words,
                "search_public": words,
                "name_visibility": "everyone",
            }
        )
    db.session.execute(insert(User), users)
    db.session.execute(insert(Membership), memberships)
    db.session.execute(insert(Profile), profiles)
    db.session.commit()
    for table in ("user_account", "membership", "member_profile", SEARCH_TABLE):
        db.session.execute(text(f"ANALYZE {table}"))


@pytest.mark.parametrize("audience", [Audience.MEMBERS, Audience.PUBLIC])
def test_a_word_search_is_answered_by_the_full_text_index_once(community, audience):
    query = DirectoryQuery(text="product manag")
    column = "search_public" if audience is Audience.PUBLIC else "search_members"
    # The statement that counts the matches and picks the page's members, ranked by relevance.
    statement = queries.searched_page(community, audience, query, page=1)
    if db.engine.dialect.name == "sqlite":
        assert len(queries.directory_page(community, audience, query).entries) == 4
        plan = _plan(statement)
        # Matched once, in the FTS5 index, for both the count and the page.
        assert plan.count("profile_fts VIRTUAL TABLE INDEX") == 1, plan
        return
    _many_people(community, 5000)
    assert queries.directory_page(community, audience, query).total == 4 + 100
    # As the directory runs it: sequential scans off for this statement (queries._run_search),
    # leaving PostgreSQL index scans, and bitmap scans, which need an index that serves the
    # condition: what this shows is that the GIN index answers the @@ as written (an index on
    # another expression would leave a Seq Scan here, or a walk of the primary key testing
    # every profile).
    db.session.execute(text(queries.SEARCH_SETTINGS))
    plan = _plan(statement)
    index = PG_INDEXES[0 if column == "search_members" else 1]
    assert plan.count(f"Bitmap Index Scan on {index}") == 1, plan  # once, for the count and the page
    assert plan.count("@@") == 2, plan  # that scan's condition, and its recheck: nowhere else
    # Relevance reads the stored vector, in the narrow table; no row's tsvector is computed again.
    assert re.search(rf"ts_rank\({SEARCH_TABLE}\.{PG_VECTORS[column]}\b", plan), plan
    assert "to_tsvector" not in plan
    # The matches are ranked once, and kept (for the count, the best scores and the page);
    # the directory's conditions on them are not: each use tests only the matches it needs.
    assert plan.count("CTE ranked") == 1 and "CTE listed" not in plan, plan


def test_past_the_count_cap_the_directory_pages_on_unnumbered(client, community, monkeypatch, count_queries):
    monkeypatch.setattr(queries, "COUNT_CAP", 30)  # rather than creating 1,001 members
    for number in range(12, 60):
        person(f"Person {number:02d}", community)
    viewer = create_user(email="viewer@example.org", name="Zed Viewer")
    join(community, viewer)
    client.login(viewer.email)

    with count_queries() as statements:
        first = client.get(URL).get_data(as_text=True)
    assert "1–24 of 30+ members" in first
    assert 'href="/c/northfield/members?page=2" rel="next"' in first
    assert 'aria-label="Page 2"' not in first  # no numbered pages: the last is not known
    monkeypatch.setattr(queries, "COUNT_CAP", 1000)
    cache.clear()  # the cohorts the first page kept: build both pages alike
    with count_queries() as exact:
        counted = client.get(URL).get_data(as_text=True)
    assert "1–24 of 61 members" in counted and 'aria-label="Page 2"' in counted
    assert len(statements) == len(exact)

    monkeypatch.setattr(queries, "COUNT_CAP", 30)
    last = client.get(f"{URL}?page=3").get_data(as_text=True)
    assert "49–61 of 30+ members" in last
    assert 'rel="prev"' in last and 'rel="next"' not in last
    beyond = client.get(f"{URL}?page=9").get_data(as_text=True)
    assert "past the end of the list" in beyond
