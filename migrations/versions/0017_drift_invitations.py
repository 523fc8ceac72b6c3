"""drift invitations: "Invite to <next event>" for members drifting away, once per member per event

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-02 17:10:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0017'
down_revision = '0016'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('drift_invitation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('community_id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('invited_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['community_id'], ['community.id'], name=op.f('fk_drift_invitation_community_id_community'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['event_id'], ['event.id'], name=op.f('fk_drift_invitation_event_id_event'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['invited_by_id'], ['user_account.id'], name=op.f('fk_drift_invitation_invited_by_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_drift_invitation_user_id_user_account'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_drift_invitation')),
    sa.UniqueConstraint('event_id', 'user_id', name=op.f('uq_drift_invitation_event_id_user_id')),
    info={'erase_with_user': 'user_id'}
    )
    with op.batch_alter_table('drift_invitation', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_drift_invitation_community_id'), ['community_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_drift_invitation_user_id'), ['user_id'], unique=False)


def downgrade():
    with op.batch_alter_table('drift_invitation', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_drift_invitation_user_id'))
        batch_op.drop_index(batch_op.f('ix_drift_invitation_community_id'))

    op.drop_table('drift_invitation')
