"""A directory search is kept by the community's page version (core.page_versions): asked again
it costs a cache read instead of the count and the ranked query, and any change to a member,
a name, a profile or a membership shows in the next search at once."""

from __future__ import annotations

from sqlalchemy import select

from community.communities.models import Membership
from community.extensions import db
from tests.factories import create_user
from tests.members.conftest import join, make_community, person, set_profile

URL = "/c/northfield/members?q=climate"


def _names(page: str) -> list[str]:
    return [name for name in ("Ada Climate", "Bo Later", "Cy Leaving") if name in page]


def _kind(statement: str) -> str | None:
    """What a statement of the directory does, for those a kept search skips."""
    if "profile_fts MATCH" in statement or "@@" in statement:
        return "search"
    if "RECURSIVE cohorts" in statement:
        return "cohorts"
    if "set_config" in statement or statement.startswith("SET LOCAL"):
        return "planner setting"
    return None


def test_a_repeated_search_reads_the_cache_and_a_change_shows_at_once(app, client, count_queries):
    community = make_community()
    person("Ada Climate", community, everything="members", headline="Climate finance")
    bo = person("Bo Later", community, everything="members", headline="Engineer")
    cy = person("Cy Leaving", community, everything="members", headline="Climate policy")
    viewer = create_user(email="viewer@example.org", name="Vera Viewer")
    join(community, viewer)
    client.login(viewer.email)

    with count_queries() as first:
        assert _names(client.get(URL).get_data(as_text=True)) == ["Ada Climate", "Cy Leaving"]
    with count_queries() as again:
        assert _names(client.get(URL).get_data(as_text=True)) == ["Ada Climate", "Cy Leaving"]
    # The first time, one statement searches (it counts the matches and picks the page) and
    # one lists the cohorts; asked again, neither runs (nor, on PostgreSQL, the planner
    # settings around the search).
    searched = [kind for kind in map(_kind, first) if kind]
    expected = ["search", "cohorts"] + (
        ["planner setting"] * 2 if db.engine.dialect.name == "postgresql" else []
    )
    assert sorted(searched) == sorted(expected)
    assert not [kind for kind in map(_kind, again) if kind]
    assert len(again) == len(first) - len(searched)

    set_profile(bo, everything="members", headline="Climate tech")  # Bo now matches ...
    assert _names(client.get(URL).get_data(as_text=True)) == ["Ada Climate", "Bo Later", "Cy Leaving"]

    leaving = db.session.scalars(select(Membership).where(Membership.user_id == cy.id)).one()
    db.session.delete(leaving)  # ... and Cy leaves
    db.session.commit()
    assert _names(client.get(URL).get_data(as_text=True)) == ["Ada Climate", "Bo Later"]
