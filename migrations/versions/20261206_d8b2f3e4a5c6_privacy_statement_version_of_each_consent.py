"""privacy statement version of each consent

Each registration records which version of the privacy statement the person accepted (the time was
already kept in ``privacy_accepted_at``). Registrations made before are left with ''.

Revision ID: d8b2f3e4a5c6
Revises: c7a1e2d3f4b5
Create Date: 2026-12-06 04:30:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "d8b2f3e4a5c6"
down_revision = "c7a1e2d3f4b5"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("registrations", schema=None) as batch_op:
        batch_op.add_column(sa.Column("privacy_version", sa.String(length=32), server_default="", nullable=False))


def downgrade():
    with op.batch_alter_table("registrations", schema=None) as batch_op:
        batch_op.drop_column("privacy_version")
