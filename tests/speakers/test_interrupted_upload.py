"""A connection dropped in the middle of an upload, for real: the app under gunicorn, a raw socket that
announces several MB, sends part of them and hangs up. Nothing may be left: no row, no stored file, no
temporary file, and no traceback in the server's log (Werkzeug's ClientDisconnected is a 400)."""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from sqlalchemy import func, select

from eventapp.db import utcnow
from eventapp.extensions import db
from eventapp.materials.models import Material, MaterialFile
from eventapp.materials.storage import LocalStorage
from eventapp.speakers import services
from eventapp.speakers.models import Speaker
from tests import sample_files
from tests.conftest import TEST_CONFIG
from tests.registrations.live_server import Client, LiveServer, live_server

pytestmark = [pytest.mark.postgres_only, pytest.mark.slow]

BOUNDARY = "----eventappInterruptedUpload7MA4YWxkTrZu0gW"


@pytest.fixture
def uploads(tmp_path) -> Path:
    return tmp_path / "uploads"


@pytest.fixture
def server(app, database_url: str, tmp_path, uploads: Path) -> Iterator[LiveServer]:
    """One sync worker, so requests are handled one after the other; its UPLOAD_FOLDER is the test's; an
    access log, to see what each request was answered."""
    env = {"UPLOAD_FOLDER": str(uploads), "GUNICORN_CMD_ARGS": "--access-logfile -"}
    with live_server(
        database_url, TEST_CONFIG["SECRET_KEY"], tmp_path / "gunicorn.log", workers=1, extra_env=env
    ) as live:
        yield live


@pytest.fixture
def portal(app, create_event) -> tuple[str, int]:
    """(path of a speaker's portal, their agenda item id)."""
    event = create_event(agenda=1, speakers_per_item=1)
    with app.app_context():
        speaker = db.session.scalars(select(Speaker).where(Speaker.event_id == event.id)).one()
        token = services.mint_link(speaker, now=utcnow())
        item_id = speaker.agenda_links[0].agenda_item_id
        db.session.commit()
    return f"/speaker/{token}", item_id


def multipart(csrf: str, file: bytes) -> bytes:
    return (
        (
            f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="csrf_token"\r\n\r\n{csrf}\r\n'
            f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="slides.pdf"\r\n'
            "Content-Type: application/pdf\r\n\r\n"
        ).encode()
        + file
        + f"\r\n--{BOUNDARY}--\r\n".encode()
    )


def send(server: LiveServer, path: str, cookie: str, body: bytes, *, cut_at: int | None = None) -> bytes:
    """POST ``body`` over a raw socket. With ``cut_at``, only that many bytes of it are sent (the headers
    still announce all of it) and the socket is closed at once. Returns the answer's first line, if any."""
    address = urlsplit(server.base_url)
    head = (
        f"POST {path} HTTP/1.1\r\nHost: {address.netloc}\r\nCookie: {cookie}\r\n"
        f"Content-Type: multipart/form-data; boundary={BOUNDARY}\r\nContent-Length: {len(body)}\r\n"
        "Connection: close\r\n\r\n"
    ).encode()
    with socket.create_connection((address.hostname, address.port), timeout=30) as sock:
        sock.sendall(head + body[:cut_at])
        if cut_at is not None:
            return b""  # hang up mid-body
        answer = b""
        while b"\r\n" not in answer and (chunk := sock.recv(4096)):
            answer += chunk
        return answer.split(b"\r\n", 1)[0]


def left_behind(app, uploads: Path) -> tuple[int, int, list[str], list[str]]:
    with app.app_context():
        materials = db.session.scalar(select(func.count()).select_from(Material))
        files = db.session.scalar(select(func.count()).select_from(MaterialFile))
        db.session.remove()
    storage = LocalStorage(uploads)
    temporary = sorted(p.name for p in storage.tmp.iterdir()) if storage.tmp.exists() else []
    return materials, files, sorted(storage.all_hashes()), temporary


@pytest.mark.parametrize("cut", ["in-the-form-fields", "in-the-file"])
def test_a_dropped_connection_leaves_no_file_and_no_row(app, server, portal, uploads, cut):
    path, item_id = portal
    client = Client(server.base_url)
    csrf = client.csrf_token(path)
    cookie = "; ".join(f"{c.name}={c.value}" for c in client.cookies)
    pdf = sample_files.pdf_bytes()
    big = pdf[:-6] + b" " * (5 * 1024 * 1024) + pdf[-6:]  # a valid PDF of 5 MB
    body = multipart(csrf, big)
    cut_at = 120 if cut == "in-the-form-fields" else 2 * 1024 * 1024

    send(server, f"{path}/items/{item_id}/slides", cookie, body, cut_at=cut_at)
    time.sleep(0.5)  # let the worker notice the hang-up (the next request waits for it anyway: one worker)
    after_drop = left_behind(app, uploads)
    complete = send(server, f"{path}/items/{item_id}/slides", cookie, body)  # the same upload, whole

    server.print_log()
    assert after_drop == (0, 0, [], [])
    assert complete.startswith(b"HTTP/1.1 303")  # the request was a good one: only the hang-up spoiled it
    materials, files, kept, temporary = left_behind(app, uploads)
    assert (materials, files, len(kept), temporary) == (1, 1, 1, [])
    answers = [line.rsplit('HTTP/1.1" ', 1)[1][:3] for line in server.log().splitlines() if "/slides HTTP/1.1" in line]
    assert answers == ["400", "303"]  # the dropped upload got a 400 (ClientDisconnected), not a 500
    server.assert_log_clean()
