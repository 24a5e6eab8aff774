"""seat counts kept by triggers on registrations, and an index on live seat offers

Revision ID: b7e4c2a9d1f6
Revises: 324cc28aeb60
Create Date: 2026-12-06 07:30:00.000000

"""
from alembic import op
import sqlalchemy as sa

from eventapp.registrations import seats


# revision identifiers, used by Alembic.
revision = 'b7e4c2a9d1f6'
down_revision = '324cc28aeb60'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'seat_counts',
        sa.Column('event_id', sa.Integer(), nullable=False),
        sa.Column('confirmed', sa.Integer(), server_default='0', nullable=False),
        sa.Column('waitlisted', sa.Integer(), server_default='0', nullable=False),
        sa.Column('pending', sa.Integer(), server_default='0', nullable=False),
        sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_seat_counts_event_id_events'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('event_id', name=op.f('pk_seat_counts')),
    )
    op.create_index('ix_registrations_event_id_offer_expires_at', 'registrations', ['event_id', 'offer_expires_at'],
                    unique=False, postgresql_where=sa.text('offer_expires_at IS NOT NULL'),
                    sqlite_where=sa.text('offer_expires_at IS NOT NULL'))
    dialect = op.get_bind().dialect.name
    seats.create_triggers(op.execute, dialect)
    for statement in seats.RECOUNT:
        op.execute(statement)


def downgrade():
    if op.get_bind().dialect.name == 'postgresql':
        op.execute('DROP TRIGGER IF EXISTS registrations_count_seats ON registrations')
        op.execute('DROP FUNCTION IF EXISTS registrations_count_seats()')
    else:
        for name in ('insert', 'delete', 'update'):
            op.execute(f'DROP TRIGGER IF EXISTS registrations_count_seats_{name}')
    op.drop_index('ix_registrations_event_id_offer_expires_at', table_name='registrations',
                  postgresql_where=sa.text('offer_expires_at IS NOT NULL'),
                  sqlite_where=sa.text('offer_expires_at IS NOT NULL'))
    op.drop_table('seat_counts')
