"""seat counts kept by triggers on registrations, and an index on live seat offers

Revision ID: b7e4c2a9d1f6
Revises: 324cc28aeb60
Create Date: 2026-12-06 07:30:00.000000

"""
from alembic import op
import sqlalchemy as sa


# The triggers and the recount as this revision made them (the counter's first shape, before the
# online columns of hybrid events): frozen here, since ``registrations.seats`` now writes a later shape.
_POSTGRESQL = ("\nCREATE OR REPLACE FUNCTION registrations_count_seats() RETURNS trigger LANGUAGE plpgsql AS $$\nBEGIN\n  IF TG_OP = 'UPDATE' AND OLD.status = NEW.status AND OLD.event_id = NEW.event_id THEN\n    RETURN NULL;\n  END IF;\n  IF TG_OP <> 'INSERT' AND OLD.status IN ('confirmed', 'waitlisted', 'pending') THEN\n    UPDATE seat_counts SET confirmed = confirmed - CASE WHEN OLD.status = 'confirmed' THEN 1 ELSE 0 END, waitlisted = waitlisted - CASE WHEN OLD.status = 'waitlisted' THEN 1 ELSE 0 END, pending = pending - CASE WHEN OLD.status = 'pending' THEN 1 ELSE 0 END WHERE event_id = OLD.event_id;\n  END IF;\n  IF TG_OP <> 'DELETE' AND NEW.status IN ('confirmed', 'waitlisted', 'pending') THEN\n    INSERT INTO seat_counts (event_id, confirmed, waitlisted, pending) VALUES (NEW.event_id, 0, 0, 0)\n      ON CONFLICT (event_id) DO NOTHING;\n    UPDATE seat_counts SET confirmed = confirmed + CASE WHEN NEW.status = 'confirmed' THEN 1 ELSE 0 END, waitlisted = waitlisted + CASE WHEN NEW.status = 'waitlisted' THEN 1 ELSE 0 END, pending = pending + CASE WHEN NEW.status = 'pending' THEN 1 ELSE 0 END WHERE event_id = NEW.event_id;\n  END IF;\n  RETURN NULL;\nEND $$\n", 'DROP TRIGGER IF EXISTS registrations_count_seats ON registrations', 'CREATE TRIGGER registrations_count_seats AFTER INSERT OR DELETE OR UPDATE OF status, event_id ON registrations FOR EACH ROW EXECUTE FUNCTION registrations_count_seats()')
_SQLITE = ('DROP TRIGGER IF EXISTS registrations_count_seats_insert', 'DROP TRIGGER IF EXISTS registrations_count_seats_delete', 'DROP TRIGGER IF EXISTS registrations_count_seats_update', "CREATE TRIGGER registrations_count_seats_insert AFTER INSERT ON registrations\nWHEN NEW.status IN ('confirmed', 'waitlisted', 'pending')\nBEGIN\n  INSERT OR IGNORE INTO seat_counts (event_id, confirmed, waitlisted, pending) VALUES (NEW.event_id, 0, 0, 0);\n  UPDATE seat_counts SET confirmed = confirmed + CASE WHEN NEW.status = 'confirmed' THEN 1 ELSE 0 END, waitlisted = waitlisted + CASE WHEN NEW.status = 'waitlisted' THEN 1 ELSE 0 END, pending = pending + CASE WHEN NEW.status = 'pending' THEN 1 ELSE 0 END WHERE event_id = NEW.event_id;\nEND", "CREATE TRIGGER registrations_count_seats_delete AFTER DELETE ON registrations\nWHEN OLD.status IN ('confirmed', 'waitlisted', 'pending')\nBEGIN\n  UPDATE seat_counts SET confirmed = confirmed - CASE WHEN OLD.status = 'confirmed' THEN 1 ELSE 0 END, waitlisted = waitlisted - CASE WHEN OLD.status = 'waitlisted' THEN 1 ELSE 0 END, pending = pending - CASE WHEN OLD.status = 'pending' THEN 1 ELSE 0 END WHERE event_id = OLD.event_id;\nEND", "CREATE TRIGGER registrations_count_seats_update AFTER UPDATE OF status, event_id ON registrations\nWHEN OLD.status IS NOT NEW.status OR OLD.event_id IS NOT NEW.event_id\nBEGIN\n  UPDATE seat_counts SET confirmed = confirmed - CASE WHEN OLD.status = 'confirmed' THEN 1 ELSE 0 END, waitlisted = waitlisted - CASE WHEN OLD.status = 'waitlisted' THEN 1 ELSE 0 END, pending = pending - CASE WHEN OLD.status = 'pending' THEN 1 ELSE 0 END WHERE event_id = OLD.event_id;\n  INSERT OR IGNORE INTO seat_counts (event_id, confirmed, waitlisted, pending)\n    SELECT NEW.event_id, 0, 0, 0 WHERE NEW.status IN ('confirmed', 'waitlisted', 'pending');\n  UPDATE seat_counts SET confirmed = confirmed + CASE WHEN NEW.status = 'confirmed' THEN 1 ELSE 0 END, waitlisted = waitlisted + CASE WHEN NEW.status = 'waitlisted' THEN 1 ELSE 0 END, pending = pending + CASE WHEN NEW.status = 'pending' THEN 1 ELSE 0 END WHERE event_id = NEW.event_id;\nEND")
_RECOUNT = ('DELETE FROM seat_counts', "INSERT INTO seat_counts (event_id, confirmed, waitlisted, pending) SELECT event_id, sum(CASE WHEN status = 'confirmed' THEN 1 ELSE 0 END), sum(CASE WHEN status = 'waitlisted' THEN 1 ELSE 0 END), sum(CASE WHEN status = 'pending' THEN 1 ELSE 0 END) FROM registrations WHERE status IN ('confirmed', 'waitlisted', 'pending') GROUP BY event_id")


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
    for statement in _POSTGRESQL if dialect == 'postgresql' else _SQLITE:
        op.execute(statement)
    for statement in _RECOUNT:
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
