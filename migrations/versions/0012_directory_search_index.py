"""directory search index: stored tsvector columns for the member search on PostgreSQL

The GIN indexes on to_tsvector('simple', search_members / search_public) become GIN
indexes on stored, generated tsvector columns of the same text: ranking the matches
(ts_rank) then reads each row's vector instead of recomputing it. The index names stay.
PostgreSQL only (SQLite searches its FTS5 table); adding a stored generated column
rewrites member_profile once.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-01 23:30:00.000000

"""
from alembic import op

# revision identifiers, used by Alembic.
revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


# Copied here (not imported from community.members.search) so this migration never changes.
# search column -> (its stored tsvector, the GIN index's name)
VECTORS = {
    "search_members": ("search_members_tsv", "ix_member_profile_search_members_fts"),
    "search_public": ("search_public_tsv", "ix_member_profile_search_public_fts"),
}


def upgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    for column, (vector, index) in VECTORS.items():
        op.execute(f"DROP INDEX IF EXISTS {index}")
        op.execute(
            f"ALTER TABLE member_profile ADD COLUMN {vector} tsvector"
            f" GENERATED ALWAYS AS (to_tsvector('simple', {column})) STORED"
        )
        op.execute(f"CREATE INDEX {index} ON member_profile USING gin ({vector})")


def downgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    for column, (vector, index) in VECTORS.items():
        op.execute(f"DROP INDEX IF EXISTS {index}")
        op.execute(f"ALTER TABLE member_profile DROP COLUMN {vector}")
        op.execute(
            f"CREATE INDEX {index} ON member_profile USING gin (to_tsvector('simple', {column}))"
        )
