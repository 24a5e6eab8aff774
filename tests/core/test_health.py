from __future__ import annotations

from datetime import timedelta

from sqlalchemy import update

from eventapp import create_app
from eventapp.db import utcnow
from eventapp.extensions import db
from eventapp.mail import services
from eventapp.mail.models import OutboxMessage
from tests.conftest import TEST_CONFIG
from tests.mail.conftest import make_mail


def test_healthz_answers_ok_when_the_database_answers_and_a_worker_beats(client, in_app):
    with in_app():
        services.register_worker("host:1:abc")

    response = client.get("/healthz")

    assert response.status_code == 200
    body = response.get_json()
    assert (body["status"], body["database"], body["uploads"]) == ("ok", "ok", "ok")
    assert body["mail"]["state"] == "ok"
    assert body["mail"]["workers_alive"] == 1
    assert body["mail"]["last_heartbeat_seconds_ago"] < 5
    assert body["mail"]["oldest_waiting_mail_seconds"] is None


def test_healthz_says_mail_is_stalled_when_no_worker_beats_and_mail_waits(client, in_app):
    with in_app():
        services.register_worker("host:1:abc", now=utcnow() - timedelta(minutes=30))  # went silent
        services.enqueue(make_mail())
        db.session.commit()
        db.session.execute(update(OutboxMessage).values(next_attempt_at=utcnow() - timedelta(minutes=20)))
        db.session.commit()

    response = client.get("/healthz")

    assert response.status_code == 200  # the app itself works: a load balancer should keep it
    body = response.get_json()
    assert body["status"] == "degraded"
    assert body["mail"]["state"] == "stalled"
    assert body["mail"]["workers_alive"] == 0
    assert body["mail"]["last_heartbeat_seconds_ago"] >= 30 * 60
    assert body["mail"]["oldest_waiting_mail_seconds"] >= 20 * 60


def test_healthz_reports_an_upload_folder_that_cannot_be_written(app, client, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    saved = app.config["UPLOAD_FOLDER"]
    app.config["UPLOAD_FOLDER"] = str(blocker / "uploads")  # a real OSError: a file where a folder must be
    try:
        body = client.get("/healthz").get_json()
    finally:
        app.config["UPLOAD_FOLDER"] = saved

    assert body["uploads"] == "not writable"
    assert body["status"] == "degraded"


def test_healthz_answers_503_when_the_database_is_unreachable(tmp_path):
    missing_dir = tmp_path / "does-not-exist"
    app = create_app({**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{missing_dir}/db.sqlite"})

    response = app.test_client().get("/healthz")

    assert response.status_code == 503
    assert response.get_json()["database"] == "unreachable"


def test_healthz_reports_an_upload_folder_without_room_for_one_largest_upload(app, client):
    saved = app.config["MAX_UPLOAD_MB"]
    app.config["MAX_UPLOAD_MB"] = 1024**3  # an exabyte: more than any disk this runs on has free
    try:
        body = client.get("/healthz").get_json()
    finally:
        app.config["MAX_UPLOAD_MB"] = saved

    assert body["uploads"] == "full"
    assert body["status"] == "degraded"
