"""Time-driven work on registrations, run by the worker or from cron: lapsed seat offers, reminders
before events, and deleting personal data once an event is long over. Each step is its own transaction."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select

from eventapp.db import begin_write, utcnow
from eventapp.events.enums import EventStatus
from eventapp.events.models import Event
from eventapp.extensions import db
from eventapp.registrations.enums import RegistrationStatus
from eventapp.registrations.models import Registration
from eventapp.registrations.services import fill_free_seats, lock_event, mail_registration, transition

# The worker's logger: these lines belong to its log, as when the worker ran the chores itself.
log = logging.getLogger("eventapp.mail.worker")


def expire_offers(*, now: datetime | None = None) -> int:
    """For the worker: offers past their deadline lapse (the person leaves the waiting list, by mail)
    and the seat is offered to the next person. Each event in its own transaction. Returns lapsed."""
    now = now or utcnow()
    event_ids = list(
        db.session.scalars(
            select(Registration.event_id)
            .where(Registration.status == RegistrationStatus.WAITLISTED, Registration.offer_expires_at <= now)
            .distinct()
        )
    )
    db.session.rollback()
    lapsed = 0
    for event_id in event_ids:
        event = lock_event(event_id)
        expired = db.session.scalars(
            select(Registration).where(
                Registration.event_id == event_id,
                Registration.status == RegistrationStatus.WAITLISTED,
                Registration.offer_expires_at <= now,
            )
        ).all()
        for registration in expired:
            transition(registration, RegistrationStatus.CANCELLED, now=now)
            mail_registration(registration, "offer_expired", now=now)
            lapsed += 1
        db.session.flush()
        fill_free_seats(event, now=now)
        db.session.commit()
    return lapsed


REMINDERS = (("day", timedelta(days=1)), ("hour", timedelta(hours=1)))


def send_due_reminders(*, now: datetime | None = None, batch: int = 200) -> int:
    """For the worker: remind confirmed attendees one day and one hour before the start (the hour
    reminder carries the join link). Each reminder is claimed with ``FOR UPDATE SKIP LOCKED`` and marked
    in the same transaction as its mail, so several workers send each exactly once. Returns how many."""
    now = now or utcnow()
    sent = 0
    for which, ahead in REMINDERS:
        column = Registration.reminded_day_before_at if which == "day" else Registration.reminded_hour_before_at
        wanted = Event.reminder_day_before if which == "day" else Event.reminder_hour_before
        while True:
            begin_write(db.session)
            due = db.session.scalars(
                select(Registration)
                .join(Event, Event.id == Registration.event_id)
                .where(
                    Registration.status == RegistrationStatus.CONFIRMED,
                    column.is_(None),
                    Event.starts_at <= now + ahead,
                    Event.starts_at > now,
                    Event.status != EventStatus.CANCELLED,
                    wanted.is_(True),
                )
                .order_by(Registration.id)
                .limit(batch)
                .with_for_update(of=Registration, skip_locked=True)
            ).all()
            if not due:
                db.session.rollback()
                break
            for registration in due:
                setattr(registration, column.key, now)
                event = registration.event
                if registration.created_at >= event.starts_at - ahead:
                    continue  # a later sign-up had the details just now
                if which == "day" and event.reminder_hour_before and event.starts_at - now <= timedelta(hours=1):
                    continue  # switched on late: the hour reminder is the one that fits now
                mail_registration(registration, f"reminder_{which}", now=now, note=event.reminder_note)
                sent += 1
            db.session.commit()
    return sent


@dataclass(frozen=True)
class PurgeReport:
    events: int
    registrations: int
    mails: int


def purge_personal_data(*, retention_days: int, now: datetime | None = None, dry_run: bool = False) -> PurgeReport:
    """GDPR: once an event ended more than ``retention_days`` ago, its attendees' personal data goes.

    Names, addresses, job titles, organisation numbers (a Swedish sole trader's is a personnummer),
    answers, requirement confirmations, link tokens, audit notes, the mails sent to them and their .eml
    files are deleted or blanked (``privacy.anonymise``); what is left (status, check-in, organisation,
    its type and country) keeps the statistics true and says nothing about a person. The audit log names
    people only when it is read, so it shows them as "a removed person". One transaction; with
    ``dry_run`` nothing changes."""
    from eventapp.mail.models import OutboxMessage
    from eventapp.registrations.privacy import PURGED_DOMAIN, anonymise, remove_mail_files

    cutoff = (now or utcnow()) - timedelta(days=retention_days)
    ended = select(Event.id).where(Event.ends_at < cutoff)
    rows = db.session.execute(
        select(Registration.id, Registration.event_id, Registration.email).where(
            Registration.event_id.in_(ended), Registration.email.not_like(f"%{PURGED_DOMAIN}")
        )
    ).all()
    ids = [row.id for row in rows]
    # An address that also belongs to a registration being kept keeps its mails.
    still_used = set(db.session.scalars(
        select(Registration.email).where(Registration.email.in_([r.email for r in rows]), Registration.id.not_in(ids))
    )) if rows else set()  # fmt: skip
    gone_addresses = sorted({row.email for row in rows} - still_used)
    mails = (
        db.session.scalar(
            select(func.count()).select_from(OutboxMessage).where(OutboxMessage.recipient_email.in_(gone_addresses))
        )
        if gone_addresses
        else 0
    )
    report = PurgeReport(events=len({row.event_id for row in rows}), registrations=len(ids), mails=int(mails or 0))
    if dry_run or not ids:
        db.session.rollback()
        return report
    mail_ids = anonymise(ids)
    db.session.commit()
    remove_mail_files(mail_ids)
    return report


#: How often the worker runs the retention purge by itself.
PURGE_EVERY = timedelta(days=1)


def purge_when_due(
    *, last_run: datetime | None, now: datetime | None = None
) -> tuple[datetime | None, PurgeReport | None]:
    """For the worker: run ``purge_personal_data`` (``EVENTAPP_RETENTION_DAYS``) when a day has passed since
    ``last_run`` (at once when None). Returns the new last run and the report (None when not due). The purge
    is idempotent, so several workers each purging once a day do no harm."""
    from flask import current_app

    now = now or utcnow()
    if last_run is not None and now - last_run < PURGE_EVERY:
        return last_run, None
    report = purge_personal_data(retention_days=int(current_app.config["EVENTAPP_RETENTION_DAYS"]), now=now)
    return now, report


class WorkerChores:
    """The registrations' chores in a mail worker (the app factory registers the class with
    ``mail.worker.add_chore``; each worker makes its own): lapsed seat offers, reminders before events
    and, once a day, the purge of personal data."""

    def __init__(self) -> None:
        #: When this worker last ran the daily GDPR retention purge (None: not yet; it runs at start-up).
        self.last_purge_at: datetime | None = None

    def __call__(self) -> None:
        lapsed = expire_offers()
        reminded = send_due_reminders()
        self.last_purge_at, purged = purge_when_due(last_run=self.last_purge_at)  # GDPR, once a day
        if purged is not None and purged.registrations:
            log.info("chores: personal data of %d registrations purged", purged.registrations)
        if lapsed or reminded:
            log.info("chores: %d seat offers lapsed, %d reminders queued", lapsed, reminded)
