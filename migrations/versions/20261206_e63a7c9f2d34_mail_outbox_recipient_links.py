"""mail outbox: the event, registration or speaker a mail was written to (failed mail shows there)

Revision ID: e63a7c9f2d34
Revises: d52f6b8e1c23
Create Date: 2026-12-06 04:30:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'e63a7c9f2d34'
down_revision = 'd52f6b8e1c23'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('mail_outbox', schema=None) as batch_op:
        batch_op.add_column(sa.Column('event_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('registration_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('speaker_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_mail_outbox_event_id'), ['event_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_mail_outbox_registration_id'), ['registration_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_mail_outbox_speaker_id'), ['speaker_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_mail_outbox_event_id_events'), 'events', ['event_id'], ['id'], ondelete='SET NULL')
        batch_op.create_foreign_key(batch_op.f('fk_mail_outbox_registration_id_registrations'), 'registrations', ['registration_id'], ['id'], ondelete='SET NULL')
        batch_op.create_foreign_key(batch_op.f('fk_mail_outbox_speaker_id_speakers'), 'speakers', ['speaker_id'], ['id'], ondelete='SET NULL')


def downgrade():
    with op.batch_alter_table('mail_outbox', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_mail_outbox_speaker_id_speakers'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_mail_outbox_registration_id_registrations'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_mail_outbox_event_id_events'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_mail_outbox_speaker_id'))
        batch_op.drop_index(batch_op.f('ix_mail_outbox_registration_id'))
        batch_op.drop_index(batch_op.f('ix_mail_outbox_event_id'))
        batch_op.drop_column('speaker_id')
        batch_op.drop_column('registration_id')
        batch_op.drop_column('event_id')
