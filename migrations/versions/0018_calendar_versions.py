"""calendar versions: the state community feeds are answered from

Beside each community's page version, a version that only changes to its events, series and
the community itself raise, and when it last rose (see community/core/page_versions.py): a
conditional GET of the community's calendar reads one row, and RSVPs or new members, which
change pages but not calendars, leave calendar apps' copies current.

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-03 13:40:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("page_version") as batch_op:
        batch_op.add_column(sa.Column("calendar_version", sa.Integer(), nullable=False, server_default="0"))
        batch_op.add_column(sa.Column("calendar_changed_at", sa.DateTime(timezone=True), nullable=True))


def downgrade():
    with op.batch_alter_table("page_version") as batch_op:
        batch_op.drop_column("calendar_changed_at")
        batch_op.drop_column("calendar_version")
