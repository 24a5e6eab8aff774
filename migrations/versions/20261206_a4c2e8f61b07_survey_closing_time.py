"""surveys get a closing time

Revision ID: a4c2e8f61b07
Revises: 7f2d8b3c4a15
Create Date: 2026-12-06 16:10:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a4c2e8f61b07'
down_revision = '7f2d8b3c4a15'
branch_labels = None
depends_on = None


def upgrade():
    # Empty for every survey made before: they close 30 days after their event, as the mails always did.
    with op.batch_alter_table('surveys', schema=None) as batch_op:
        batch_op.add_column(sa.Column('closes_at', sa.DateTime(timezone=True), nullable=True))


def downgrade():
    with op.batch_alter_table('surveys', schema=None) as batch_op:
        batch_op.drop_column('closes_at')
