"""Reads about the outbox: is mail flowing (for /healthz and the back office)?"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

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
            OutboxMessage.status.in_([OutboxStatus.PENDING, OutboxStatus.SENDING]),
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
