"""Erasure at the same time, for real: gunicorn with 4 worker processes on PostgreSQL. Twenty people
delete their registrations at once: each freed seat goes to exactly one person waiting, in order, and no
trace of the twenty remains."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import select

from eventapp.extensions import db
from eventapp.mail.models import OutboxMessage
from eventapp.registrations import services
from eventapp.registrations.enums import OrganisationType, RegistrationStatus
from tests.registrations.live_server import Client, Reply, tally
from tests.registrations.test_concurrency import burst, rows
from tests.registrations.test_concurrency import server as _server

pytestmark = [pytest.mark.postgres_only, pytest.mark.slow]
server = _server  # gunicorn -w 4 on the test database

CONFIRMED, WAITLISTED, CANCELLED = (
    RegistrationStatus.CONFIRMED,
    RegistrationStatus.WAITLISTED,
    RegistrationStatus.CANCELLED,
)


def test_20_erasures_at_once_promote_exactly_the_next_20_waiting_and_leave_no_trace(app, server, create_event):
    event = create_event(capacity=20, waitlist_enabled=True)
    with app.app_context():
        tokens = [
            services.register(
                event.id,
                services.RegistrationData(
                    name=f"Eraser {n}", email=f"eraser{n}@example.org", organisation=f"Organisation {n}",
                    organisation_type=OrganisationType.COMPANY, country="NO", accept_privacy=True, locale="en",
                ),
            ).token
            for n in range(30)
        ]  # fmt: skip
        db.session.remove()
    before = rows(app, event.id)

    def eraser(token: str) -> Callable[[], Callable[[], Reply]]:
        def prepare() -> Callable[[], Reply]:
            client = Client(server.base_url)
            csrf = client.csrf_token(f"/r/{token}/erase")
            return lambda: client.post(f"/r/{token}/erase", {"csrf_token": csrf})

        return prepare

    replies = burst(server, [eraser(token) for token in tokens[:20]])

    assert tally(replies) == {200: 20}
    after = {r.id: r for r in rows(app, event.id)}
    assert [after[r.id].status for r in before[:20]] == [CANCELLED] * 20
    assert all(after[r.id].email == f"{r.id}@purged.invalid" and after[r.id].name == "" for r in before[:20])
    assert [after[r.id].status for r in before[20:]] == [CONFIRMED] * 10
    with app.app_context():
        addresses = set(db.session.scalars(select(OutboxMessage.recipient_email)))
        db.session.remove()
    assert not addresses & {f"eraser{n}@example.org" for n in range(20)}
    assert {f"eraser{n}@example.org" for n in range(20, 30)} <= addresses  # their promotion mails
