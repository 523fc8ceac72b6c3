"""outbox senders, for the limits on mail that members cause

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01 16:20:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('outbox_message', schema=None) as batch_op:
        batch_op.add_column(sa.Column('sender_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('community_id', sa.Integer(), nullable=True))
        batch_op.create_index('ix_outbox_message_community_recent', ['community_id', 'created_at'], unique=False)
        batch_op.create_index('ix_outbox_message_sender_recent', ['sender_id', 'created_at'], unique=False)


def downgrade():
    with op.batch_alter_table('outbox_message', schema=None) as batch_op:
        batch_op.drop_index('ix_outbox_message_sender_recent')
        batch_op.drop_index('ix_outbox_message_community_recent')
        batch_op.drop_column('community_id')
        batch_op.drop_column('sender_id')
