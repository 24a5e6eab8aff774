"""call translations: a call's title and texts in other languages

Revision ID: 5e1c0a7b9d42
Revises: 6ba16d094284
Create Date: 2026-12-06 15:10:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '5e1c0a7b9d42'
down_revision = '6ba16d094284'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('call_translations',
    sa.Column('call_id', sa.Integer(), nullable=False),
    sa.Column('locale', sa.String(length=8), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('summary', sa.String(length=500), nullable=False),
    sa.Column('description_md', sa.Text(), nullable=False),
    sa.Column('description_html', sa.Text(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['call_id'], ['calls.id'], name=op.f('fk_call_translations_call_id_calls'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('call_id', 'locale', name=op.f('pk_call_translations'))
    )


def downgrade():
    op.drop_table('call_translations')
