"""The worker keeps going when PostgreSQL goes away: connections terminated under it while a sign-up
burst runs, and the database refusing connections for seconds. It never exits, and sends every mail."""

from __future__ import annotations

import logging
import signal
import threading
import time

import pytest
from sqlalchemy import create_engine, text

from eventapp import create_app
from eventapp.extensions import db
from eventapp.mail import drafts as mail_drafts
from eventapp.mail.enums import OutboxStatus
from eventapp.mail.worker import Worker
from eventapp.registrations import services as registrations
from eventapp.registrations.enums import OrganisationType
from tests.conftest import TEST_CONFIG
from tests.mail.pg_proxy import PostgresProxy
from tests.mail.smtp_faults import FaultySmtpServer
from tests.mail.test_worker import rows
from tests.mail.test_worker_faults import start_worker, wait_until

pytestmark = [pytest.mark.postgres_only, pytest.mark.slow]
APP_NAME = "eventapp-test-mail-worker"


def sign_up_burst(app, event_id: int, people: range) -> list[int]:
    """Sign-ups from 4 threads at once (each a real transaction that enqueues a confirmation)."""
    done: list[int] = []

    def sign(numbers: range) -> None:
        with app.app_context():
            for n in numbers:
                data = registrations.RegistrationData(
                    name=f"Person {n}", email=f"person{n}@example.org", organisation=f"Org {n}",
                    organisation_type=OrganisationType.COMPANY, country="NO", accept_privacy=True, locale="nb",
                )  # fmt: skip
                registrations.register(event_id, data)
                done.append(n)
                db.session.remove()

    threads = [threading.Thread(target=sign, args=(people[i::4],)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return done


def test_worker_survives_terminated_connections_during_a_sign_up_burst(app, create_event, database_url, tmp_path):
    event = create_event(capacity=1000)
    killer_engine = create_engine(database_url, isolation_level="AUTOCOMMIT")
    url = f"{database_url}?application_name={APP_NAME}"
    terminated = 0
    stop_killing = threading.Event()

    def kill_worker_connections() -> None:
        nonlocal terminated
        with killer_engine.connect() as conn:
            while not stop_killing.wait(0.15):
                terminated += len(conn.execute(text(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = :name"
                ), {"name": APP_NAME}).all())  # fmt: skip

    with FaultySmtpServer() as smtp:
        worker = start_worker(url, smtp.port, tmp_path, MAIL_SENDING_TIMEOUT_SECONDS="5")
        killer = threading.Thread(target=kill_worker_connections)
        killer.start()
        try:
            started = time.monotonic()
            signed = sign_up_burst(app, event.id, range(60))
            print(f"sign-ups took {time.monotonic() - started:.1f} s")
            assert wait_until(lambda: worker.poll() is not None or len(smtp.inbox.messages) >= 60, timeout=20)
        finally:
            stop_killing.set()
            killer.join()
            killer_engine.dispose()
        print(f"all mail out after {time.monotonic() - started:.1f} s")
        assert worker.poll() is None, worker.communicate()[0]  # still running
        worker.send_signal(signal.SIGTERM)
        output = worker.communicate(timeout=15)[0]

    assert worker.returncode == 0, output
    assert len(signed) == 60
    assert terminated > 0
    counts = smtp.inbox.counts()
    assert len(counts) == 60  # every confirmation went out...
    assert max(counts.values()) == 1  # ...once
    assert {r.status for r in rows(app)} == {OutboxStatus.SENT}
    print(f"{terminated} worker connections terminated")


def test_worker_waits_out_a_database_that_refuses_connections_and_goes_on(
    mail_app, enqueue_mails, database_url, tmp_path
):
    with PostgresProxy(database_url) as proxy, FaultySmtpServer() as smtp:
        worker = start_worker(proxy.url, smtp.port, tmp_path)
        first = enqueue_mails(5)
        assert wait_until(lambda: len(smtp.inbox.messages) == 5)

        proxy.down()
        second = enqueue_mails(5)  # straight into the database: the sign-up side is not behind the proxy
        time.sleep(3)
        alive_during_outage = worker.poll() is None
        proxy.up()
        assert wait_until(lambda: len(smtp.inbox.messages) == 10, timeout=40)

        worker.send_signal(signal.SIGTERM)
        output = worker.communicate(timeout=15)[0]

    assert alive_during_outage, output
    assert worker.returncode == 0, output
    assert sorted(smtp.inbox.message_ids()) == sorted(first + second)
    assert "database unavailable" in output, output
    assert "database reachable again" in output
    assert output.count("database unavailable") == 1  # logged once per outage, not once per try


def test_mails_rendered_and_claimed_before_the_database_went_away_are_sent_during_the_outage_and_recorded_after(
    app, create_event, database_url, smtp_server, monkeypatch, caplog
):
    """The worker claims what it renders in the render transaction. When the database goes away right
    after (before the worker claims the rest of its batch), the mails it holds are sent anyway, while
    the database is still away, and recorded as sent, once, when it is back."""
    event = create_event()
    with app.app_context():
        for n in range(3):
            registrations.register(event.id, registrations.RegistrationData(
                name=f"Person {n}", email=f"person{n}@example.org", organisation="Org",
                organisation_type=OrganisationType.COMPANY, country="NO", accept_privacy=True, locale="nb",
            ))  # fmt: skip
        db.session.remove()
    render = mail_drafts.render_drafts
    arrived_while_down: list[bool] = []

    with PostgresProxy(database_url) as proxy:

        def bring_back_once_sent() -> None:
            arrived_while_down.append(wait_until(lambda: len(smtp_server.inbox.messages) == 3, timeout=10))
            proxy.up()

        def render_then_lose_the_database(**kwargs):
            tally = render(**kwargs)
            if tally.claimed:
                proxy.down()
                threading.Thread(target=bring_back_once_sent).start()
            return tally

        monkeypatch.setattr(mail_drafts, "render_drafts", render_then_lose_the_database)
        worker_app = create_app({**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": proxy.url, "MAIL_SERVER": "127.0.0.1",
                                 "MAIL_PORT": smtp_server.port})  # fmt: skip
        with worker_app.app_context(), caplog.at_level(logging.WARNING, logger="eventapp.mail.worker"):
            tally = Worker(poll_seconds=0).run(once=True)
            db.engine.dispose()

    assert arrived_while_down == [True]
    assert (tally.rendered, tally.sent) == (3, 3)
    assert len(set(smtp_server.inbox.message_ids())) == len(smtp_server.inbox.messages) == 3  # each once
    assert {r.status for r in rows(app)} == {OutboxStatus.SENT}
    assert "sending the 3 mails already claimed" in caplog.text
