"""hybrid events: online seats, each registration's attendance mode, seat counts per mode

Revision ID: f3a9c1d7e2b8
Revises: f0d3a1b7c925
Create Date: 2026-12-06 15:00:00.000000

"""
import importlib.util
from pathlib import Path

from alembic import op
import sqlalchemy as sa

from eventapp.registrations import seats


# revision identifiers, used by Alembic.
revision = 'f3a9c1d7e2b8'
down_revision = 'f0d3a1b7c925'  # on main's head at the merge (first made on 6ba16d094284)
branch_labels = None
depends_on = None

_ONLINE_COUNTS = ('online_confirmed', 'online_waitlisted', 'online_pending')


def _drop_triggers(dialect):
    """The counter's triggers go first: SQLite checks them when batch mode renames a rebuilt table."""
    if dialect == 'postgresql':
        op.execute('DROP TRIGGER IF EXISTS registrations_count_seats ON registrations')
    else:
        for name in ('insert', 'delete', 'update'):
            op.execute(f'DROP TRIGGER IF EXISTS registrations_count_seats_{name}')


def upgrade():
    dialect = op.get_bind().dialect.name
    _drop_triggers(dialect)
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.add_column(sa.Column('online_capacity', sa.Integer(), nullable=True))
        batch_op.create_check_constraint('online_capacity_not_negative',
                                         'online_capacity IS NULL OR online_capacity >= 0')
    with op.batch_alter_table('registrations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('attendance', sa.Enum('on_site', 'online', name='attendance_mode',
                                                            native_enum=False, create_constraint=True, length=32),
                                      nullable=True))
    with op.batch_alter_table('seat_counts', schema=None) as batch_op:
        for name in _ONLINE_COUNTS:
            batch_op.add_column(sa.Column(name, sa.Integer(), server_default='0', nullable=False))
    # The triggers count per mode from now on. Registrations made before keep no mode: at a hybrid event they signed up
    # to its one pool of seats and were sent the venue and the join link, which they keep; they count on site.
    seats.create_triggers(op.execute, dialect)
    for statement in seats.RECOUNT:
        op.execute(statement)


def _first_shape():
    """The triggers of revision b7e4c2a9d1f6 (the counter without modes), frozen in that file."""
    path = next(Path(__file__).parent.glob('*_b7e4c2a9d1f6_*.py'))
    spec = importlib.util.spec_from_file_location('seat_counts_first_shape', path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def downgrade():
    first = _first_shape()
    dialect = op.get_bind().dialect.name
    _drop_triggers(dialect)
    with op.batch_alter_table('seat_counts', schema=None) as batch_op:
        for name in _ONLINE_COUNTS:
            batch_op.drop_column(name)
    with op.batch_alter_table('registrations', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_registrations_attendance_mode'), type_='check')
        batch_op.drop_column('attendance')
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_events_online_capacity_not_negative'), type_='check')
        batch_op.drop_column('online_capacity')
    for statement in first._POSTGRESQL if dialect == 'postgresql' else first._SQLITE:
        op.execute(statement)
    for statement in first._RECOUNT:
        op.execute(statement)
