"""Reads for mailings: who a mailing would reach, and how far each mailing has got."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Select, func, select
from sqlalchemy.orm import selectinload

from eventapp.extensions import db
from eventapp.mail.enums import OutboxStatus
from eventapp.mail.models import OutboxMessage
from eventapp.mailings.enums import Attendance
from eventapp.mailings.models import Mailing
from eventapp.registrations.enums import RegistrationStatus
from eventapp.registrations.models import Registration


@dataclass(frozen=True)
class Audience:
    """Who gets a mailing: registrations in these statuses, narrowed by check-in."""

    statuses: tuple[RegistrationStatus, ...]
    attendance: Attendance = Attendance.ANY


def recipients(event_id: int, audience: Audience) -> Select[Registration]:
    """The registrations a mailing to ``audience`` reaches, one per registration, oldest first.
    Registrations whose personal data has been purged (no address left) are never included."""
    stmt = select(Registration).where(
        Registration.event_id == event_id,
        Registration.status.in_(audience.statuses),
        Registration.email != "",
    )
    if audience.attendance is Attendance.CAME:
        stmt = stmt.where(Registration.checked_in_at.is_not(None))
    elif audience.attendance is Attendance.DID_NOT_COME:
        stmt = stmt.where(Registration.checked_in_at.is_(None))
    return stmt.order_by(Registration.id)


def count_recipients(event_id: int, audience: Audience) -> int:
    if not audience.statuses:
        return 0
    return db.session.scalar(select(func.count()).select_from(recipients(event_id, audience).subquery())) or 0


@dataclass(frozen=True)
class Progress:
    """Where a mailing's mails are: waiting in the outbox, sent, or failed for good."""

    queued: int = 0
    sent: int = 0
    failed: int = 0

    @property
    def total(self) -> int:
        return self.queued + self.sent + self.failed

    @property
    def done(self) -> bool:
        return self.queued == 0


def _progress_by_mailing(mailing_ids: list[int]) -> dict[int, Progress]:
    if not mailing_ids:
        return {}
    counts: dict[int, dict[str, int]] = {i: {} for i in mailing_ids}
    rows = db.session.execute(
        select(OutboxMessage.mailing_id, OutboxMessage.status, func.count())
        .where(OutboxMessage.mailing_id.in_(mailing_ids))
        .group_by(OutboxMessage.mailing_id, OutboxMessage.status)
    )
    for mailing_id, status, count in rows:
        if mailing_id is None:  # not possible (the filter above), but the column may be NULL
            continue
        bucket = "sent" if status is OutboxStatus.SENT else "failed" if status is OutboxStatus.FAILED else "queued"
        counts[mailing_id][bucket] = counts[mailing_id].get(bucket, 0) + count
    return {i: Progress(**c) for i, c in counts.items()}


def mailings_of_event(event_id: int) -> list[tuple[Mailing, Progress]]:
    """The event's mailings, newest first, with their authors and progress: three queries whatever their
    number."""
    mailings = list(
        db.session.scalars(
            select(Mailing)
            .where(Mailing.event_id == event_id)
            .options(selectinload(Mailing.author))
            .order_by(Mailing.created_at.desc(), Mailing.id.desc())
        )
    )
    progress = _progress_by_mailing([m.id for m in mailings])
    return [(m, progress.get(m.id, Progress())) for m in mailings]


def progress_of(mailing_id: int) -> Progress:
    return _progress_by_mailing([mailing_id]).get(mailing_id, Progress())


def failed_mails(mailing_id: int, *, limit: int = 200) -> list[OutboxMessage]:
    """The mails of a mailing that could not be delivered, with the server's reason."""
    return list(
        db.session.scalars(
            select(OutboxMessage)
            .where(OutboxMessage.mailing_id == mailing_id, OutboxMessage.status == OutboxStatus.FAILED)
            .order_by(OutboxMessage.id)
            .limit(limit)
        )
    )
