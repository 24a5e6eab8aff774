"""Writing mail into the outbox, and the worker's side of it: claiming, and recording what happened.

``enqueue`` is called by use-case services: it only adds a row to the caller's transaction, so the mail
exists if and only if the change that caused it is committed. The other functions are the worker's;
each is its own short transaction.
"""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.utils import parseaddr

from flask import current_app
from sqlalchemy import and_, or_, select, update

from eventapp.db import utcnow
from eventapp.extensions import db
from eventapp.mail.enums import CalendarMethod, OutboxStatus
from eventapp.mail.models import OutboxMessage


@dataclass(frozen=True)
class RenderedMail:
    """A mail written for one person, ready to enqueue (see ``mail.messages`` for the builders)."""

    kind: str
    recipient_email: str
    recipient_name: str
    locale: str
    subject: str
    body_text: str
    body_html: str
    calendar: bytes | None = None
    calendar_method: CalendarMethod | None = None


@dataclass(frozen=True)
class ClaimedMail:
    """What the worker needs to send one claimed row (a plain copy: no ORM state crosses commits)."""

    id: int
    message_id: str
    recipient_email: str
    recipient_name: str
    sender: str
    subject: str
    body_text: str
    body_html: str
    calendar: bytes | None
    calendar_method: CalendarMethod | None
    attempts: int
    created_at: datetime


def new_message_id() -> str:
    """A globally unique Message-ID in the sender's domain."""
    _, address = parseaddr(current_app.config["MAIL_DEFAULT_SENDER"])
    domain = address.rpartition("@")[2] or "eventapp.invalid"
    return f"<{uuid.uuid4().hex}@{domain}>"


def enqueue(mail: RenderedMail, *, sender: str | None = None, not_before: datetime | None = None) -> OutboxMessage:
    """Add ``mail`` to the outbox in the caller's transaction (nothing is committed or sent here).

    Side effects: one ``mail_outbox`` row in the session; the worker sends it after the caller commits.
    """
    if (mail.calendar is None) != (mail.calendar_method is None):
        raise ValueError("a calendar attachment needs its method, and a method needs a calendar")
    row = OutboxMessage(
        message_id=new_message_id(),
        kind=mail.kind,
        recipient_email=mail.recipient_email,
        recipient_name=mail.recipient_name,
        sender=sender or current_app.config["MAIL_DEFAULT_SENDER"],
        locale=mail.locale,
        subject=mail.subject,
        body_text=mail.body_text,
        body_html=mail.body_html,
        calendar=mail.calendar,
        calendar_method=mail.calendar_method,
        status=OutboxStatus.PENDING,
        attempts=0,
        next_attempt_at=not_before or utcnow(),
    )
    db.session.add(row)
    return row


def claim_batch(*, limit: int, now: datetime | None = None, stuck_after: timedelta) -> list[ClaimedMail]:
    """Claim up to ``limit`` due rows for this worker: pending ones whose time has come, and rows left
    in ``sending`` longer than ``stuck_after`` by a worker that died. One transaction.

    PostgreSQL: ``FOR UPDATE SKIP LOCKED``, so concurrent workers never claim the same row.
    SQLite: ``BEGIN IMMEDIATE`` serialises claims (one worker is the supported set-up there).
    Side effects: the claimed rows become ``sending`` with ``claimed_at`` now and one more attempt.
    """
    now = now or utcnow()
    session = db.session
    if session.get_bind().dialect.name == "sqlite":
        session.connection(execution_options={"sqlite_begin": "IMMEDIATE"})
    table = OutboxMessage.__table__
    due = or_(
        and_(table.c.status == OutboxStatus.PENDING.value, table.c.next_attempt_at <= now),
        and_(table.c.status == OutboxStatus.SENDING.value, table.c.claimed_at < now - stuck_after),
    )
    # The queue pattern: one statement picks due rows no other worker holds and marks them ours.
    picked = (
        select(table.c.id)
        .where(due)
        .order_by(table.c.next_attempt_at, table.c.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
        .scalar_subquery()
    )
    claim = (
        update(table)
        .where(table.c.id.in_(picked))
        .values(status=OutboxStatus.SENDING.value, claimed_at=now, attempts=table.c.attempts + 1)
        .returning(*(table.c[name] for name in _CLAIMED_COLUMNS))
    )
    rows = session.connection().execute(claim).all()
    session.commit()
    return sorted((ClaimedMail(**row._mapping) for row in rows), key=lambda mail: mail.id)


_CLAIMED_COLUMNS = (
    "id", "message_id", "recipient_email", "recipient_name", "sender", "subject", "body_text", "body_html",
    "calendar", "calendar_method", "attempts", "created_at",
)  # fmt: skip


def mark_sent(mail_ids: list[int], *, now: datetime | None = None) -> None:
    """Record that the SMTP server accepted these mails. One transaction."""
    if not mail_ids:
        return
    db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id.in_(mail_ids), OutboxMessage.status == OutboxStatus.SENDING)
        .values(status=OutboxStatus.SENT, sent_at=now or utcnow(), last_error="", claimed_at=None)
    )
    db.session.commit()


def retry_delay(attempts: int) -> timedelta:
    """Exponential back-off from ``MAIL_RETRY_BASE_SECONDS``, capped at 6 hours, with ±10 % jitter."""
    base = float(current_app.config["MAIL_RETRY_BASE_SECONDS"])
    seconds = min(base * 2 ** max(attempts - 1, 0), 6 * 3600)
    return timedelta(seconds=seconds * random.uniform(0.9, 1.1))


def mark_attempt_failed(
    mail: ClaimedMail, error: str, *, permanent: bool = False, now: datetime | None = None
) -> OutboxStatus:
    """Record a failed attempt: back to pending after a back-off, or failed for good after the last
    attempt (``MAIL_MAX_ATTEMPTS``) or a permanent refusal. The error is kept. One transaction."""
    now = now or utcnow()
    give_up = permanent or mail.attempts >= int(current_app.config["MAIL_MAX_ATTEMPTS"])
    status = OutboxStatus.FAILED if give_up else OutboxStatus.PENDING
    db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == mail.id, OutboxMessage.status == OutboxStatus.SENDING)
        .values(
            status=status,
            last_error=error[:2000],
            claimed_at=None,
            next_attempt_at=now if give_up else now + retry_delay(mail.attempts),
        )
    )
    db.session.commit()
    return status


def release(mail_ids: list[int]) -> None:
    """Hand claimed but unsent mails back (a worker stopping): pending at once, the attempt not counted."""
    if not mail_ids:
        return
    db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id.in_(mail_ids), OutboxMessage.status == OutboxStatus.SENDING)
        .values(status=OutboxStatus.PENDING, claimed_at=None, attempts=OutboxMessage.attempts - 1)
    )
    db.session.commit()
