"""SEQUENCE strictly rises per UID: for a registration made before registrations had their own UID,
and when organisers change an event while its attendee cancels, all at once on PostgreSQL."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import fields
from datetime import timedelta

import flask_migrate
import icalendar
import pytest
from sqlalchemy import inspect, select, text, update

from eventapp import create_app
from eventapp.calendar.ics import event_uid
from eventapp.events import services as event_services
from eventapp.events.models import Event
from eventapp.extensions import db
from eventapp.mail.models import OutboxMessage
from eventapp.registrations import services
from eventapp.registrations.models import Registration
from tests.calendar.conftest import parse
from tests.conftest import TEST_CONFIG
from tests.core import test_migrations
from tests.drafts import render_drafts
from tests.registrations.test_rules import data


@pytest.fixture(params=["sqlite", "postgres"])
def empty_database_url(request, tmp_path):
    """A database with no tables at all: test_migrations' fixture, which this module reuses."""
    yield from test_migrations.empty_database_url.__wrapped__(request, tmp_path)


def invitations(app, email: str) -> list[icalendar.Event]:
    """The VEVENTs of the invitations mailed to ``email``, in the order they were enqueued."""
    with app.app_context():
        render_drafts()  # as the worker does before sending
        documents = db.session.scalars(
            select(OutboxMessage.calendar)
            .where(OutboxMessage.recipient_email == email, OutboxMessage.calendar.is_not(None))
            .order_by(OutboxMessage.id)
        ).all()
    return [parse(document).event for document in documents]


def event_data(event: Event, **changes) -> event_services.EventData:
    values = {f.name: getattr(event, f.name) for f in fields(event_services.EventData)}
    return event_services.EventData(**{**values, **changes})


def test_a_registration_from_before_own_uids_keeps_the_events_uid_with_a_higher_sequence(app, create_event):
    event = create_event(capacity=10)
    with app.app_context():
        services.register(event.id, data("kari@example.org"))
        # As the migration leaves an existing registration: no UID of its own, counter at 0, and the
        # event's SEQUENCE already raised by changes before (its invitations carried up to 3).
        db.session.execute(update(Registration).values(calendar_uid=None, calendar_sequence=0))
        db.session.execute(update(Event).where(Event.id == event.id).values(calendar_sequence=3))
        db.session.commit()
        registration = db.session.scalars(select(Registration)).one()
        services.cancel_registration(registration.id)

    *_, cancel = invitations(app, "kari@example.org")
    assert str(cancel["UID"]) == f"{event.calendar_uid}@eventapp"  # the entry already in Kari's calendar
    assert int(cancel["SEQUENCE"]) == 4
    assert str(cancel["STATUS"]) == "CANCELLED"


def test_a_change_not_mailed_still_reaches_the_attendee_through_their_own_calendar_file(
    app, client, create_event, create_account
):
    organiser = create_account("arrangor@example.org")
    event = create_event(capacity=10)
    with app.app_context():
        token = services.register(event.id, data("kari@example.org")).token
        loaded = db.session.get(Event, event.id)
        start = loaded.starts_at + timedelta(days=1)
        changed = event_data(loaded, starts_at=start, ends_at=start + timedelta(hours=2))
        event_services.update_event(event.id, changed, actor=organiser, tell_attendees=False)

    [request] = invitations(app, "kari@example.org")  # the organiser chose not to mail anyone
    personal = parse(client.get(f"/r/{token}/calendar.ics").get_data()).event

    assert str(personal["UID"]) == str(request["UID"])
    assert int(personal["SEQUENCE"]) > int(request["SEQUENCE"])  # opening it replaces the old entry
    assert personal.decoded("DTSTART") == start


@pytest.mark.postgres_only
def test_changes_and_a_cancellation_at_once_never_repeat_a_sequence(app, create_event, create_account):
    organiser = create_account("arrangor@example.org")
    event = create_event(capacity=10)
    with app.app_context():
        for email in ("kari@example.org", "ola@example.org"):
            services.register(event.id, data(email))
        kari = db.session.scalars(select(Registration).where(Registration.email == "kari@example.org")).one().id
    barrier = threading.Barrier(7)

    def move(hours: int) -> None:
        with app.app_context():
            try:
                loaded = db.session.get(Event, event.id)
                start = loaded.starts_at + timedelta(hours=hours)
                changed = event_data(loaded, starts_at=start, ends_at=start + timedelta(hours=2))
                db.session.rollback()
                barrier.wait(timeout=30)
                event_services.update_event(event.id, changed, actor=organiser, tell_attendees=True)
            finally:
                db.session.remove()

    def cancel() -> None:
        with app.app_context():
            try:
                barrier.wait(timeout=30)
                services.cancel_registration(kari)
            finally:
                db.session.remove()

    with ThreadPoolExecutor(max_workers=7) as pool:
        futures = [pool.submit(move, hours) for hours in range(1, 7)] + [pool.submit(cancel)]
        for future in futures:
            future.result(timeout=60)  # re-raises what went wrong in the thread

    with app.app_context():
        final = db.session.get(Event, event.id)
        final_start, final_sequence = final.starts_at, final.calendar_sequence
    assert final_sequence == 6  # every change raised the event's SEQUENCE once
    for email in ("kari@example.org", "ola@example.org"):
        received = invitations(app, email)
        sequences = [int(e["SEQUENCE"]) for e in received]
        assert len({str(e["UID"]) for e in received}) == 1
        assert str(received[0]["UID"]) != event_uid(final)
        assert sequences == sorted(set(sequences)), sequences  # strictly rising, in the order sent
    ola = invitations(app, "ola@example.org")
    assert len(ola) == 7  # the confirmation and six updates
    assert ola[-1].decoded("DTSTART") == final_start  # the highest SEQUENCE holds the last change
    kari_received = invitations(app, "kari@example.org")
    assert str(kari_received[-1]["STATUS"]) == "CANCELLED"  # the cancellation is the last word


#: The revision just before the one that gives registrations their own calendar UID.
BEFORE = "5c1a7e3d9b20-1"


def test_the_migration_leaves_existing_registrations_on_the_events_uid_and_new_ones_get_their_own(
    empty_database_url,
):
    app = create_app({**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": empty_database_url})
    now = "2026-12-01 10:00:00+00:00"
    with app.app_context():
        flask_migrate.upgrade(revision=BEFORE)
        db.session.execute(
            text(
                "INSERT INTO events (id, slug, title, summary, description_md, description_html, kind, format,"
                " venue_name, venue_address, city, online_url, timezone, starts_at, ends_at, language, status,"
                " calendar_uid, calendar_sequence, search_text, created_at, updated_at, capacity, waitlist_enabled,"
                " waitlist_mode, offer_hours, requires_approval, reminder_day_before, reminder_hour_before,"
                " reminder_note) VALUES (1, 'e', 'E', '', '', '', 'webinar', 'online', '', '', '', '', 'Europe/Oslo',"
                f" '{now}', '2026-12-01 12:00:00+00:00', 'nb', 'published', 'abc', 2, '', '{now}', '{now}', NULL,"
                " true, 'automatic', 48, false, true, true, '')"
            )
        )
        db.session.execute(
            text(
                "INSERT INTO registrations (id, event_id, status, name, email, organisation, organisation_type,"
                " country, job_title, organisation_number, organisation_key, locale, privacy_accepted_at,"
                " created_at, status_changed_at, updated_at) VALUES (1, 1, 'confirmed', 'Kari', 'kari@example.org',"
                f" 'K', 'municipality', 'NO', '', '', 'k', 'nb', '{now}', '{now}', '{now}', '{now}')"
            )
        )
        db.session.commit()
        flask_migrate.upgrade()
        row = db.session.execute(text("SELECT calendar_uid, calendar_sequence FROM registrations")).one()
        db.session.commit()
        flask_migrate.downgrade(revision=BEFORE)
        columns = {c["name"] for c in inspect(db.engine).get_columns("registrations")}
        db.session.remove()
        db.engine.dispose()

    assert tuple(row) == (None, 0)  # the event's UID stays; the next invitation is counted above the last
    assert "calendar_uid" not in columns
    assert "calendar_sequence" not in columns
