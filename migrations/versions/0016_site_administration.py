"""site administration: suspending accounts and communities, the admin audit log

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-02 17:01:28.024419

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('admin_audit_entry',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('action', sa.String(length=40), nullable=False),
    sa.Column('subject_user_id', sa.Integer(), nullable=True),
    sa.Column('community_id', sa.Integer(), nullable=True),
    sa.Column('reason', sa.String(length=500), nullable=False),
    sa.Column('detail', sa.String(length=500), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['user_account.id'], name=op.f('fk_admin_audit_entry_actor_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['community_id'], ['community.id'], name=op.f('fk_admin_audit_entry_community_id_community'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['subject_user_id'], ['user_account.id'], name=op.f('fk_admin_audit_entry_subject_user_id_user_account'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_admin_audit_entry'))
    )
    with op.batch_alter_table('admin_audit_entry', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_admin_audit_entry_community_id'), ['community_id'], unique=False)
        batch_op.create_index('ix_admin_audit_entry_created_id', ['created_at', 'id'], unique=False)
        batch_op.create_index(batch_op.f('ix_admin_audit_entry_subject_user_id'), ['subject_user_id'], unique=False)

    with op.batch_alter_table('community', schema=None) as batch_op:
        batch_op.add_column(sa.Column('suspended_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('suspension_reason', sa.String(length=500), nullable=True))

    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.add_column(sa.Column('suspended_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('suspension_reason', sa.String(length=500), nullable=True))
        batch_op.create_index(batch_op.f('ix_user_account_suspended_at'), ['suspended_at'], unique=False)


def downgrade():
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_user_account_suspended_at'))
        batch_op.drop_column('suspension_reason')
        batch_op.drop_column('suspended_at')

    with op.batch_alter_table('community', schema=None) as batch_op:
        batch_op.drop_column('suspension_reason')
        batch_op.drop_column('suspended_at')

    with op.batch_alter_table('admin_audit_entry', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_admin_audit_entry_subject_user_id'))
        batch_op.drop_index('ix_admin_audit_entry_created_id')
        batch_op.drop_index(batch_op.f('ix_admin_audit_entry_community_id'))

    op.drop_table('admin_audit_entry')
