"""Reads about the outbox: is mail flowing (for /healthz and the back office)?"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from eventapp.db import utcnow
from eventapp.extensions import db
from eventapp.mail.enums import OutboxStatus
from eventapp.mail.models import MailWorker, OutboxMessage

#: A worker whose heartbeat is older than this is taken to be dead or stuck.
WORKER_SILENT_AFTER = timedelta(seconds=60)


@dataclass(frozen=True)
class MailHealth:
    #: Workers whose heartbeat is recent.
    workers_alive: int
    #: The newest heartbeat of any worker (None: no worker has ever run, or all stopped cleanly).
    last_heartbeat_at: datetime | None
    #: The oldest mail that is due and not yet sent (pending and due, or sending).
    oldest_waiting_since: datetime | None
    #: Mails that failed for good.
    failed: int
    now: datetime
    max_wait: timedelta

    @property
    def oldest_waiting_seconds(self) -> float | None:
        if self.oldest_waiting_since is None:
            return None
        return max((self.now - self.oldest_waiting_since).total_seconds(), 0.0)

    @property
    def last_heartbeat_seconds(self) -> float | None:
        if self.last_heartbeat_at is None:
            return None
        return max((self.now - self.last_heartbeat_at).total_seconds(), 0.0)

    @property
    def is_flowing(self) -> bool:
        """A worker is alive and no due mail has waited longer than ``MAIL_HEALTH_MAX_WAIT_SECONDS``."""
        waited = self.oldest_waiting_seconds
        return self.workers_alive > 0 and (waited is None or waited <= self.max_wait.total_seconds())

    def as_json(self) -> dict[str, object]:
        return {
            "state": "ok" if self.is_flowing else "stalled",
            "workers_alive": self.workers_alive,
            "last_heartbeat_at": self.last_heartbeat_at.isoformat() if self.last_heartbeat_at else None,
            "last_heartbeat_seconds_ago": _round(self.last_heartbeat_seconds),
            "oldest_waiting_mail_seconds": _round(self.oldest_waiting_seconds),
            "failed_mails": self.failed,
        }


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def mail_health(*, max_wait: timedelta, now: datetime | None = None) -> MailHealth:
    """How mail is doing, in three small queries (heartbeats, the oldest waiting mail, failures)."""
    now = now or utcnow()
    alive, last_beat = db.session.execute(
        select(
            func.count().filter(MailWorker.beat_at >= now - WORKER_SILENT_AFTER),
            func.max(MailWorker.beat_at),
        )
    ).one()
    oldest_due = db.session.scalar(
        select(func.min(OutboxMessage.next_attempt_at)).where(
            OutboxMessage.status.in_([OutboxStatus.DRAFT, OutboxStatus.PENDING, OutboxStatus.SENDING]),
            OutboxMessage.next_attempt_at <= now,
        )
    )
    failed = db.session.scalar(select(func.count()).where(OutboxMessage.status == OutboxStatus.FAILED))
    return MailHealth(
        workers_alive=int(alive or 0),
        last_heartbeat_at=last_beat,
        oldest_waiting_since=oldest_due,
        failed=int(failed or 0),
        now=now,
        max_wait=max_wait,
    )


#: What each kind of mail is, in the organiser's words.
KIND_LABELS = {
    "registration_confirmed": _l("Confirmation"),
    "registration_approved": _l("Confirmation (approved)"),
    "registration_promoted": _l("Seat from the waiting list"),
    "registration_waitlisted": _l("Waiting list"),
    "registration_pending": _l("Registration received (awaiting approval)"),
    "registration_rejected": _l("Registration declined"),
    "registration_cancelled": _l("Cancellation"),
    "registration_link": _l("Personal link"),
    "registration_offer": _l("Seat offer"),
    "registration_offer_expired": _l("Seat offer lapsed"),
    "registration_reminder_day": _l("Reminder (the day before)"),
    "registration_reminder_hour": _l("Reminder (an hour before)"),
    "registration_updated": _l("Changed time or place"),
    "registration_attendance_changed": _l("Changed between on site and online"),
    "mailing": _l("Message from the organisers"),
    "speaker_invitation": _l("Speaker invitation"),
    "speaker_reminder": _l("Speaker reminder"),
    "materials_followup": _l("Materials after the event"),
}


def kind_label(kind: str) -> str:
    label = KIND_LABELS.get(kind)
    return str(label) if label is not None else kind.replace("_", " ")


@dataclass(frozen=True)
class FailedMail:
    """A mail that failed for good: who should have got it, what it was, and the server's answer."""

    id: int
    kind: str
    recipient_name: str
    recipient_email: str
    last_error: str
    attempts: int
    failed_at: datetime
    registration_id: int | None
    speaker_id: int | None

    @property
    def label(self) -> str:
        return kind_label(self.kind)


_FAILED_COLUMNS = (
    OutboxMessage.id,
    OutboxMessage.kind,
    OutboxMessage.recipient_name,
    OutboxMessage.recipient_email,
    OutboxMessage.last_error,
    OutboxMessage.attempts,
    OutboxMessage.next_attempt_at.label("failed_at"),  # set to the moment it was given up on
    OutboxMessage.registration_id,
    OutboxMessage.speaker_id,
)


def failed_mails_of_event(event_id: int, *, limit: int = 500) -> list[FailedMail]:
    """The event's failed mails, newest first (one query)."""
    rows = db.session.execute(
        select(*_FAILED_COLUMNS)
        .where(OutboxMessage.event_id == event_id, OutboxMessage.status == OutboxStatus.FAILED)
        .order_by(OutboxMessage.next_attempt_at.desc(), OutboxMessage.id.desc())
        .limit(limit)
    )
    return [FailedMail(**row._mapping) for row in rows]


def failed_mails_by_registration(registration_ids: list[int]) -> dict[int, list[FailedMail]]:
    """Failed mails of these registrations, newest first per registration (one query)."""
    if not registration_ids:
        return {}
    rows = db.session.execute(
        select(*_FAILED_COLUMNS)
        .where(OutboxMessage.registration_id.in_(registration_ids), OutboxMessage.status == OutboxStatus.FAILED)
        .order_by(OutboxMessage.next_attempt_at.desc(), OutboxMessage.id.desc())
    )
    found: dict[int, list[FailedMail]] = {}
    for row in rows:
        mail = FailedMail(**row._mapping)
        found.setdefault(int(mail.registration_id or 0), []).append(mail)
    return found
