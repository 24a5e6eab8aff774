"""The worker delivers outbox mail to a real SMTP server, retries, gives up, and never sends twice."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import timedelta
from email import message_from_bytes
from email.policy import default as default_policy
from pathlib import Path

import pytest
from sqlalchemy import select, update

from eventapp.db import utcnow
from eventapp.extensions import db
from eventapp.mail.enums import CalendarMethod, OutboxStatus
from eventapp.mail.models import OutboxMessage
from eventapp.mail.worker import Worker
from tests.conftest import TEST_CONFIG

REPO = Path(__file__).resolve().parents[2]
CALENDAR = (
    b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//eventapp//test//EN\r\nMETHOD:REQUEST\r\n"
    b"BEGIN:VEVENT\r\nUID:abc@eventapp\r\nSUMMARY:Innkj\xc3\xb8p\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
)


def drain(app) -> Worker:
    with app.app_context():
        worker = Worker(batch_size=50)
        worker.run(once=True)
        return worker


def rows(app) -> list[OutboxMessage]:
    with app.app_context():
        found = list(db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))
        db.session.expunge_all()
        return found


def test_worker_delivers_with_headers_and_both_bodies(mail_app, smtp_server, enqueue_mails):
    [message_id] = enqueue_mails(1)

    drain(mail_app)

    [message] = smtp_server.inbox.messages
    assert smtp_server.inbox.envelopes == [("noreply@example.org", ["aasmund@example.org"])]
    assert message["Message-ID"] == message_id
    assert str(message["To"]) == "Ærlig Åsmund Øvrebø <aasmund@example.org>"
    assert message["To"].addresses[0].display_name == "Ærlig Åsmund Øvrebø"
    assert message["Subject"] == "Påmelding: Innkjøp og bærekraft"
    assert message["From"].addresses[0].addr_spec == "noreply@example.org"
    assert message["Date"] is not None
    raw_headers = smtp_server.inbox.raw[0].split(b"\r\n\r\n", 1)[0]
    assert raw_headers.isascii()  # non-ASCII names travel RFC 2047-encoded, as every server accepts
    assert message.get_content_type() == "multipart/alternative"
    plain_text = message.get_body(("plain",)).get_content().replace("\r\n", "\n")
    assert plain_text == "Hei Ærlig Åsmund Øvrebø,\n\nDu er påmeldt.\n"
    assert "<p>Hei Ærlig Åsmund Øvrebø,</p>" in message.get_body(("html",)).get_content()
    [row] = rows(mail_app)
    assert row.status is OutboxStatus.SENT
    assert row.attempts == 1
    assert row.sent_at is not None


def test_calendar_goes_inline_and_as_attachment_with_its_method(mail_app, smtp_server, enqueue_mails):
    enqueue_mails(1, calendar=CALENDAR, calendar_method=CalendarMethod.REQUEST)

    drain(mail_app)

    [message] = smtp_server.inbox.messages
    assert message.get_content_type() == "multipart/mixed"
    alternative, attachment = message.get_payload()
    assert alternative.get_content_type() == "multipart/alternative"
    plain, html, calendar = alternative.get_payload()
    assert [plain.get_content_type(), html.get_content_type()] == ["text/plain", "text/html"]
    assert calendar.get_content_type() == "text/calendar"
    assert calendar.get_param("method") == "REQUEST"
    assert calendar.get_param("charset").upper() == "UTF-8"
    assert calendar.get_payload(decode=True) == CALENDAR  # byte for byte: CRLF and UTF-8 intact
    assert attachment.get_filename() == "invite.ics"
    assert attachment.get_content_type() == "application/ics"
    assert attachment.get_payload(decode=True) == CALENDAR


def test_smtp_down_means_delayed_mail_then_each_delivered_once(mail_app, smtp_server, enqueue_mails):
    mail_app.config["MAIL_RETRY_BASE_SECONDS"] = 0.3
    smtp_server.stop()
    message_ids = enqueue_mails(5)

    first = drain(mail_app)
    waiting = rows(mail_app)

    assert first.tally.retried == 5
    assert {r.status for r in waiting} == {OutboxStatus.PENDING}
    assert {r.attempts for r in waiting} == {1}
    assert all("Connection refused" in r.last_error or "ConnectionRefused" in r.last_error for r in waiting)
    assert all(r.next_attempt_at > utcnow() for r in waiting)
    assert drain(mail_app).tally.sent == 0  # not due yet: nothing is hammered

    smtp_server.start()
    time.sleep(0.5)
    drain(mail_app)
    drain(mail_app)

    assert sorted(smtp_server.inbox.message_ids()) == sorted(message_ids)
    assert {r.status for r in rows(mail_app)} == {OutboxStatus.SENT}


def test_gives_up_after_the_last_attempt_and_keeps_the_error(mail_app, smtp_server, enqueue_mails):
    mail_app.config.update(MAIL_RETRY_BASE_SECONDS=0, MAIL_MAX_ATTEMPTS=3)
    smtp_server.stop()
    enqueue_mails(1)

    for _ in range(3):
        drain(mail_app)

    [row] = rows(mail_app)
    assert row.status is OutboxStatus.FAILED
    assert row.attempts == 3
    assert "refused" in row.last_error.lower()
    smtp_server.start()
    drain(mail_app)
    assert smtp_server.inbox.messages == []  # failed means failed: no surprise delivery later


def test_a_refused_recipient_fails_at_once_and_the_others_go_through(mail_app, smtp_server, enqueue_mails):
    smtp_server.inbox.refuse.add("nobody@example.org")
    enqueue_mails(1, recipient_email="nobody@example.org")
    [good] = enqueue_mails(1)

    drain(mail_app)

    refused, delivered = rows(mail_app)
    assert refused.status is OutboxStatus.FAILED
    assert "550" in refused.last_error
    assert delivered.status is OutboxStatus.SENT
    assert smtp_server.inbox.message_ids() == [good]


def test_mail_left_sending_by_a_crashed_worker_is_taken_up_again(mail_app, smtp_server, enqueue_mails):
    [message_id] = enqueue_mails(1)
    with mail_app.app_context():
        db.session.execute(
            update(OutboxMessage).values(
                status=OutboxStatus.SENDING, attempts=1, claimed_at=utcnow() - timedelta(hours=1)
            )
        )
        db.session.commit()
    fresh_claim = enqueue_mails(1)
    with mail_app.app_context():
        db.session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.message_id == fresh_claim[0])
            .values(status=OutboxStatus.SENDING, attempts=1, claimed_at=utcnow())
        )
        db.session.commit()

    drain(mail_app)

    assert smtp_server.inbox.message_ids() == [message_id]  # the one a live worker holds is left alone
    assert [r.status for r in rows(mail_app)] == [OutboxStatus.SENT, OutboxStatus.SENDING]


def test_without_a_mail_server_mail_is_written_as_files(app, in_app, tmp_path):
    from eventapp.mail.services import enqueue
    from tests.mail.conftest import make_mail

    with in_app():
        row = enqueue(make_mail())
        db.session.commit()
        message_id = row.message_id
    app.config["MAIL_SERVER"] = None

    drain(app)

    files = list((Path(app.instance_path) / "mail").glob("*.eml"))
    matching = [f for f in files if message_id.encode() in f.read_bytes()]
    assert len(matching) == 1
    message = message_from_bytes(matching[0].read_bytes(), policy=default_policy)
    assert message["Subject"] == "Påmelding: Innkjøp og bærekraft"
    assert not list((Path(app.instance_path) / "mail").glob(".tmp-*"))
    matching[0].unlink()


def worker_env(database_url: str, smtp_port: int, tmp_path: Path) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "SECRET_KEY": TEST_CONFIG["SECRET_KEY"],
        "MAIL_SERVER": "127.0.0.1",
        "MAIL_PORT": str(smtp_port),
        "EVENTAPP_INSTANCE_PATH": str(tmp_path),
        "PYTHONUNBUFFERED": "1",
    }


def flask_worker(*args: str) -> list[str]:
    return [sys.executable, "-m", "flask", "--app", "wsgi", "worker", *args]


@pytest.mark.postgres_only
@pytest.mark.slow
def test_two_workers_on_postgres_deliver_1000_mails_exactly_once(
    mail_app, smtp_server, enqueue_mails, database_url, tmp_path
):
    message_ids = enqueue_mails(1000)
    env = worker_env(database_url, smtp_server.port, tmp_path)

    workers = [
        subprocess.Popen(flask_worker("--once", "--batch-size", "25"), cwd=REPO, env=env,
                         stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        for _ in range(2)
    ]  # fmt: skip
    outputs = [w.communicate(timeout=120)[0] for w in workers]

    assert [w.returncode for w in workers] == [0, 0], outputs
    received = smtp_server.inbox.message_ids()
    assert len(received) == 1000
    assert sorted(received) == sorted(message_ids)  # every mail once, none twice
    assert {r.status for r in rows(mail_app)} == {OutboxStatus.SENT}
    sent_per_worker = [int(out.rsplit("Mail worker stopped: ", 1)[1].split(" sent")[0]) for out in outputs]
    assert sum(sent_per_worker) == 1000
    print("sent per worker:", sent_per_worker)


def test_sigterm_stops_the_worker_cleanly(mail_app, smtp_server, enqueue_mails, database_url, tmp_path):
    worker = subprocess.Popen(
        flask_worker("--poll", "0.1"),
        cwd=REPO,
        env=worker_env(database_url, smtp_server.port, tmp_path),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    [message_id] = enqueue_mails(1)
    smtp_server.inbox.wait_for(1, timeout=20)

    worker.send_signal(signal.SIGTERM)
    output = worker.communicate(timeout=20)[0]

    assert worker.returncode == 0, output
    assert smtp_server.inbox.message_ids() == [message_id]
    assert "received SIGTERM" in output
    assert "Mail worker stopped: 1 sent, 0 to retry, 0 failed." in output, output


def test_a_stop_during_the_databases_back_off_still_records_the_mails_sent(mail_app, enqueue_mails):
    """The worker is told to stop just as recording its sent mails meets a dropped connection: it tries once
    more at once instead of leaving the mails in ``sending``, where the next worker would send them again."""
    from sqlalchemy.exc import OperationalError

    from eventapp.mail import services

    enqueue_mails(3)
    with mail_app.app_context():
        worker = Worker()
        claimed = [mail.id for mail in services.claim_batch(limit=10, owner=worker.id, lease=timedelta(minutes=5))]
        db.session.remove()
        attempts = []

        def mark_sent_after_a_drop(owner: str, ids: list[int]) -> int:
            attempts.append(owner)
            if len(attempts) == 1:  # the connection the worker held was cut by the server
                raise OperationalError("UPDATE mail_outbox ...", {}, Exception("server closed the connection"))
            return services.mark_sent(owner, ids)

        worker.stop.set()  # SIGTERM came during the back-off
        recorded = worker._with_database(mark_sent_after_a_drop, worker.id, claimed, last_try_on_stop=True)
        assert (recorded, len(attempts)) == (3, 2)
        gives_up = worker._with_database(_always_dropped, worker.id)
        assert gives_up is None  # any other step gives up at once when told to stop: the worker exits
    assert {row.status for row in rows(mail_app)} == {OutboxStatus.SENT}


def _always_dropped(owner: str) -> int:
    from sqlalchemy.exc import OperationalError

    raise OperationalError("SELECT 1", {}, Exception("server closed the connection"))
