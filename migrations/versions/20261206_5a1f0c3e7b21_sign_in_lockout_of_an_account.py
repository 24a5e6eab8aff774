"""sign-in lockout of an account: wrong passwords in a row, and until when sign-in is refused

Revision ID: 5a1f0c3e7b21
Revises: c4f1a7e2b9d3
Create Date: 2026-12-06 04:15:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '5a1f0c3e7b21'
down_revision = 'c4f1a7e2b9d3'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('failed_logins', sa.Integer(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('login_locked_until', sa.DateTime(timezone=True), nullable=True))


def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('login_locked_until')
        batch_op.drop_column('failed_logins')
