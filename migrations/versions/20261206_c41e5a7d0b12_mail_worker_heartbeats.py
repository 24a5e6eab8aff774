"""mail worker heartbeats

Revision ID: c41e5a7d0b12
Revises: 5c1a7e3d9b20
Create Date: 2026-12-06 04:10:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c41e5a7d0b12'
down_revision = '5c1a7e3d9b20'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('mail_workers',
    sa.Column('id', sa.String(length=64), nullable=False),
    sa.Column('hostname', sa.String(length=255), nullable=False),
    sa.Column('pid', sa.Integer(), nullable=False),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('beat_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mail_workers'))
    )
    with op.batch_alter_table('mail_workers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_mail_workers_beat_at'), ['beat_at'], unique=False)


def downgrade():
    with op.batch_alter_table('mail_workers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_mail_workers_beat_at'))

    op.drop_table('mail_workers')
