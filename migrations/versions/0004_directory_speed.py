"""directory speed

Plain, indexed copies of the visibility of a profile's name and of its tags' fields
(filled from the JSON of existing profiles), and the indexes the member directory needs
at 50,000 members.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-22 01:22:16.210196

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


# Case-insensitive indexes for the directory's filters, copied here (not imported from
# community.members.search) so this migration never changes. Autogenerate ignores them.
FOLDED_INDEXES = {
    "ix_member_profile_industry_folded": "industry",
    "ix_member_profile_city_folded": "city",
    "ix_member_profile_country_folded": "country",
}
FOLDED_INDEX = {
    "sqlite": "CREATE INDEX {name} ON member_profile ({column} COLLATE NOCASE)",
    "postgresql": "CREATE INDEX {name} ON member_profile (lower({column}))",
}

# A field's visibility in a profile's JSON, for filling the new columns of existing rows;
# where it is unset or not a level they keep their default, "members".
LEVEL_OF = {
    "sqlite": "json_extract({profile}.visibility, '$.{field}')",
    "postgresql": "{profile}.visibility ->> '{field}'",
}


def upgrade():
    with op.batch_alter_table('member_profile', schema=None) as batch_op:
        batch_op.add_column(sa.Column('name_visibility', sa.String(length=10), server_default='members', nullable=False))
        batch_op.drop_index(batch_op.f('ix_member_profile_industry'))
        batch_op.create_index('ix_member_profile_name_visibility', ['name_visibility', 'user_id'], unique=False)

    dialect = op.get_bind().dialect.name
    level = LEVEL_OF[dialect].format(profile="member_profile", field="name")
    op.execute(
        f"UPDATE member_profile SET name_visibility = {level}"
        f" WHERE {level} IN ('everyone', 'nobody')"
    )
    for name, column in FOLDED_INDEXES.items():
        op.execute(FOLDED_INDEX[dialect].format(name=name, column=column))

    with op.batch_alter_table('membership', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_membership_cohort'))
        batch_op.create_index('ix_membership_community_status_cohort', ['community_id', 'status', 'cohort'], unique=False)
        batch_op.create_index('ix_membership_community_status_user', ['community_id', 'status', 'user_id'], unique=False)

    with op.batch_alter_table('profile_tag', schema=None) as batch_op:
        batch_op.add_column(sa.Column('level', sa.String(length=10), server_default='members', nullable=False))
        batch_op.drop_index(batch_op.f('ix_profile_tag_tag'))
        batch_op.create_index('ix_profile_tag_tag_level_user', ['tag', 'level', 'user_id'], unique=False)

    for kind, field in (("skill", "skills"), ("interest", "interests")):
        level = LEVEL_OF[dialect].format(profile="p", field=field)
        of_profile = f"(SELECT {level} FROM member_profile p WHERE p.user_id = profile_tag.user_id)"
        op.execute(
            f"UPDATE profile_tag SET level = {of_profile}"
            f" WHERE kind = '{kind}' AND {of_profile} IN ('everyone', 'nobody')"
        )

    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.create_index('ix_user_account_name_id', ['name', 'id'], unique=False)


def downgrade():
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.drop_index('ix_user_account_name_id')

    with op.batch_alter_table('profile_tag', schema=None) as batch_op:
        batch_op.drop_index('ix_profile_tag_tag_level_user')
        batch_op.create_index(batch_op.f('ix_profile_tag_tag'), ['tag'], unique=False)
        batch_op.drop_column('level')

    with op.batch_alter_table('membership', schema=None) as batch_op:
        batch_op.drop_index('ix_membership_community_status_user')
        batch_op.drop_index('ix_membership_community_status_cohort')
        batch_op.create_index(batch_op.f('ix_membership_cohort'), ['cohort'], unique=False)

    for name in FOLDED_INDEXES:
        op.execute(f"DROP INDEX IF EXISTS {name}")
    with op.batch_alter_table('member_profile', schema=None) as batch_op:
        batch_op.drop_index('ix_member_profile_name_visibility')
        batch_op.create_index(batch_op.f('ix_member_profile_industry'), ['industry'], unique=False)
    # Not in a batch: on SQLite a batch would rebuild the table and lose the full-text
    # triggers on it; ALTER TABLE ... DROP COLUMN (SQLite 3.35+) keeps them.
    op.drop_column('member_profile', 'name_visibility')
