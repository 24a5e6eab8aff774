"""audit entries by ids and roles: who acted by role; no names of attendees in stored summaries

Entries about a registration are now written from their ids when the log is read, so that erasing or
purging a person leaves no name or address in the log. Their stored summaries (which held
"Name <address>: ...") are emptied here; the log view writes the same line from the ids. A downgrade
drops the role column; the emptied summaries cannot come back (that is the point).

Revision ID: c7a1e2d3f4b5
Revises: e63a7c9f2d34
Create Date: 2026-12-06 04:20:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "c7a1e2d3f4b5"
down_revision = "e63a7c9f2d34"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "actor_role",
                sa.Enum(
                    "organiser",
                    "attendee",
                    "speaker",
                    "system",
                    name="audit_role",
                    native_enum=False,
                    create_constraint=True,
                    length=32,
                ),
                server_default="organiser",
                nullable=False,
            )
        )
    audit = sa.table(
        "audit_log",
        sa.column("actor_id", sa.Integer),
        sa.column("actor_role", sa.String),
        sa.column("action", sa.String),
        sa.column("registration_id", sa.Integer),
        sa.column("summary", sa.Text),
    )
    op.execute(
        audit.update()
        .where(audit.c.actor_id.is_(None), audit.c.action.like("registration.%"))
        .values(actor_role="attendee")
    )
    op.execute(
        audit.update()
        .where(audit.c.actor_id.is_(None), sa.not_(audit.c.action.like("registration.%")))
        .values(actor_role="system")
    )
    op.execute(
        audit.update()
        .where(audit.c.registration_id.is_not(None), audit.c.action.like("registration.%"))
        .values(summary="")
    )


def downgrade():
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_audit_log_audit_role"), type_="check")
        batch_op.drop_column("actor_role")
