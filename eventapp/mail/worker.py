"""The mail worker: claims due mails in batches, sends them, records the outcome, and repeats.

Run with ``flask --app wsgi worker`` (``--once`` drains what is due and exits). It is built to keep going
under faults:

* **The database goes away** (restart, fail-over, ``pg_terminate_backend``, refused connections): every
  database step is retried with back-off (0.2 s doubling to 10 s), logged once per outage, and the worker
  goes on when the database is back. Mails it had already sent are recorded then, not sent again.
* **The SMTP server hangs**: every network step has a time-out (``MAIL_TIMEOUT_SECONDS``); a time-out is
  retried later like a 4xx answer.
* **Leases**: a claimed mail is held by this worker (``claimed_by``) until ``lease_expires_at``, which the
  worker renews while it works (and writes its heartbeat row then). Only the holder may mark a mail
  sent, failed or released. A worker killed outright (SIGKILL, power loss) leaves its mails to be taken up
  once the lease ends: at most the mails it had in flight (sent, not yet recorded: ``RECORD_EVERY``, plus
  the one on the wire) can go out twice. Nothing else is ever sent twice.
* **SIGTERM / SIGINT** stop it within a few seconds, even in the middle of an SMTP conversation: the mail
  on the wire gets ``STOP_GRACE_SECONDS`` to finish; a server silent beyond that is cut off and the mail
  handed back (sent again later if the server had in fact taken it); the rest of the batch is handed
  back unsent; the heartbeat row is removed.
"""

from __future__ import annotations

import contextlib
import logging
import signal
import smtplib
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import TypeVar

from flask import Flask, current_app
from sqlalchemy.exc import DBAPIError

from eventapp.extensions import db
from eventapp.mail import drafts, services
from eventapp.mail.enums import OutboxStatus
from eventapp.mail.transport import FileTransport, PermanentFailure, SmtpTransport, Transport

log = logging.getLogger("eventapp.mail.worker")
T = TypeVar("T")

#: Errors that mean "try again later" (the server is down, busy, or the connection broke).
TRANSIENT_ERRORS = (smtplib.SMTPException, OSError)
#: Errors after which the SMTP connection cannot be used for the rest of the batch (after a time-out
#: smtplib's replies are out of step with its commands).
CONNECTION_LOST = (smtplib.SMTPServerDisconnected, ConnectionError, TimeoutError)
#: Errors that mean "the database is away" (refused, dropped, terminated): wait and try again.
DATABASE_ERRORS = (DBAPIError,)
#: Sent mails are recorded at least this often: a crash mid-batch re-sends at most this many.
RECORD_EVERY = 20
#: The heartbeat (and lease renewal) is written at least this often while the loop runs.
HEARTBEAT_SECONDS = 10.0
#: After SIGTERM, a network step still under way gets this long before it is cut off.
STOP_GRACE_SECONDS = 2.0
#: The most drafts rendered in one transaction (the render holds their rows locked meanwhile): a batch's
#: worth, so a batch renders what its drafts share once (``registrations.drafts``). 25 took 95-120 ms of wall
#: time in process, 50 about 50 ms; 100, one render transaction per batch, gave 4-10 % more drafts a second
#: than 50 in process (PERFORMANCE.md, "Fourth round"), holding the rows for about 100 ms. After a database
#: error the next transactions are smaller (down to one draft), growing back while they succeed.
RENDER_SIZE = 100
#: Waits between attempts to reach the database again.
DATABASE_BACKOFF_FIRST, DATABASE_BACKOFF_MAX = 0.2, 10.0


#: Where the app keeps the chore factories (``app.extensions``).
CHORES_KEY = "eventapp.mail.chores"


def add_chore(app: Flask, make: Callable[[], Callable[[], object]]) -> None:
    """Register a domain's chore: ``make()`` gives each worker its own callable, which the worker runs every
    ``chores_seconds`` between batches. The domains stand above mail (docs/ARCHITECTURE.md, "Layers"),
    so the app factory registers their chores here; mail imports none of them."""
    factories = app.extensions.setdefault(CHORES_KEY, [])
    if make not in factories:
        factories.append(make)


def registered_chores() -> list[Callable[[], Callable[[], object]]]:
    return list(current_app.extensions.get(CHORES_KEY, ()))


class WorkerStopping(BaseException):  # like KeyboardInterrupt: a request to stop, not an error
    """Raised by the signal handler to end a network wait at once (never inside a database step)."""


@dataclass
class Tally:
    sent: int = 0
    retried: int = 0
    failed: int = 0
    #: Drafts rendered, and dropped (what they were about was gone).
    rendered: int = 0
    dropped: int = 0

    def __str__(self) -> str:
        drafts = f", {self.rendered} drafts rendered, {self.dropped} dropped" if self.rendered or self.dropped else ""
        return f"{self.sent} sent, {self.retried} to retry, {self.failed} failed{drafts}"


@dataclass
class Worker:
    batch_size: int = 100
    poll_seconds: float = 2.0
    #: How often offers and reminders are looked at.
    chores_seconds: float = 30.0
    stop: threading.Event = field(default_factory=threading.Event)
    #: This worker's chores, made at their first run from the factories the app registered (``add_chore``):
    #: each keeps its own state (when it last ran, say) for this worker.
    chores: list[Callable[[], object]] | None = None
    tally: Tally = field(default_factory=Tally)
    #: This worker's owner id: its leases and heartbeat row carry it.
    id: str = field(default_factory=services.new_worker_id)
    #: True while the worker waits on the network only (the signal handler may then interrupt it).
    in_network: bool = False
    #: Drafts rendered per transaction (``render_drafts``): halved after a database error.
    render_size: int = RENDER_SIZE
    _renewed_at: float = 0.0
    _database_down_since: float | None = None
    _backoff: float = DATABASE_BACKOFF_FIRST

    def transport(self) -> Transport:
        if current_app.config.get("MAIL_SERVER"):
            return SmtpTransport()
        return FileTransport(Path(current_app.instance_path) / "mail")

    def lease(self) -> timedelta:
        return timedelta(seconds=float(current_app.config["MAIL_SENDING_TIMEOUT_SECONDS"]))

    def run(self, *, once: bool = False) -> Tally:
        """Send until stopped (or, with ``once``, until nothing is due)."""
        where = current_app.config.get("MAIL_SERVER") or f"{Path(current_app.instance_path) / 'mail'} (files)"
        log.info("mail worker %s started: sending to %s, batches of %d", self.id, where, self.batch_size)
        self._with_database(services.register_worker, self.id)
        self._renewed_at = time.monotonic()
        next_chores = 0.0
        while not self.stop.is_set():
            try:
                self.keep_alive_if_due()
                if time.monotonic() >= next_chores:
                    self.run_chores()
                    next_chores = time.monotonic() + self.chores_seconds
                handled = self.run_batch()
            except DATABASE_ERRORS as exc:
                self._database_failed(exc)
                continue
            except WorkerStopping:
                break
            self._database_answered()
            if handled == 0:
                if once:
                    break
                self.stop.wait(min(self.poll_seconds, HEARTBEAT_SECONDS))
        with contextlib.suppress(*DATABASE_ERRORS):  # stopping: a dead row is forgotten a day later anyway
            services.unregister_worker(self.id)
        _reset_session()
        log.info("mail worker stopping: %s", self.tally)
        return self.tally

    def run_chores(self) -> None:
        """Time-driven work of the domains that produces mail (lapsed seat offers, reminders before events,
        the daily purge): each chore that the app factory registered with ``add_chore``."""
        if self.chores is None:
            self.chores = [make() for make in registered_chores()]
        for chore in self.chores:
            try:
                chore()
            except DATABASE_ERRORS:
                raise  # the database is away: the run loop waits for it
            except Exception:  # a failing chore must not stop the mail from going out
                log.exception("chores failed; will try again")
                return
            finally:
                _reset_session()

    def keep_alive_if_due(self) -> None:
        """Renew the leases on the mails this worker holds, and write its heartbeat, when it is time."""
        every = min(HEARTBEAT_SECONDS, self.lease().total_seconds() / 4)
        if time.monotonic() - self._renewed_at < every:
            return
        self._with_database(services.renew_leases, self.id, lease=self.lease())
        self._renewed_at = time.monotonic()

    def run_batch(self) -> int:
        """Render the due drafts (``mail.drafts``), claiming them as they are rendered, then claim pending
        mails to fill the batch, and send it. Returns how many mails were claimed, or drafts handled when
        nothing was claimed."""
        rendering = self.render_drafts()
        batch = rendering.claimed
        if len(batch) < self.batch_size:
            started = time.monotonic()
            try:
                claimed = services.claim_batch(limit=self.batch_size - len(batch), owner=self.id, lease=self.lease())
                if claimed and not batch:
                    self._renewed_at = started
                batch += claimed
            except DATABASE_ERRORS:
                if not batch:
                    raise
                # Send the rendered mails this worker holds; the database's absence shows again when they are
                # recorded (``_with_database`` waits for it there).
                log.warning("database unavailable while claiming; sending the %d mails already claimed", len(batch))
            finally:
                _reset_session()
        if not batch:
            return rendering.handled
        unrecorded: list[int] = []  # sent, not yet marked sent

        def record_sent() -> None:
            if not unrecorded:
                return
            recorded = self._with_database(services.mark_sent, self.id, list(unrecorded), last_try_on_stop=True)
            if recorded is None:
                log.error("stopping while the database is away: mails %s were sent but not recorded and may be "
                          "sent again", unrecorded)  # fmt: skip
            elif recorded < len(unrecorded):
                log.warning("%d sent mails had lost their lease to another worker", len(unrecorded) - recorded)
            self.tally.sent += len(unrecorded)
            unrecorded.clear()

        done = 0
        try:
            with contextlib.ExitStack() as connection:
                with self._network():
                    transport = connection.enter_context(self.transport())
                for mail in batch:
                    if self.stop.is_set():
                        break
                    self.keep_alive_if_due()
                    try:
                        with self._network():
                            transport.send(mail)
                    except PermanentFailure as exc:
                        self._failed(mail, str(exc), permanent=True)
                    except CONNECTION_LOST:
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
        except WorkerStopping:
            log.info("stopped in the middle of an SMTP conversation; %d mails handed back", len(batch) - done)
        finally:
            record_sent()
            self._with_database(services.release, self.id, [mail.id for mail in batch[done:]], last_try_on_stop=True)
            _reset_session()
        log.info("batch of %d done: %s so far", len(batch), self.tally)
        return len(batch)

    def render_drafts(self) -> drafts.RenderTally:
        """Render due drafts (``mail.drafts``) until a batch's worth is ready to send, a few per
        transaction, each rendered mail claimed for this worker in the transaction that renders it (so
        it is not claimed and read back again). A render transaction stays short (a few tens of
        milliseconds), so a database that drops connections often still lets it finish; after a database
        error the next ones are smaller (down to one draft), growing back while they succeed. A database
        error after some mails were claimed ends the rendering, and those mails are sent."""
        total = drafts.RenderTally()
        while total.handled < self.batch_size:
            size = min(self.render_size, self.batch_size - total.handled)
            started = time.monotonic()
            try:
                done = drafts.render_drafts(limit=size, owner=self.id, lease=self.lease())
            except DATABASE_ERRORS as exc:
                self.render_size = max(1, self.render_size // 2)
                if not total.claimed:
                    raise
                log.warning("database unavailable while rendering (%s); sending the %d mails already rendered",
                            _describe(exc).splitlines()[0], len(total.claimed))  # fmt: skip
                break
            finally:
                _reset_session()
            if done.claimed and not total.claimed:  # the leases run from the first claim
                self._renewed_at = started
            self.render_size = min(self.render_size * 2, RENDER_SIZE)
            self.tally.rendered += done.rendered
            self.tally.dropped += done.dropped
            total.rendered, total.dropped, total.failed = (
                total.rendered + done.rendered,
                total.dropped + done.dropped,
                total.failed + done.failed,
            )
            total.claimed += done.claimed
            if done.handled < size:
                break
        return total

    def _failed(self, mail: services.ClaimedMail, error: str, *, permanent: bool = False) -> None:
        status = self._with_database(services.mark_attempt_failed, self.id, mail, error, permanent=permanent)
        if status is OutboxStatus.FAILED:
            self.tally.failed += 1
            log.error("mail %s to %s failed for good after %d attempts: %s", mail.id, mail.recipient_email,
                      mail.attempts, error)  # fmt: skip
        elif status is OutboxStatus.PENDING:
            self.tally.retried += 1
            log.warning("mail %s: attempt %d failed (%s); will retry", mail.id, mail.attempts, error)

    @contextlib.contextmanager
    def _network(self) -> Iterator[None]:
        """A network wait that SIGTERM may cut short (``WorkerStopping``)."""
        if self.stop.is_set():
            raise WorkerStopping
        self.in_network = True
        try:
            yield
        finally:
            self.in_network = False
            if self.stop.is_set():  # the grace period's alarm is moot now; left set, it could kill the
                signal.setitimer(signal.ITIMER_REAL, 0)  # process as it exits (status -14 after a clean stop)

    def _with_database(
        self, step: Callable[..., T], *args: object, last_try_on_stop: bool = False, **kwargs: object
    ) -> T | None:
        """Run one database step (its own transaction), retrying while the database is away.
        Returns None only when the worker was told to stop before the database came back.

        ``last_try_on_stop``: when the stop comes during the back-off, try once more at once before giving
        up. For the steps that record what already happened (mails sent, mails handed back): a stop often
        comes just after a dropped connection, with the database answering again, and a mail sent but not
        recorded as sent could go out twice."""
        while True:
            try:
                result = step(*args, **kwargs)
            except DATABASE_ERRORS as exc:
                if not self._database_failed(exc):
                    if last_try_on_stop:
                        last_try_on_stop = False
                        continue
                    return None
            else:
                self._database_answered()
                return result

    def _database_failed(self, exc: BaseException) -> bool:
        """Log the outage (once), wait the back-off. False when told to stop meanwhile."""
        _reset_session()
        if self._database_down_since is None:
            self._database_down_since = time.monotonic()
            self._backoff = DATABASE_BACKOFF_FIRST
            log.warning("database unavailable (%s); trying again with back-off", _describe(exc).splitlines()[0])
        delay, self._backoff = self._backoff, min(self._backoff * 2, DATABASE_BACKOFF_MAX)
        return not self.stop.wait(delay)

    def _database_answered(self) -> None:
        if self._database_down_since is not None:
            log.warning("database reachable again after %.1f s", time.monotonic() - self._database_down_since)
            self._database_down_since = None


def _reset_session() -> None:
    """End the session whatever state its connection is in (a dropped connection cannot roll back)."""
    with contextlib.suppress(Exception):
        db.session.rollback()
    with contextlib.suppress(Exception):
        db.session.remove()


def _describe(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"


def install_signal_handlers(worker: Worker) -> None:
    """SIGTERM/SIGINT: stop after the current step. A mail on the wire gets ``STOP_GRACE_SECONDS`` to
    finish (so a mail the server is just accepting is recorded, not sent twice); a server that does not
    answer by then is cut off (``WorkerStopping``) and the mail handed back."""

    def _stop(signum: int, _frame: object) -> None:
        log.info("received %s, stopping", signal.Signals(signum).name)
        worker.stop.set()
        if worker.in_network:
            signal.setitimer(signal.ITIMER_REAL, STOP_GRACE_SECONDS)

    def _grace_over(_signum: int, _frame: object) -> None:
        if worker.in_network:
            worker.in_network = False
            raise WorkerStopping

    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    signal.signal(signal.SIGALRM, _grace_over)
