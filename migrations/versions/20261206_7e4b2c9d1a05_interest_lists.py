"""interest lists: subscriptions, their links, announcements; outbox rows of list mails; programme news

Revision ID: 7e4b2c9d1a05
Revises: 5a1f0c3e7b21
Create Date: 2026-12-06 07:30:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '7e4b2c9d1a05'
down_revision = '5a1f0c3e7b21'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'interest_subscriptions',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('programme_id', sa.Integer(), nullable=False),
        sa.Column('email', sa.String(length=254), nullable=False),
        sa.Column('name', sa.String(length=200), nullable=False),
        sa.Column('organisation', sa.String(length=200), nullable=False),
        sa.Column('locale', sa.String(length=8), nullable=False),
        sa.Column('status', sa.Enum('pending', 'confirmed', name='interest_status', native_enum=False,
                                    create_constraint=True, length=32), nullable=False),
        sa.Column('privacy_version', sa.String(length=32), nullable=False),
        sa.Column('requested_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('confirmed_at', sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(['programme_id'], ['programmes.id'],
                                name=op.f('fk_interest_subscriptions_programme_id_programmes'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_interest_subscriptions')),
        sa.UniqueConstraint('programme_id', 'email', name='uq_interest_subscriptions_programme_email'),
    )
    op.create_index('ix_interest_subscriptions_programme_status', 'interest_subscriptions',
                    ['programme_id', 'status', 'locale'], unique=False)
    op.create_index('ix_interest_subscriptions_email', 'interest_subscriptions', ['email'], unique=False)
    op.create_table(
        'interest_tokens',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('subscription_id', sa.Integer(), nullable=False),
        sa.Column('token_hash', sa.String(length=64), nullable=False),
        sa.Column('purpose', sa.Enum('confirm', 'manage', name='interest_token_purpose', native_enum=False,
                                     create_constraint=True, length=32), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['subscription_id'], ['interest_subscriptions.id'],
                                name=op.f('fk_interest_tokens_subscription_id_interest_subscriptions'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_interest_tokens')),
        sa.UniqueConstraint('token_hash', name=op.f('uq_interest_tokens_token_hash')),
    )
    op.create_index(op.f('ix_interest_tokens_subscription_id'), 'interest_tokens', ['subscription_id'], unique=False)
    op.create_table(
        'interest_announcements',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('event_id', sa.Integer(), nullable=False),
        sa.Column('reason', sa.Enum('event_published', 'materials_published', name='interest_announcement',
                                    native_enum=False, create_constraint=True, length=32), nullable=False),
        sa.Column('recipients', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['event_id'], ['events.id'],
                                name=op.f('fk_interest_announcements_event_id_events'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_interest_announcements')),
        sa.UniqueConstraint('event_id', 'reason', name='uq_interest_announcements_event_reason'),
    )
    with op.batch_alter_table('mail_outbox', schema=None) as batch_op:
        batch_op.add_column(sa.Column('interest_subscription_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('list_unsubscribe', sa.String(length=500), nullable=True))
        batch_op.create_index(batch_op.f('ix_mail_outbox_interest_subscription_id'), ['interest_subscription_id'],
                              unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_mail_outbox_interest_subscription_id_interest_subscriptions'),
                                    'interest_subscriptions', ['interest_subscription_id'], ['id'],
                                    ondelete='CASCADE')
    with op.batch_alter_table('mailings', schema=None) as batch_op:
        batch_op.add_column(sa.Column('programme_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('versions', sa.JSON(), nullable=True))
        batch_op.alter_column('event_id', existing_type=sa.Integer(), nullable=True)
        batch_op.create_index(batch_op.f('ix_mailings_programme_id'), ['programme_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_mailings_programme_id_programmes'), 'programmes',
                                    ['programme_id'], ['id'], ondelete='CASCADE')


def downgrade():
    op.execute("DELETE FROM mailings WHERE event_id IS NULL")
    with op.batch_alter_table('mailings', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_mailings_programme_id_programmes'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_mailings_programme_id'))
        batch_op.alter_column('event_id', existing_type=sa.Integer(), nullable=False)
        batch_op.drop_column('versions')
        batch_op.drop_column('programme_id')
    op.execute("DELETE FROM mail_outbox WHERE interest_subscription_id IS NOT NULL")
    with op.batch_alter_table('mail_outbox', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_mail_outbox_interest_subscription_id_interest_subscriptions'),
                                 type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_mail_outbox_interest_subscription_id'))
        batch_op.drop_column('list_unsubscribe')
        batch_op.drop_column('interest_subscription_id')
    op.drop_table('interest_announcements')
    op.drop_index(op.f('ix_interest_tokens_subscription_id'), table_name='interest_tokens')
    op.drop_table('interest_tokens')
    op.drop_index('ix_interest_subscriptions_email', table_name='interest_subscriptions')
    op.drop_index('ix_interest_subscriptions_programme_status', table_name='interest_subscriptions')
    op.drop_table('interest_subscriptions')
