"""Full-text search of profiles with each database's own engine.

SQLite: an FTS5 table over member_profile (external content), kept in step by triggers.
PostgreSQL: GIN indexes on to_tsvector('simple', ...) of the same columns.
Both: case-insensitive indexes on industry, city and country for the directory's filters.
All are created by the migrations and, for tests, by create_all() through the DDL below.
Alembic must not try to drop them: `is_managed_outside_models` tells it to look away.
"""

from __future__ import annotations

import re

from sqlalchemy import DDL, ColumnElement, Table, event, func, literal_column, select, text

FTS_TABLE = "profile_fts"
PG_INDEXES = ("ix_member_profile_search_members_fts", "ix_member_profile_search_public_fts")

SQLITE_DDL = [
    f"""CREATE VIRTUAL TABLE {FTS_TABLE} USING fts5(
        search_members, search_public,
        content='member_profile', content_rowid='user_id',
        tokenize='unicode61 remove_diacritics 2')""",
    f"""CREATE TRIGGER {FTS_TABLE}_after_insert AFTER INSERT ON member_profile BEGIN
        INSERT INTO {FTS_TABLE}(rowid, search_members, search_public)
        VALUES (new.user_id, new.search_members, new.search_public);
    END""",
    f"""CREATE TRIGGER {FTS_TABLE}_after_delete AFTER DELETE ON member_profile BEGIN
        INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, search_members, search_public)
        VALUES ('delete', old.user_id, old.search_members, old.search_public);
    END""",
    f"""CREATE TRIGGER {FTS_TABLE}_after_update AFTER UPDATE ON member_profile BEGIN
        INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, search_members, search_public)
        VALUES ('delete', old.user_id, old.search_members, old.search_public);
        INSERT INTO {FTS_TABLE}(rowid, search_members, search_public)
        VALUES (new.user_id, new.search_members, new.search_public);
    END""",
]
SQLITE_DROP = [
    f"DROP TRIGGER IF EXISTS {FTS_TABLE}_after_update",
    f"DROP TRIGGER IF EXISTS {FTS_TABLE}_after_delete",
    f"DROP TRIGGER IF EXISTS {FTS_TABLE}_after_insert",
    f"DROP TABLE IF EXISTS {FTS_TABLE}",
]
POSTGRESQL_DDL = [
    f"CREATE INDEX {PG_INDEXES[0]} ON member_profile USING gin (to_tsvector('simple', search_members))",
    f"CREATE INDEX {PG_INDEXES[1]} ON member_profile USING gin (to_tsvector('simple', search_public))",
]

#: Case-insensitive indexes for the directory's filters, name -> column of member_profile.
#: SQLite: the column with COLLATE NOCASE (an expression index could not be reflected);
#: PostgreSQL: lower(column). See equals_ignoring_case().
FOLDED_INDEXES = {f"ix_member_profile_{column}_folded": column for column in ("industry", "city", "country")}
FOLDED_DDL = {
    "sqlite": [
        f"CREATE INDEX {name} ON member_profile ({column} COLLATE NOCASE)"
        for name, column in FOLDED_INDEXES.items()
    ],
    "postgresql": [
        f"CREATE INDEX {name} ON member_profile (lower({column}))" for name, column in FOLDED_INDEXES.items()
    ],
}


def attach_full_text_index(table: Table) -> None:
    """Create the full-text structures and case-insensitive indexes whenever the profile
    table is created (tests, create_all)."""
    for statement in SQLITE_DDL:
        event.listen(table, "after_create", DDL(statement).execute_if(dialect="sqlite"))
    for statement in POSTGRESQL_DDL:
        event.listen(table, "after_create", DDL(statement).execute_if(dialect="postgresql"))
    for dialect, statements in FOLDED_DDL.items():
        for statement in statements:
            event.listen(table, "after_create", DDL(statement).execute_if(dialect=dialect))
    for statement in SQLITE_DROP:
        event.listen(table, "before_drop", DDL(statement).execute_if(dialect="sqlite"))


def is_managed_outside_models(name: str | None, type_: str, parent_names: dict) -> bool:
    """For Alembic's include_name: the FTS5 table (and its shadow tables), the GIN indexes
    and the case-insensitive indexes."""
    if name is None:
        return False
    return name.startswith(FTS_TABLE) or name in PG_INDEXES or name in FOLDED_INDEXES


WORD = re.compile(r"\w+", re.UNICODE)


def query_words(query: str, limit: int = 8) -> list[str]:
    """The words of a search box entry, lower-cased; punctuation and operators dropped."""
    return [word.lower() for word in WORD.findall(query)][:limit]


def profile_ids_matching(dialect: str, column: str, words: list[str]):
    """A SELECT of member_profile.user_id whose `column` ("search_members" or "search_public")
    contains every word as a prefix: "prod manag" finds "product management"."""
    assert column in ("search_members", "search_public")
    if dialect == "sqlite":
        expression = " AND ".join(f'"{word}"*' for word in words)
        return (
            select(literal_column("rowid"))
            .select_from(text(FTS_TABLE))
            .where(text(f"{FTS_TABLE} MATCH :fts_query").bindparams(fts_query=f"{column} : ({expression})"))
        )
    tsquery = " & ".join(f"{word}:*" for word in words)
    vector = func.to_tsvector(literal_column("'simple'"), literal_column(f"member_profile.{column}"))
    condition: ColumnElement[bool] = vector.op("@@")(func.to_tsquery(literal_column("'simple'"), tsquery))
    return (
        select(literal_column("member_profile.user_id")).select_from(text("member_profile")).where(condition)
    )


def equals_ignoring_case(column: ColumnElement[str], lowered: str, dialect: str) -> ColumnElement[bool]:
    """`column` equals `lowered` (already lower-cased) ignoring case, through FOLDED_INDEXES.

    SQLite's lower() and NOCASE both fold ASCII letters only, so on SQLite this is the same
    test as lower(column) = lowered, in the form its index serves.
    """
    if dialect == "sqlite":
        return column.collate("NOCASE") == lowered
    return func.lower(column) == lowered
