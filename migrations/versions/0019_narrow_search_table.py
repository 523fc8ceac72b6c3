"""narrow search table: the directory's tsvectors in a table of their own on PostgreSQL

The stored tsvector columns of member_profile (0012) move, with their GIN indexes, to
profile_search: a profile's user id and its two vectors, kept in step by triggers on
member_profile (an insert, an edit of the search text; a deletion by the foreign key). A
prefix search found in a third of the profiles then reads and ranks its matches from rows
half the size of a profile's (2,600 pages rather than 5,400 at 50,000 members), and
member_profile's rows lose the two vectors. PostgreSQL only (SQLite searches its FTS5 table).

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-04 19:00:00.000000

"""

from alembic import op

# revision identifiers, used by Alembic.
revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None


# Copied here (not imported from community.members.search) so this migration never changes.
# search column -> (its stored tsvector, the GIN index on member_profile (0012), on profile_search)
VECTORS = {
    "search_members": (
        "search_members_tsv",
        "ix_member_profile_search_members_fts",
        "ix_profile_search_members_fts",
    ),
    "search_public": (
        "search_public_tsv",
        "ix_member_profile_search_public_fts",
        "ix_profile_search_public_fts",
    ),
}
TABLE = """CREATE TABLE profile_search (
    user_id integer CONSTRAINT pk_profile_search PRIMARY KEY
        CONSTRAINT fk_profile_search_user_id_member_profile REFERENCES member_profile (user_id)
        ON DELETE CASCADE ON UPDATE CASCADE,
    search_members_tsv tsvector NOT NULL, search_public_tsv tsvector NOT NULL)"""
TRIGGERS = [
    """CREATE FUNCTION profile_search_insert() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        INSERT INTO profile_search (user_id, search_members_tsv, search_public_tsv)
        SELECT user_id, to_tsvector('simple', search_members), to_tsvector('simple', search_public)
        FROM inserted;
        RETURN NULL;
    END $$""",
    """CREATE TRIGGER profile_search_after_insert AFTER INSERT ON member_profile
        REFERENCING NEW TABLE AS inserted FOR EACH STATEMENT EXECUTE FUNCTION profile_search_insert()""",
    """CREATE FUNCTION profile_search_update() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        UPDATE profile_search SET (search_members_tsv, search_public_tsv) =
            (to_tsvector('simple', NEW.search_members), to_tsvector('simple', NEW.search_public))
        WHERE user_id = NEW.user_id;
        RETURN NULL;
    END $$""",
    """CREATE TRIGGER profile_search_after_update AFTER UPDATE OF search_members, search_public
        ON member_profile FOR EACH ROW
        WHEN (OLD.search_members IS DISTINCT FROM NEW.search_members
              OR OLD.search_public IS DISTINCT FROM NEW.search_public)
        EXECUTE FUNCTION profile_search_update()""",
]


def upgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(TABLE)
    op.execute(
        "INSERT INTO profile_search (user_id, search_members_tsv, search_public_tsv)"
        " SELECT user_id, search_members_tsv, search_public_tsv FROM member_profile"
    )
    for statement in TRIGGERS:
        op.execute(statement)
    for vector, old_index, index in VECTORS.values():
        op.execute(f"CREATE INDEX {index} ON profile_search USING gin ({vector})")
        op.execute(f"DROP INDEX IF EXISTS {old_index}")
        op.execute(f"ALTER TABLE member_profile DROP COLUMN {vector}")


def downgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    for column, (vector, old_index, _) in VECTORS.items():
        op.execute(
            f"ALTER TABLE member_profile ADD COLUMN {vector} tsvector"
            f" GENERATED ALWAYS AS (to_tsvector('simple', {column})) STORED"
        )
        op.execute(f"CREATE INDEX {old_index} ON member_profile USING gin ({vector})")
    op.execute("DROP TRIGGER profile_search_after_insert ON member_profile")
    op.execute("DROP TRIGGER profile_search_after_update ON member_profile")
    op.execute("DROP TABLE profile_search")
    op.execute("DROP FUNCTION profile_search_insert()")
    op.execute("DROP FUNCTION profile_search_update()")
