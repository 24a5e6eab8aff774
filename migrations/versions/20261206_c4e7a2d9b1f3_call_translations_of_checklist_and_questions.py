"""call translations: the checklist statements and the questions of a call in other languages

Revision ID: c4e7a2d9b1f3
Revises: f3a9c1d7e2b8
Create Date: 2026-12-06 13:35:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c4e7a2d9b1f3'
down_revision = 'f3a9c1d7e2b8'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('call_translations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('parts', sa.JSON(), nullable=False, server_default='{}'))


def downgrade():
    with op.batch_alter_table('call_translations', schema=None) as batch_op:
        batch_op.drop_column('parts')
