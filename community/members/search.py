"""Full-text search of profiles with each database's own engine.

SQLite: an FTS5 table over member_profile (external content), kept in step by triggers.
PostgreSQL: a narrow table beside member_profile, profile_search: each profile's user id and a
tsvector of each search column (to_tsvector('simple', ...)), each with a GIN index, kept in
step by triggers. The search and its ranking both read the stored vector, so neither
recomputes a profile's tsvector, and from rows half the size of a profile's: a prefix
found in a third of the profiles reads (and ranks) its matches from 2,600 pages rather than
5,400 at 50,000 members. Neither is in the models (SQLite has no tsvector type).
Both: case-insensitive indexes on industry, city and country for the directory's filters.
All are created by the migrations and, for tests, by create_all() through the DDL below.
Alembic must not try to drop them: `is_managed_outside_models` tells it to look away.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from sqlalchemy import DDL, ColumnElement, Table, event, func, literal_column, select, text

FTS_TABLE = "profile_fts"
SEARCH_TABLE = "profile_search"
PG_INDEXES = ("ix_profile_search_members_fts", "ix_profile_search_public_fts")

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
#: search column -> its stored tsvector in SEARCH_TABLE, on PostgreSQL.
PG_VECTORS = {"search_members": "search_members_tsv", "search_public": "search_public_tsv"}
_VECTORS_OF = ", ".join(f"to_tsvector('simple', {column})" for column in PG_VECTORS)
POSTGRESQL_DDL = [
    f"""CREATE TABLE {SEARCH_TABLE} (
        user_id integer CONSTRAINT pk_{SEARCH_TABLE} PRIMARY KEY
            CONSTRAINT fk_{SEARCH_TABLE}_user_id_member_profile REFERENCES member_profile (user_id)
            ON DELETE CASCADE ON UPDATE CASCADE,
        {", ".join(f"{vector} tsvector NOT NULL" for vector in PG_VECTORS.values())})""",
    *(
        f"CREATE INDEX {index} ON {SEARCH_TABLE} USING gin ({vector})"
        for index, vector in zip(PG_INDEXES, PG_VECTORS.values(), strict=True)
    ),
    # New profiles, a statement at a time (a bulk insert is one insert here too).
    f"""CREATE FUNCTION {SEARCH_TABLE}_insert() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        INSERT INTO {SEARCH_TABLE} (user_id, {", ".join(PG_VECTORS.values())})
        SELECT user_id, {_VECTORS_OF} FROM inserted;
        RETURN NULL;
    END $$""",
    f"""CREATE TRIGGER {SEARCH_TABLE}_after_insert AFTER INSERT ON member_profile
        REFERENCING NEW TABLE AS inserted FOR EACH STATEMENT EXECUTE FUNCTION {SEARCH_TABLE}_insert()""",
    # An edit, only when the searchable text changed (most profile writes leave it alone).
    f"""CREATE FUNCTION {SEARCH_TABLE}_update() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        UPDATE {SEARCH_TABLE} SET ({", ".join(PG_VECTORS.values())}) =
            ({", ".join(f"to_tsvector('simple', NEW.{column})" for column in PG_VECTORS)})
        WHERE user_id = NEW.user_id;
        RETURN NULL;
    END $$""",
    f"""CREATE TRIGGER {SEARCH_TABLE}_after_update AFTER UPDATE OF {", ".join(PG_VECTORS)} ON member_profile
        FOR EACH ROW WHEN ({" OR ".join(f"OLD.{c} IS DISTINCT FROM NEW.{c}" for c in PG_VECTORS)})
        EXECUTE FUNCTION {SEARCH_TABLE}_update()""",
]
#: Before member_profile is dropped (its rows' deletions reach SEARCH_TABLE by the foreign key).
POSTGRESQL_DROP = [
    *(
        f"DROP TRIGGER IF EXISTS {SEARCH_TABLE}_after_{kind} ON member_profile"
        for kind in ("insert", "update")
    ),
    f"DROP TABLE IF EXISTS {SEARCH_TABLE}",
    f"DROP FUNCTION IF EXISTS {SEARCH_TABLE}_insert()",
    f"DROP FUNCTION IF EXISTS {SEARCH_TABLE}_update()",
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
    for statement in POSTGRESQL_DROP:
        event.listen(table, "before_drop", DDL(statement).execute_if(dialect="postgresql"))


def is_managed_outside_models(name: str | None, type_: str, parent_names: dict) -> bool:
    """For Alembic's include_name: the FTS5 table (and its shadow tables), the table of
    tsvectors and their GIN indexes, and the case-insensitive indexes."""
    if name is None:
        return False
    if type_ == "table" and name == SEARCH_TABLE:
        return True
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
    condition: ColumnElement[bool] = _stored_vector(column).op("@@")(_tsquery(words))
    return select(literal_column(f"{SEARCH_TABLE}.user_id")).select_from(text(SEARCH_TABLE)).where(condition)


def _stored_vector(column: str) -> ColumnElement:
    return literal_column(f"{SEARCH_TABLE}.{PG_VECTORS[column]}")


def _tsquery(words: list[str]) -> ColumnElement:
    """Every word as a prefix: to_tsquery('simple', 'prod:* & manag:*')."""
    return func.to_tsquery(literal_column("'simple'"), " & ".join(f"{word}:*" for word in words))


def equals_ignoring_case(column: ColumnElement[str], lowered: str, dialect: str) -> ColumnElement[bool]:
    """`column` equals `lowered` (already lower-cased) ignoring case, through FOLDED_INDEXES.

    SQLite's lower() and NOCASE both fold ASCII letters only, so on SQLite this is the same
    test as lower(column) = lowered, in the form its index serves.
    """
    if dialect == "sqlite":
        return column.collate("NOCASE") == lowered
    return func.lower(column) == lowered


def profile_scores(dialect: str, column: str, words: list[str]):
    """profile_ids_matching with each profile's relevance: a SELECT of (user_id, score), a
    lower score a better match. SQLite: FTS5's bm25 rank (negative, more so for a better
    match); PostgreSQL: minus ts_rank on the stored tsvector the GIN index serves (read, not
    recomputed, for the matching rows only: the index holds no positions to rank with)."""
    found = profile_ids_matching(dialect, column, words)
    if dialect == "sqlite":
        user_id, score = literal_column("rowid"), literal_column(f"{FTS_TABLE}.rank")
    else:
        user_id = literal_column(f"{SEARCH_TABLE}.user_id")
        # Normalization 1: divided by 1 + log(length), so one mention in a long bio weighs
        # less than one in a short profile, as bm25 has it.
        score = -func.ts_rank(_stored_vector(column), _tsquery(words), literal_column("1"))
    scored = found.with_only_columns(
        user_id.label("user_id"), score.label("score"), maintain_column_froms=True
    )
    # OFFSET 0: ranked where found, or PostgreSQL may carry each match's tsvector through
    # its joins (the search's largest hash) to rank them there.
    return scored if dialect == "sqlite" else scored.offset(0)


# -- why a result matched (in Python, for the page's entries only) ---------------------------------

#: A word as the full-text tokenizers see it: letters and digits (not "_", not punctuation).
TOKEN = re.compile(r"[^\W_]+", re.UNICODE)


def folded(text: str) -> str:
    """Lower-cased without accents, as unicode61's remove_diacritics folds what it indexes."""
    if text.isascii():  # nothing to decompose, and casefold() is lower() (most text, and quicker)
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


Piece = tuple[str, bool]  # a stretch of text, and whether it is a matched word


def marked(text: str, words: list[str]) -> list[Piece] | None:
    """`text` in pieces, each word that starts with one of `words` marked (as the search
    matches a word prefix, ignoring case and accents); None when no word matches."""
    prefixes = [folded(word) for word in words if word]
    whole = folded(text)  # holds each of its words folded: a field without a prefix is done
    if not any(prefix in whole for prefix in prefixes):
        return None
    if text.isascii() and all(TOKEN.fullmatch(prefix) for prefix in prefixes):
        # ASCII folds to lower case only: one regular expression finds the same words
        # (a token that starts with a prefix, ignoring case), without folding each token.
        tokens = _words_starting(tuple(prefixes)).finditer(text)
    else:
        tokens = (t for t in TOKEN.finditer(text) if any(folded(t.group()).startswith(p) for p in prefixes))
    pieces: list[Piece] = []
    position, found = 0, False
    for token in tokens:
        if token.start() > position:
            pieces.append((text[position : token.start()], False))
        pieces.append((token.group(), True))
        position, found = token.end(), True
    if not found:
        return None
    if position < len(text):
        pieces.append((text[position:], False))
    return pieces


@lru_cache(maxsize=64)
def _words_starting(prefixes: tuple[str, ...]) -> re.Pattern[str]:
    """The TOKENs that start with one of `prefixes` (each a TOKEN itself), in any case."""
    alternatives = "|".join(re.escape(prefix) for prefix in prefixes)
    return re.compile(rf"(?<![^\W_])(?:{alternatives})[^\W_]*", re.IGNORECASE)


def excerpt(text: str, words: list[str], around: int = 40) -> list[Piece] | None:
    """`marked` for a long field (the bio): one line, from a few words before the first
    match to a few after, with "…" where it is cut."""
    line = " ".join(text.split())
    tokens = list(TOKEN.finditer(line))
    prefixes = [folded(word) for word in words if word]
    first = next((t for t in tokens if any(folded(t.group()).startswith(p) for p in prefixes)), None)
    if first is None:
        return None
    start = min((t.start() for t in tokens if first.start() - t.start() <= around), default=first.start())
    end = max((t.end() for t in tokens if t.end() - first.end() <= around), default=first.end())
    start = start if TOKEN.search(line, 0, start) else 0  # keep leading punctuation whole
    end = end if TOKEN.search(line, end) else len(line)  # and a closing full stop
    window = ("…" if start > 0 else "") + line[start:end] + ("…" if end < len(line) else "")
    return marked(window, words)


@dataclass(frozen=True)
class FieldMatch:
    """A field that matched, for "Matched: skills: *Python*": its label and marked pieces."""

    label: str
    pieces: list[Piece]


#: Fields long enough to need an excerpt.
LONG = ("about",)


def field_matches(
    fields: list[tuple[str, str | list[str]]], words: list[str], most: int = 3
) -> list[FieldMatch]:
    """Which of `fields` (label, value as the viewer may see it) hold a word starting with one
    of `words`, at most `most`, in the order given. A list shows only its matching items."""
    found = []
    for label, value in fields:
        if isinstance(value, list):
            items = [pieces for item in value if (pieces := marked(item, words))]
            pieces = [
                piece
                for index, item in enumerate(items)
                for piece in ([(", ", False)] if index else []) + item
            ]
        elif label in LONG:
            pieces = excerpt(value, words) or []
        else:
            pieces = marked(value, words) or []
        if pieces:
            found.append(FieldMatch(label, pieces))
    return found[:most]
