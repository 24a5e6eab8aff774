"""Reminders go out exactly once even when several workers look at the same moment (PostgreSQL)."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from eventapp.db import utcnow
from eventapp.extensions import db
from eventapp.mail.models import OutboxMessage
from eventapp.registrations import chores, services
from tests.registrations.test_rules import data


@pytest.mark.postgres_only
def test_three_workers_send_each_reminder_once(app, create_event):
    starts = utcnow() + timedelta(days=2)
    event = create_event(starts_at=starts, capacity=None)
    with app.app_context():
        for i in range(120):
            services.register(event.id, data(f"r{i}@example.org"))
    moment = starts - timedelta(hours=23)
    barrier = threading.Barrier(3)
    counts: list[int] = []
    errors: list[BaseException] = []

    def worker() -> None:
        try:
            with app.app_context():
                barrier.wait()
                counts.append(chores.send_due_reminders(now=moment, batch=10))
                db.session.remove()
        except BaseException as exc:  # noqa: BLE001 - reported below, with the others
            errors.append(exc)

    threads = [threading.Thread(target=worker) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    assert sum(counts) == 120
    with app.app_context():
        per_person = db.session.execute(
            select(OutboxMessage.recipient_email, func.count())
            .where(OutboxMessage.kind == "registration_reminder_day")
            .group_by(OutboxMessage.recipient_email)
        ).all()
    assert len(per_person) == 120
    assert {count for _, count in per_person} == {1}
