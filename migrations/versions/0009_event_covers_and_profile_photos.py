"""event covers and profile photos: uploaded images, stored redrawn (core.images)

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01 18:46:20.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('event', schema=None) as batch_op:
        batch_op.add_column(sa.Column('cover_image', sa.LargeBinary(), nullable=True))
        batch_op.add_column(sa.Column('cover_content_type', sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column('cover_width', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('cover_height', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('cover_alt', sa.String(length=300), server_default='', nullable=False))

    with op.batch_alter_table('member_profile', schema=None) as batch_op:
        batch_op.add_column(sa.Column('photo', sa.LargeBinary(), nullable=True))
        batch_op.add_column(sa.Column('photo_content_type', sa.String(length=40), nullable=True))


def downgrade():
    # Plain ALTER TABLE ... DROP COLUMN (SQLite 3.35+ has it): a batch would copy the tables
    # on SQLite and lose the full-text triggers on member_profile (see 0004).
    op.drop_column('member_profile', 'photo_content_type')
    op.drop_column('member_profile', 'photo')
    for column in ('cover_alt', 'cover_height', 'cover_width', 'cover_content_type', 'cover_image'):
        op.drop_column('event', column)
