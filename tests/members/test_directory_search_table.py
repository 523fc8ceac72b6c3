"""The search follows every change to a profile's searchable text, on both databases: an
edit, a change of who may see a field, new profiles (one by one or in bulk), a deleted
account. On PostgreSQL the vectors live in a table of their own (search.SEARCH_TABLE), kept
in step by triggers: exactly one row per profile, of its current text."""

from __future__ import annotations

from sqlalchemy import insert, text

from community.auth.models import User
from community.auth.services import delete_account
from community.communities.models import Membership
from community.extensions import cache, db
from community.members.models import Profile
from community.members.permissions import Audience
from community.members.queries import DirectoryQuery, directory_page
from community.members.search import SEARCH_TABLE
from tests.factories import DEFAULT_PASSWORD
from tests.members.conftest import make_community, person, set_profile


def _found(community, words: str, audience: Audience = Audience.MEMBERS) -> list[str]:
    """The names the directory lists for `words`, searched afresh, in alphabetical order."""
    cache.clear()
    page = directory_page(community, audience, DirectoryQuery(text=words))
    return sorted(entry.person.name for entry in page.entries)


def _assert_vectors_follow_the_profiles() -> None:
    """On PostgreSQL: one row of vectors per profile, each of the profile's current text."""
    if db.engine.dialect.name != "postgresql":
        return
    stale = db.session.scalar(
        text(
            f"SELECT count(*) FROM member_profile AS profile FULL JOIN {SEARCH_TABLE} AS kept USING (user_id)"
            " WHERE profile.user_id IS NULL OR kept.user_id IS NULL"
            " OR kept.search_members_tsv IS DISTINCT FROM to_tsvector('simple', profile.search_members)"
            " OR kept.search_public_tsv IS DISTINCT FROM to_tsvector('simple', profile.search_public)"
        )
    )
    assert stale == 0


def test_an_edit_is_found_by_its_new_words_and_no_longer_by_the_old(app):
    community = make_community(public=True)
    ada = person("Ada Lovelace", community, everything="everyone", headline="Climate finance")
    person("Bo Other", community, everything="everyone", headline="Engineer")
    assert _found(community, "clim") == ["Ada Lovelace"]

    set_profile(ada, headline="Urban planning")
    assert _found(community, "clim") == []
    assert _found(community, "urban plan") == ["Ada Lovelace"]
    assert _found(community, "urban", Audience.PUBLIC) == ["Ada Lovelace"]
    _assert_vectors_follow_the_profiles()

    # Who may see the headline is part of the searchable text too: hidden from the public,
    # members still find it, visitors no longer do.
    set_profile(ada, visibility={"headline": "members"})
    assert _found(community, "urban") == ["Ada Lovelace"]
    assert _found(community, "urban", Audience.PUBLIC) == []
    set_profile(ada, visibility={"headline": "nobody"})
    assert _found(community, "urban") == []
    _assert_vectors_follow_the_profiles()


def test_an_edit_that_leaves_the_searchable_text_alone_keeps_it(app):
    community = make_community()
    ada = person("Ada Lovelace", community, everything="members", headline="Climate finance")
    if db.engine.dialect.name == "postgresql":
        row_version = f"SELECT xmin::text FROM {SEARCH_TABLE} WHERE user_id = :id"
        before = db.session.scalar(text(row_version), {"id": ada.id})
        db.session.execute(
            text("UPDATE member_profile SET updated_at = now() WHERE user_id = :id"), {"id": ada.id}
        )
        db.session.commit()
        # The profile's row was written, its vectors' row was not (no needless index work).
        assert db.session.scalar(text(row_version), {"id": ada.id}) == before
    set_profile(ada, visibility={"bio": "nobody"})  # a field left empty: the same text
    assert _found(community, "climate fin") == ["Ada Lovelace"]
    _assert_vectors_follow_the_profiles()


def test_profiles_written_in_bulk_are_found(app):
    """As an import or the demo's scale data write them: one INSERT of many rows."""
    community = make_community()
    person("Ada Lovelace", community, everything="members", headline="Climate finance")
    users = [
        {"id": number, "email": f"p{number}@example.org", "name": f"Bulk {number}"} for number in (901, 902)
    ]
    db.session.execute(insert(User), [{**user, "password_hash": "!"} for user in users])
    db.session.execute(
        insert(Membership),
        [
            {"community_id": community.id, "user_id": user["id"], "status": "active", "role": "member"}
            for user in users
        ],
    )
    db.session.execute(
        insert(Profile),
        [
            {"user_id": 901, "search_members": "Climbing coach", "search_public": ""},
            {"user_id": 902, "search_members": "Solar energy", "search_public": "Solar energy"},
        ],
    )
    db.session.commit()
    assert _found(community, "clim") == ["Ada Lovelace", "Bulk 901"]
    assert _found(community, "solar") == ["Bulk 902"]
    _assert_vectors_follow_the_profiles()


def test_a_deleted_account_leaves_nothing_to_find(app):
    community = make_community()
    ada = person("Ada Lovelace", community, everything="members", headline="Climate finance")
    person("Cy Rock", community, everything="members", headline="Climbing coach")
    assert _found(community, "clim") == ["Ada Lovelace", "Cy Rock"]

    delete_account(db.session.get(User, ada.id), password=DEFAULT_PASSWORD)
    db.session.commit()
    assert _found(community, "clim") == ["Cy Rock"]
    assert _found(community, "finance") == []
    if db.engine.dialect.name == "postgresql":
        kept = db.session.scalar(
            text(f"SELECT count(*) FROM {SEARCH_TABLE} WHERE user_id = :id"), {"id": ada.id}
        )
        assert kept == 0
    _assert_vectors_follow_the_profiles()
