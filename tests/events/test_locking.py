"""One lock_event serves events and registrations: the events services take the same lock as a sign-up
(SELECT ... FOR UPDATE on PostgreSQL, BEGIN IMMEDIATE on SQLite), so an organiser's change and a sign-up
of the same event wait for each other on both databases."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import fields

from sqlalchemy import event as sa_event

from eventapp.events import locking
from eventapp.events import services as event_services
from eventapp.events.models import Event
from eventapp.extensions import db
from eventapp.registrations import services as registration_services


def test_registrations_use_the_same_lock_function():
    assert registration_services.lock_event is locking.lock_event


@contextmanager
def _statements(app) -> Iterator[list[str]]:
    """Every statement sent, BEGIN included (SQLite's lock is its BEGIN IMMEDIATE)."""
    seen: list[str] = []
    with app.app_context():
        engine = db.engine

    def _before(_conn, _cursor, statement, *_args) -> None:
        seen.append(statement)

    sa_event.listen(engine, "before_cursor_execute", _before)
    try:
        yield seen
    finally:
        sa_event.remove(engine, "before_cursor_execute", _before)


def _locks(statements: list[str], dialect: str) -> int:
    if dialect == "sqlite":
        return sum(s.strip().upper() == "BEGIN IMMEDIATE" for s in statements)
    return sum("FOR UPDATE" in s and "FROM events" in s for s in statements)


def test_changing_and_cancelling_an_event_take_the_events_lock(app, create_event, create_account):
    event = create_event(capacity=10)
    organiser = create_account("organiser@example.org")
    with app.app_context():
        dialect = db.engine.dialect.name
    with _statements(app) as changing, app.app_context():
        current = db.session.get(Event, event.id)
        values = {f.name: getattr(current, f.name) for f in fields(event_services.EventData)}
        values["capacity"] = 20
        event_services.update_event(event.id, event_services.EventData(**values), actor=organiser, tell_attendees=False)
    with _statements(app) as cancelling, app.app_context():
        event_services.cancel_event(event.id, actor=organiser, message="Moved to spring.")

    assert _locks(changing, dialect) == 1
    assert _locks(cancelling, dialect) == 1
    with app.app_context():
        assert db.session.get(Event, event.id).capacity == 20
