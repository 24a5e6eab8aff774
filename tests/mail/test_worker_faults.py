"""The worker under real SMTP faults: a server that never answers, one that dies mid-mail, 4xx and 5xx
answers, a slow relay shared by two workers, and workers stopped with SIGTERM or killed with SIGKILL."""

from __future__ import annotations

import signal
import subprocess
import time
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from eventapp.db import utcnow
from eventapp.extensions import db
from eventapp.mail import services
from eventapp.mail.enums import OutboxStatus
from eventapp.mail.models import MailWorker, OutboxMessage
from eventapp.mail.worker import RECORD_EVERY, STOP_GRACE_SECONDS, Worker
from tests.mail.smtp_faults import FaultySmtpServer, ScriptedSmtpServer
from tests.mail.test_worker import REPO, drain, flask_worker, rows, worker_env


def use_server(app, port: int, **config) -> None:
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=port, **config)


def start_worker(database_url: str, port: int, tmp_path, *args: str, **env: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        flask_worker("--poll", "0.1", *args),
        cwd=REPO,
        env={**worker_env(database_url, port, tmp_path), **env},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def wait_until(condition, timeout: float = 15.0, step: float = 0.05) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(step)
    return condition()


def make_due(app) -> None:
    """The retry back-off skipped: every waiting mail is due now."""
    with app.app_context():
        db.session.execute(update(OutboxMessage).values(next_attempt_at=utcnow()))
        db.session.commit()
        db.session.remove()


def statuses(app) -> list[OutboxStatus]:
    return [row.status for row in rows(app)]


def test_a_server_that_never_answers_times_out_and_the_mail_is_retried(mail_app, enqueue_mails):
    with ScriptedSmtpServer("hang") as silent:
        use_server(mail_app, silent.port, MAIL_TIMEOUT_SECONDS=1)
        enqueue_mails(3)

        started = time.monotonic()
        worker = drain(mail_app)
        took = time.monotonic() - started

    assert took < 5
    assert worker.tally.retried == 3
    waiting = rows(mail_app)
    assert {r.status for r in waiting} == {OutboxStatus.PENDING}
    assert all("timed out" in r.last_error.lower() for r in waiting), [r.last_error for r in waiting]
    assert all(r.claimed_by is None for r in waiting)


def test_a_server_silent_after_the_mail_times_out_and_the_rest_of_the_batch_waits(mail_app, enqueue_mails):
    with ScriptedSmtpServer("silent_after_data") as server:
        use_server(mail_app, server.port, MAIL_TIMEOUT_SECONDS=1)
        enqueue_mails(4)

        started = time.monotonic()
        worker = drain(mail_app)

    assert time.monotonic() - started < 5  # one time-out, not one per mail on a broken connection
    assert worker.tally.retried == 4
    assert set(statuses(mail_app)) == {OutboxStatus.PENDING}


def test_a_server_dying_mid_mail_means_retry_then_delivery_once(mail_app, enqueue_mails):
    message_ids = enqueue_mails(5)
    with ScriptedSmtpServer("die_in_data") as dying:
        use_server(mail_app, dying.port)
        first = drain(mail_app)
    assert first.tally.retried == 5
    assert all("closed" in r.last_error.lower() for r in rows(mail_app))
    make_due(mail_app)

    with FaultySmtpServer() as good:
        use_server(mail_app, good.port)
        drain(mail_app)

    assert sorted(good.inbox.message_ids()) == sorted(message_ids)
    assert set(statuses(mail_app)) == {OutboxStatus.SENT}


def test_4xx_is_retried_and_5xx_fails_with_the_servers_answer(mail_app, enqueue_mails):
    enqueue_mails(2)
    with FaultySmtpServer() as server:
        use_server(mail_app, server.port)
        server.inbox.data_answer = "451 4.3.0 Mailbox busy, try later"
        drain(mail_app)
        assert set(statuses(mail_app)) == {OutboxStatus.PENDING}
        assert all("451" in r.last_error for r in rows(mail_app))

        make_due(mail_app)
        server.inbox.data_answer = "554 5.7.1 Message rejected as spam"
        drain(mail_app)

    failed = rows(mail_app)
    assert {r.status for r in failed} == {OutboxStatus.FAILED}
    assert all("554" in r.last_error and "spam" in r.last_error for r in failed)
    assert server.inbox.messages == []


def test_only_the_worker_holding_the_lease_records_the_outcome(mail_app, enqueue_mails):
    enqueue_mails(1)
    with mail_app.app_context():
        [first] = services.claim_batch(limit=5, owner="a", lease=timedelta(seconds=1))
        later = utcnow() + timedelta(seconds=5)
        [second] = services.claim_batch(limit=5, owner="b", lease=timedelta(seconds=30), now=later)  # a's ran out
        assert first.id == second.id

        assert services.mark_sent("a", [first.id]) == 0
        assert services.release("a", [first.id]) == 0
        assert services.mark_attempt_failed("a", first, "late") is None
        [row] = db.session.scalars(select(OutboxMessage)).all()
        assert (row.status, row.claimed_by, row.attempts) == (OutboxStatus.SENDING, "b", 2)

        assert services.mark_sent("b", [second.id]) == 1
        db.session.remove()
    assert statuses(mail_app) == [OutboxStatus.SENT]


def test_a_held_lease_is_renewed_so_no_one_takes_it(mail_app, enqueue_mails):
    enqueue_mails(1)
    with mail_app.app_context():
        start = utcnow()
        services.claim_batch(limit=5, owner="a", lease=timedelta(seconds=1), now=start)
        assert services.renew_leases("a", lease=timedelta(seconds=30)) == 1
        later = start + timedelta(seconds=5)
        assert services.claim_batch(limit=5, owner="b", lease=timedelta(seconds=30), now=later) == []
        assert db.session.get(MailWorker, "a").beat_at > start  # renewing is also a heartbeat
        db.session.remove()


@pytest.mark.postgres_only
@pytest.mark.slow
def test_two_workers_behind_a_slow_relay_with_a_short_lease_send_each_mail_once(
    mail_app, enqueue_mails, database_url, tmp_path
):
    message_ids = enqueue_mails(120)
    with FaultySmtpServer() as relay:
        relay.inbox.delay = 0.06  # a batch of 30 takes about 2 s: twice the lease
        workers = [
            start_worker(database_url, relay.port, tmp_path, "--once", "--batch-size", "30",
                         MAIL_SENDING_TIMEOUT_SECONDS="1")
            for _ in range(2)
        ]  # fmt: skip
        outputs = [w.communicate(timeout=60)[0] for w in workers]

    assert [w.returncode for w in workers] == [0, 0], outputs
    counts = relay.inbox.counts()
    assert sorted(counts) == sorted(message_ids)
    assert max(counts.values()) == 1, [m for m, n in counts.items() if n > 1]
    assert set(statuses(mail_app)) == {OutboxStatus.SENT}


def test_sigterm_ends_the_worker_at_once_even_while_the_server_is_silent(
    mail_app, enqueue_mails, database_url, tmp_path
):
    enqueue_mails(3)
    with ScriptedSmtpServer("hang") as silent:
        worker = start_worker(database_url, silent.port, tmp_path, MAIL_TIMEOUT_SECONDS="60")
        assert silent.connected.wait(20)
        time.sleep(0.2)

        stopped_at = time.monotonic()
        worker.send_signal(signal.SIGTERM)
        output = worker.communicate(timeout=10)[0]

    # the grace period plus process exit on a busy machine: far below the 60 s SMTP time-out
    assert time.monotonic() - stopped_at < STOP_GRACE_SECONDS + 8, output
    assert worker.returncode == 0, output
    handed_back = rows(mail_app)
    assert {(r.status, r.attempts, r.claimed_by) for r in handed_back} == {(OutboxStatus.PENDING, 0, None)}
    with mail_app.app_context():
        assert db.session.scalars(select(MailWorker)).all() == []  # a clean stop removes the heartbeat
        db.session.remove()


@pytest.mark.slow
def test_after_sigkill_mid_batch_every_mail_arrives_and_duplicates_stay_within_the_mails_in_flight(
    mail_app, enqueue_mails, database_url, tmp_path
):
    message_ids = enqueue_mails(40)
    with FaultySmtpServer() as relay:
        relay.inbox.delay = 0.03
        env = {"MAIL_SENDING_TIMEOUT_SECONDS": "1"}
        doomed = start_worker(database_url, relay.port, tmp_path, "--batch-size", "40", **env)
        assert wait_until(lambda: len(relay.inbox.messages) >= 20, timeout=20)
        doomed.send_signal(signal.SIGKILL)
        doomed.communicate(timeout=10)

        time.sleep(1.2)  # the killed worker's lease runs out
        heir = start_worker(database_url, relay.port, tmp_path, "--once", **env)
        output = heir.communicate(timeout=30)[0]

    assert heir.returncode == 0, output
    counts = relay.inbox.counts()
    assert sorted(counts) == sorted(message_ids)  # every mail arrived
    duplicates = sum(n - 1 for n in counts.values())
    assert duplicates <= RECORD_EVERY + 1, duplicates  # at most the sent-but-unrecorded ones, plus one
    assert set(statuses(mail_app)) == {OutboxStatus.SENT}
    print(f"duplicates after SIGKILL: {duplicates}")


def test_a_worker_in_a_thread_writes_a_heartbeat_while_it_runs(mail_app):
    worker = Worker(poll_seconds=0.05)
    with mail_app.app_context():
        import threading

        def run() -> None:
            with mail_app.app_context():
                worker.run()

        thread = threading.Thread(target=run)
        thread.start()
        try:
            assert wait_until(lambda: _heartbeats(mail_app) == [worker.id], timeout=10)
        finally:
            worker.stop.set()
            thread.join(10)
    assert not thread.is_alive()
    assert _heartbeats(mail_app) == []


def _heartbeats(app) -> list[str]:
    with app.app_context():
        try:
            return list(db.session.scalars(select(MailWorker.id)))
        finally:
            db.session.remove()
