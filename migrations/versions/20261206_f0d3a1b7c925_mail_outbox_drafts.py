"""mail outbox drafts: mails the worker renders just before sending (status draft, what to render, the link token)

Revision ID: f0d3a1b7c925
Revises: a4c2e8f61b07
Create Date: 2026-12-06 14:30:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'f0d3a1b7c925'
down_revision = 'a4c2e8f61b07'
branch_labels = None
depends_on = None

OLD_STATUSES = "'pending', 'sending', 'sent', 'failed'"
NEW_STATUSES = "'draft', " + OLD_STATUSES


def upgrade():
    with op.batch_alter_table('mail_outbox', schema=None) as batch_op:
        batch_op.add_column(sa.Column('draft_kind', sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column('draft_params', sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column('draft_token', sa.String(length=64), nullable=True))
        batch_op.drop_constraint(op.f('ck_mail_outbox_outbox_status'), type_='check')
        batch_op.create_check_constraint('outbox_status', f"status IN ({NEW_STATUSES})")
        batch_op.create_check_constraint('draft_has_kind', "status <> 'draft' OR draft_kind IS NOT NULL")


def downgrade():
    # Drafts cannot be sent by the older code: a draft left now is dropped (the worker renders them
    # within seconds; stop the app and let the worker drain before downgrading).
    op.execute("DELETE FROM mail_outbox WHERE status = 'draft'")
    with op.batch_alter_table('mail_outbox', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_mail_outbox_draft_has_kind'), type_='check')
        batch_op.drop_constraint(op.f('ck_mail_outbox_outbox_status'), type_='check')
        batch_op.create_check_constraint('outbox_status', f"status IN ({OLD_STATUSES})")
        batch_op.drop_column('draft_token')
        batch_op.drop_column('draft_params')
        batch_op.drop_column('draft_kind')
