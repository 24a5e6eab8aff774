"""The mail worker: claims due mails in batches, sends them, records the outcome, and repeats.

Run with ``flask --app wsgi worker`` (``--once`` drains what is due and exits). SIGTERM and SIGINT stop
it cleanly: the mail being sent is finished, the rest of the batch is handed back unsent.
"""

from __future__ import annotations

import logging
import signal
import smtplib
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from flask import current_app

from eventapp.extensions import db
from eventapp.mail import services
from eventapp.mail.enums import OutboxStatus
from eventapp.mail.transport import FileTransport, PermanentFailure, SmtpTransport, Transport

log = logging.getLogger("eventapp.mail.worker")

#: Errors that mean "try again later" (the server is down, busy, or the connection broke).
TRANSIENT_ERRORS = (smtplib.SMTPException, OSError)
#: Sent mails are recorded at least this often: a crash mid-batch re-sends at most this many.
RECORD_EVERY = 20


@dataclass
class Tally:
    sent: int = 0
    retried: int = 0
    failed: int = 0

    def __str__(self) -> str:
        return f"{self.sent} sent, {self.retried} to retry, {self.failed} failed"


@dataclass
class Worker:
    batch_size: int = 100
    poll_seconds: float = 2.0
    #: How often offers and reminders are looked at.
    chores_seconds: float = 30.0
    stop: threading.Event = field(default_factory=threading.Event)
    #: When this worker last ran the daily GDPR retention purge (None: not yet; it runs at start-up).
    last_purge_at: datetime | None = None
    tally: Tally = field(default_factory=Tally)

    def transport(self) -> Transport:
        if current_app.config.get("MAIL_SERVER"):
            return SmtpTransport()
        return FileTransport(Path(current_app.instance_path) / "mail")

    def run(self, *, once: bool = False) -> Tally:
        """Send until stopped (or, with ``once``, until nothing is due)."""
        where = current_app.config.get("MAIL_SERVER") or f"{Path(current_app.instance_path) / 'mail'} (files)"
        log.info("mail worker started: sending to %s, batches of %d", where, self.batch_size)
        next_chores = 0.0
        while not self.stop.is_set():
            if time.monotonic() >= next_chores:
                self.run_chores()
                next_chores = time.monotonic() + self.chores_seconds
            handled = self.run_batch()
            if handled == 0:
                if once:
                    break
                self.stop.wait(self.poll_seconds)
        log.info("mail worker stopping: %s", self.tally)
        return self.tally

    def run_chores(self) -> None:
        """Time-driven work that produces mail: lapsed seat offers, reminders before events."""
        from eventapp.registrations.chores import expire_offers, purge_when_due, send_due_reminders

        try:
            lapsed = expire_offers()
            reminded = send_due_reminders()
            self.last_purge_at, purged = purge_when_due(last_run=self.last_purge_at)  # GDPR, once a day
            if purged is not None and purged.registrations:
                log.info("chores: personal data of %d registrations purged", purged.registrations)
        except Exception:  # a failing chore must not stop the mail from going out
            db.session.rollback()
            log.exception("chores failed; will try again")
            return
        finally:
            db.session.remove()
        if lapsed or reminded:
            log.info("chores: %d seat offers lapsed, %d reminders queued", lapsed, reminded)

    def run_batch(self) -> int:
        """Claim one batch and send it. Returns how many mails were claimed."""
        stuck_after = timedelta(seconds=current_app.config["MAIL_SENDING_TIMEOUT_SECONDS"])
        try:
            batch = services.claim_batch(limit=self.batch_size, stuck_after=stuck_after)
        finally:
            db.session.remove()
        if not batch:
            return 0
        unrecorded: list[int] = []  # sent, not yet marked sent

        def record_sent() -> None:
            services.mark_sent(unrecorded)
            self.tally.sent += len(unrecorded)
            unrecorded.clear()

        done = 0
        try:
            with self.transport() as transport:
                for mail in batch:
                    if self.stop.is_set():
                        break
                    try:
                        transport.send(mail)
                    except PermanentFailure as exc:
                        self._failed(mail, str(exc), permanent=True)
                    except (smtplib.SMTPServerDisconnected, ConnectionError):
                        raise  # the connection is gone: the rest of the batch would fail the same way
                    except Exception as exc:  # one bad mail must not stop the others
                        unexpected = not isinstance(exc, TRANSIENT_ERRORS)
                        log.warning("mail %s could not be sent", mail.id, exc_info=unexpected)
                        self._failed(mail, _describe(exc))
                    else:
                        unrecorded.append(mail.id)
                        if len(unrecorded) >= RECORD_EVERY:
                            record_sent()
                    done += 1
        except TRANSIENT_ERRORS as exc:
            error = _describe(exc)
            log.warning("SMTP unavailable (%s); %d mails will be retried", error, len(batch) - done)
            record_sent()
            for mail in batch[done:]:
                self._failed(mail, error)
            done = len(batch)
        finally:
            record_sent()
            services.release([mail.id for mail in batch[done:]])  # left unsent by a stop
            db.session.remove()
        log.info("batch of %d done: %s so far", len(batch), self.tally)
        return len(batch)

    def _failed(self, mail: services.ClaimedMail, error: str, *, permanent: bool = False) -> None:
        status = services.mark_attempt_failed(mail, error, permanent=permanent)
        if status is OutboxStatus.FAILED:
            self.tally.failed += 1
            log.error("mail %s to %s failed for good after %d attempts: %s", mail.id, mail.recipient_email,
                      mail.attempts, error)  # fmt: skip
        else:
            self.tally.retried += 1
            log.warning("mail %s: attempt %d failed (%s); will retry", mail.id, mail.attempts, error)


def _describe(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"


def install_signal_handlers(worker: Worker) -> None:
    def _stop(signum: int, _frame: object) -> None:
        log.info("received %s, finishing the current mail", signal.Signals(signum).name)
        worker.stop.set()

    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
