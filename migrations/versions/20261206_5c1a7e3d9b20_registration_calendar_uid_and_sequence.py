"""Each registration's invitations get their own calendar UID and SEQUENCE counter

Revision ID: 5c1a7e3d9b20
Revises: a21f97ff1192
Create Date: 2026-12-06 04:20:00

Registrations that exist already keep ``calendar_uid`` NULL: their invitations went out under the
event's UID, which is in those people's calendars, so their updates keep it. Their counter starts at 0
(an invitation may have gone out), so the next one carries a SEQUENCE above every earlier one.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '5c1a7e3d9b20'
down_revision = 'a21f97ff1192'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('registrations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('calendar_uid', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('calendar_sequence', sa.Integer(), nullable=True))
        batch_op.create_unique_constraint(batch_op.f('uq_registrations_calendar_uid'), ['calendar_uid'])
        batch_op.create_check_constraint('calendar_sequence_not_negative', 'calendar_sequence >= 0')
    op.execute("UPDATE registrations SET calendar_sequence = 0")


def downgrade():
    with op.batch_alter_table('registrations', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_registrations_calendar_sequence_not_negative'), type_='check')
        batch_op.drop_constraint(batch_op.f('uq_registrations_calendar_uid'), type_='unique')
        batch_op.drop_column('calendar_sequence')
        batch_op.drop_column('calendar_uid')
