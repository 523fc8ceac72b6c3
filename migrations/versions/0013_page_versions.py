"""page versions: the state visitors' pages are stored under

One row per community, its version raised by any change a visitor could see (see
community/core/page_versions.py). A community without a row is at version 0.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-02 06:30:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'page_version',
        sa.Column('community_id', sa.Integer(), autoincrement=False, nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ['community_id'], ['community.id'],
            name=op.f('fk_page_version_community_id_community'), ondelete='CASCADE',
        ),
        sa.PrimaryKeyConstraint('community_id', name=op.f('pk_page_version')),
    )


def downgrade():
    op.drop_table('page_version')
