"""event translations: the participation requirements and sign-up questions of an event in other languages

Revision ID: d8b3f5a1c7e4
Revises: c4e7a2d9b1f3
Create Date: 2026-12-06 16:40:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'd8b3f5a1c7e4'
down_revision = 'c4e7a2d9b1f3'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('event_translations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('parts', sa.JSON(), nullable=False, server_default='{}'))


def downgrade():
    with op.batch_alter_table('event_translations', schema=None) as batch_op:
        batch_op.drop_column('parts')
