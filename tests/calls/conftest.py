"""Fixtures for the calls tests: a call on a programme, applying through the real form."""

from __future__ import annotations

import io
import itertools
import re
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import func, select
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from eventapp.calls.enums import CallKind, LetterPolicy
from eventapp.calls.models import Call, CallQuestion, CallRequirement
from eventapp.db import utcnow
from eventapp.extensions import db
from eventapp.mail.models import OutboxMessage
from eventapp.materials.pdf import tiny_pdf
from eventapp.registrations.enums import QuestionKind
from tests.registrations.conftest import csrf_token

_numbers = itertools.count(1)


def norwegian_number(n: int) -> str:
    """The ``n``-th valid Norwegian organisation number (mod 11) from 900 000 000 up."""
    weights = (3, 2, 7, 6, 5, 4, 3, 2)
    body = 90_000_000 + n
    while True:
        digits = f"{body:08d}"
        rest = sum(int(d) * w for d, w in zip(digits, weights, strict=True)) % 11
        check = 0 if rest == 0 else 11 - rest
        if check != 10:
            return f"{digits}{check}"
        body += 1


def post_multipart(client, url: str, data: dict[str, Any], letter: bytes | None, filename: str = "letter.pdf"):
    """A multipart POST encoded in memory (the test client would spool a large body to a temporary file
    that a refused request leaves open)."""
    fields: dict[str, Any] = dict(data)
    if letter is not None:
        fields["file"] = FileStorage(io.BytesIO(letter), filename=filename, content_type="application/octet-stream")
    boundary, body = encode_multipart(fields)
    return client.post(url, data=body, content_type=f"multipart/form-data; boundary={boundary}")


def next_number() -> str:
    return norwegian_number(next(_numbers) * 7)


def link_in(body: str) -> str | None:
    match = re.search(r"/calls/a/([A-Za-z0-9_-]{20,64})", body)
    return match.group(1) if match else None


FORM = {
    "organisation": "Bergen kommune",
    "country": "NO",
    "organisation_number": "974 760 673",
    "organisation_type": "municipality",
    "contact_name": "Kari Nordmann",
    "contact_role": "Innkjøpsrådgiver",
    "contact_email": "kari.nordmann@example.org",
    "contact_phone": "+47 55 00 00 00",
    "consent_public": "y",
    "accept_privacy": "y",
}

LETTER = tiny_pdf("Letter of intent", "Bergen kommune wants to take part.")


@pytest.fixture
def create_call(app, create_programme):
    def _create(*, programme=None, requirements=("Our leadership has anchored the project",), questions=(),
                **overrides: Any) -> Call:  # fmt: skip
        programme = programme or create_programme()
        now = utcnow()
        values: dict[str, Any] = {
            "programme_id": programme.id,
            "kind": CallKind.PARTICIPATION,
            "title": "Nordic buyer dialogue: zero-emission deliveries",
            "summary": "6-12 public organisations from the Nordic countries.",
            "description_md": "We look for **public buyers**.",
            "language": "en",
            "timezone": "Europe/Oslo",
            "opens_at": now - timedelta(days=1),
            "closes_at": now + timedelta(days=20),
            "target_min": 6,
            "target_max": 12,
            "letter_policy": LetterPolicy.REQUIRED,
        }
        values.update(overrides)
        with app.app_context():
            call = Call(**values)
            call.requirements = [CallRequirement(text=t, position=i) for i, t in enumerate(requirements)]
            call.questions = [
                CallQuestion(label=label, kind=QuestionKind(kind), required=False, position=i, choices=choices)
                for i, (label, kind, choices) in enumerate(questions)
            ]
            db.session.add(call)
            db.session.commit()
            db.session.refresh(call)
            _ = call.programme.slug, call.requirements, call.questions
            db.session.expunge_all()
            return call

    return _create


def form_for(call: Call, **fields: Any) -> dict[str, Any]:
    data: dict[str, Any] = {**FORM}
    for requirement in call.requirements:
        data[requirement.field_name] = "y"
    data.update(fields)
    return {k: v for k, v in data.items() if v is not None}


@pytest.fixture
def apply_to(app, client):
    """``apply_to(call, letter=bytes|None, filename=..., **fields)``: send the application form as a browser
    would; the personal link of the mail it caused (if any) is on the response as ``mailed_token``."""

    def _apply(call: Call, *, letter: bytes | None = LETTER, filename: str = "letter.pdf", **fields: Any):
        url = f"/programmes/{call.programme.slug}/calls/{call.id}/apply"
        page = client.get(url).get_data(as_text=True)
        data = form_for(call, **fields)
        data["csrf_token"] = csrf_token(page)
        with app.app_context():
            before = db.session.scalar(select(func.max(OutboxMessage.id))) or 0
        response = post_multipart(client, url, data, letter, filename)
        with app.app_context():
            mail = db.session.scalars(
                select(OutboxMessage).where(OutboxMessage.id > before).order_by(OutboxMessage.id.desc())
            ).first()
            response.mailed_token = link_in(mail.body_text) if mail is not None else None
        return response

    return _apply
