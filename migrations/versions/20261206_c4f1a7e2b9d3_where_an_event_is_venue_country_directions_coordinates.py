"""where an event is: venue country, directions and coordinates

Revision ID: c4f1a7e2b9d3
Revises: d8b2f3e4a5c6
Create Date: 2026-12-06 04:10:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c4f1a7e2b9d3'
down_revision = 'd8b2f3e4a5c6'
branch_labels = None
depends_on = None

COORDINATES_ON_EARTH = (
    "(latitude IS NULL AND longitude IS NULL) OR (latitude IS NOT NULL AND longitude IS NOT NULL"
    " AND latitude BETWEEN -90 AND 90 AND longitude BETWEEN -180 AND 180)"
)


def upgrade():
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.add_column(sa.Column('venue_country', sa.String(length=2), server_default='', nullable=False))
        batch_op.add_column(sa.Column('directions', sa.Text(), server_default='', nullable=False))
        batch_op.add_column(sa.Column('latitude', sa.Float(), nullable=True))
        batch_op.add_column(sa.Column('longitude', sa.Float(), nullable=True))
        batch_op.create_check_constraint(batch_op.f('ck_events_coordinates_on_earth'), COORDINATES_ON_EARTH)


def downgrade():
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_events_coordinates_on_earth'), type_='check')
        batch_op.drop_column('longitude')
        batch_op.drop_column('latitude')
        batch_op.drop_column('directions')
        batch_op.drop_column('venue_country')
