"""programme time zone: the zone a programme's calls open and close in

Revision ID: 7f2d8b3c4a15
Revises: 5e1c0a7b9d42
Create Date: 2026-12-06 15:11:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '7f2d8b3c4a15'
down_revision = '5e1c0a7b9d42'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('programmes', schema=None) as batch_op:
        batch_op.add_column(sa.Column('timezone', sa.String(length=64), server_default='Europe/Oslo', nullable=False))


def downgrade():
    with op.batch_alter_table('programmes', schema=None) as batch_op:
        batch_op.drop_column('timezone')
