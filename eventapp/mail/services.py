"""Writing mail into the outbox, and the worker's side of it: claiming, and recording what happened.

``enqueue`` is called by use-case services: it only adds a row to the caller's transaction, so the mail
exists if and only if the change that caused it is committed. The other functions are the worker's;
each is its own short transaction.
"""

from __future__ import annotations

import os
import random
import secrets
import socket
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from email.utils import parseaddr
from typing import Any, cast

from flask import current_app
from sqlalchemy import ColumnElement, Result, Table, and_, delete, or_, select, update

from eventapp.db import utcnow
from eventapp.extensions import db
from eventapp.mail.enums import CalendarMethod, OutboxStatus
from eventapp.mail.models import MailWorker, OutboxMessage
from eventapp.transactions import use_case


@dataclass(frozen=True)
class RenderedMail:
    """A mail written for one person, ready to enqueue (built by the messages.py of each domain package)."""

    kind: str
    recipient_email: str
    recipient_name: str
    locale: str
    subject: str
    body_text: str
    body_html: str
    calendar: bytes | None = None
    calendar_method: CalendarMethod | None = None
    #: The registration or speaker written to (ORM object), so a failed mail shows where they are listed.
    about: object | None = field(default=None, compare=False, repr=False)


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
    #: The one-click unsubscribe URL of a list mail (RFC 8058), else None.
    list_unsubscribe: str | None = None


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
    table = getattr(mail.about, "__tablename__", None)
    if table in ("registrations", "speakers"):
        # Relationships, not ids: the person may be new in this transaction (no id before the flush).
        setattr(row, "registration" if table == "registrations" else "speaker", mail.about)
        row.event = mail.about.event  # type: ignore[attr-defined]  # a Registration or a Speaker (mail imports neither)
    db.session.add(row)
    return row


def claim_batch(*, limit: int, owner: str, lease: timedelta, now: datetime | None = None) -> list[ClaimedMail]:
    """Claim up to ``limit`` due rows for the worker ``owner``: pending ones whose time has come, and
    rows left in ``sending`` by a worker whose lease ran out (it died or lost the database). One
    transaction.

    PostgreSQL: ``FOR UPDATE SKIP LOCKED``, so concurrent workers never claim the same row.
    SQLite: ``BEGIN IMMEDIATE`` serialises claims (one worker is the supported set-up there).
    Side effects: the claimed rows become ``sending``, held by ``owner`` until ``now + lease`` (the
    worker renews that with ``renew_leases``), with one more attempt counted.
    """
    now = now or utcnow()
    session = db.session
    if session.get_bind().dialect.name == "sqlite":
        session.connection(execution_options={"sqlite_begin": "IMMEDIATE"})
    table = cast(Table, OutboxMessage.__table__)
    sending = table.c.status == OutboxStatus.SENDING.value
    due = or_(
        and_(table.c.status == OutboxStatus.PENDING.value, table.c.next_attempt_at <= now),
        and_(sending, table.c.lease_expires_at < now),
        # Claimed before leases existed (no expiry written): taken up after a lease's length.
        and_(sending, table.c.lease_expires_at.is_(None), table.c.claimed_at < now - lease),
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
        .values(
            status=OutboxStatus.SENDING.value,
            claimed_at=now,
            claimed_by=owner,
            lease_expires_at=now + lease,
            attempts=table.c.attempts + 1,
        )
        .returning(*(table.c[name] for name in _CLAIMED_COLUMNS))
    )
    rows = session.connection().execute(claim).all()
    session.commit()
    return sorted((ClaimedMail(**row._mapping) for row in rows), key=lambda mail: mail.id)


def claimed_mail(row: OutboxMessage) -> ClaimedMail:
    """The plain copy of a row the worker has just claimed and filled in this transaction."""
    return ClaimedMail(**{name: getattr(row, name) for name in _CLAIMED_COLUMNS})


_CLAIMED_COLUMNS = (
    "id", "message_id", "recipient_email", "recipient_name", "sender", "subject", "body_text", "body_html",
    "calendar", "calendar_method", "attempts", "created_at", "list_unsubscribe",
)  # fmt: skip


def _held_by(owner: str) -> ColumnElement[bool]:
    """Rows ``owner`` holds: still ``sending`` and claimed by it (a lease another worker took over is not)."""
    return and_(OutboxMessage.status == OutboxStatus.SENDING, OutboxMessage.claimed_by == owner)


def _updated(result: Result[Any]) -> int:
    return int(getattr(result, "rowcount", 0) or 0)


@use_case
def renew_leases(owner: str, *, lease: timedelta, now: datetime | None = None) -> int:
    """Extend the lease on every mail ``owner`` holds to ``now + lease``, and write its heartbeat.
    One transaction. Returns how many mails it holds."""
    now = now or utcnow()
    result = db.session.execute(
        update(OutboxMessage).where(_held_by(owner)).values(lease_expires_at=now + lease),
        execution_options={"synchronize_session": False},
    )
    _beat(owner, now)
    db.session.commit()
    return _updated(result)


@use_case
def mark_sent(owner: str, mail_ids: list[int], *, now: datetime | None = None) -> int:
    """Record that the SMTP server accepted these mails (those ``owner`` still holds). One transaction.
    Returns how many were recorded: fewer means another worker took over a lease that ran out."""
    if not mail_ids:
        return 0
    result = db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id.in_(mail_ids), _held_by(owner))
        .values(status=OutboxStatus.SENT, sent_at=now or utcnow(), last_error="", claimed_at=None,
                claimed_by=None, lease_expires_at=None),
        execution_options={"synchronize_session": False},
    )  # fmt: skip
    db.session.commit()
    return _updated(result)


def retry_delay(attempts: int) -> timedelta:
    """Exponential back-off from ``MAIL_RETRY_BASE_SECONDS``, capped at 6 hours, with ±10 % jitter."""
    base = float(current_app.config["MAIL_RETRY_BASE_SECONDS"])
    seconds = min(base * 2 ** max(attempts - 1, 0), 6 * 3600)
    return timedelta(seconds=seconds * random.uniform(0.9, 1.1))


@use_case
def mark_attempt_failed(
    owner: str, mail: ClaimedMail, error: str, *, permanent: bool = False, now: datetime | None = None
) -> OutboxStatus | None:
    """Record a failed attempt: back to pending after a back-off, or failed for good after the last
    attempt (``MAIL_MAX_ATTEMPTS``) or a permanent refusal. The error is kept. One transaction.
    Returns the new status, or None when ``owner`` no longer holds the mail (nothing was changed)."""
    now = now or utcnow()
    give_up = permanent or mail.attempts >= int(current_app.config["MAIL_MAX_ATTEMPTS"])
    status = OutboxStatus.FAILED if give_up else OutboxStatus.PENDING
    result = db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == mail.id, _held_by(owner))
        .values(
            status=status,
            last_error=error[:2000],
            claimed_at=None,
            claimed_by=None,
            lease_expires_at=None,
            next_attempt_at=now if give_up else now + retry_delay(mail.attempts),
        ),
        execution_options={"synchronize_session": False},
    )
    db.session.commit()
    return status if _updated(result) else None


@use_case
def release(owner: str, mail_ids: list[int]) -> int:
    """Hand claimed but unsent mails back (a worker stopping): pending at once, the attempt not counted.
    Only mails ``owner`` still holds. One transaction."""
    if not mail_ids:
        return 0
    result = db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id.in_(mail_ids), _held_by(owner))
        .values(status=OutboxStatus.PENDING, claimed_at=None, claimed_by=None, lease_expires_at=None,
                attempts=OutboxMessage.attempts - 1),
        execution_options={"synchronize_session": False},
    )  # fmt: skip
    db.session.commit()
    return _updated(result)


def _beat(owner: str, now: datetime) -> None:
    updated = db.session.execute(
        update(MailWorker).where(MailWorker.id == owner).values(beat_at=now),
        execution_options={"synchronize_session": False},
    )
    if not _updated(updated):  # first beat, or the row was cleared while the database was away
        host = socket.gethostname()[:255]
        db.session.add(MailWorker(id=owner, hostname=host, pid=os.getpid(), started_at=now, beat_at=now))


def new_worker_id() -> str:
    """An owner id for this worker process: host, process id and a random part (unique across restarts)."""
    return f"{socket.gethostname()[:40]}:{os.getpid()}:{secrets.token_hex(6)}"


@use_case
def register_worker(owner: str, *, now: datetime | None = None, forget_after: timedelta = timedelta(days=1)) -> None:
    """A worker starting: its heartbeat row, and rows of workers silent for ``forget_after`` removed.
    One transaction."""
    now = now or utcnow()
    db.session.execute(delete(MailWorker).where(MailWorker.beat_at < now - forget_after))
    _beat(owner, now)
    db.session.commit()


@use_case
def unregister_worker(owner: str) -> None:
    """A worker stopping cleanly: its heartbeat row goes. One transaction."""
    db.session.execute(delete(MailWorker).where(MailWorker.id == owner))
    db.session.commit()
