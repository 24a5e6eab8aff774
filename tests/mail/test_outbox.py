"""Mail is a row in the same transaction as the change that causes it."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from eventapp.extensions import db
from eventapp.mail.enums import CalendarMethod, OutboxStatus
from eventapp.mail.models import OutboxMessage
from eventapp.mail.services import enqueue
from tests.mail.conftest import make_mail


def outbox_count() -> int:
    return db.session.scalar(select(func.count()).select_from(OutboxMessage))


def test_mail_exists_only_if_the_change_that_caused_it_is_committed(in_app):
    with in_app():
        enqueue(make_mail(subject="Rolled back"))
        db.session.rollback()
        assert outbox_count() == 0

        row = enqueue(make_mail(subject="Committed"))
        db.session.commit()
        assert outbox_count() == 1
        assert row.status is OutboxStatus.PENDING
        assert row.attempts == 0
        assert row.message_id.startswith("<")
        assert row.message_id.endswith("@example.org>")


def test_every_mail_gets_its_own_message_id(in_app):
    with in_app():
        ids = {enqueue(make_mail()).message_id for _ in range(50)}
        db.session.commit()

    assert len(ids) == 50


def test_a_calendar_needs_its_method(in_app):
    with in_app(), pytest.raises(ValueError, match="needs its method"):
        enqueue(make_mail(calendar=b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n"))
    with in_app(), pytest.raises(ValueError, match="needs its method"):
        enqueue(make_mail(calendar_method=CalendarMethod.REQUEST))
