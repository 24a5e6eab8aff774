"""The seat counter row (registrations.seats): kept exact by the database whatever changes registrations
(services, bulk statements, deletes, cascades), and read at the same cost at any number of registrations."""

from __future__ import annotations

from sqlalchemy import delete, event, func, select, update

from eventapp.db import utcnow
from eventapp.events.locking import lock_event
from eventapp.events.models import Event
from eventapp.extensions import db
from eventapp.registrations import queries, services
from eventapp.registrations.enums import OrganisationType, RegistrationStatus
from eventapp.registrations.models import Registration, SeatCount
from tests.registrations.conftest import FORM, csrf_token

CONFIRMED, WAITLISTED, PENDING, CANCELLED = (RegistrationStatus.CONFIRMED, RegistrationStatus.WAITLISTED,
                                             RegistrationStatus.PENDING, RegistrationStatus.CANCELLED)  # fmt: skip


def _person(event_id: int, n: int, status: RegistrationStatus) -> Registration:
    now = utcnow()
    return Registration(event_id=event_id, status=status, name=f"Person {n}", email=f"person{n}@example.org",
                        organisation="Bergen kommune", organisation_type=OrganisationType.MUNICIPALITY, country="NO",
                        organisation_key=f"org {n}", privacy_accepted_at=now, created_at=now)  # fmt: skip


def _counted(event_id: int) -> dict[str, int]:
    """What a full scan of the registrations says, next to what the counter row says."""
    rows = db.session.execute(
        select(Registration.status, func.count()).where(Registration.event_id == event_id).group_by(Registration.status)
    ).all()
    scan = {status.value: count for status, count in rows}
    counts = queries.seat_counts(event_id)
    assert (counts.confirmed, counts.waitlisted, counts.pending) == (
        scan.get("confirmed", 0),
        scan.get("waitlisted", 0),
        scan.get("pending", 0),
    )
    return {"confirmed": counts.confirmed, "waitlisted": counts.waitlisted, "pending": counts.pending}


def test_the_counter_follows_inserts_status_changes_moves_and_deletes(app, create_event):
    first, second = create_event(capacity=10), create_event(capacity=10)
    with app.app_context():
        assert _counted(first.id) == {"confirmed": 0, "waitlisted": 0, "pending": 0}
        people = [_person(first.id, n, status) for n, status in enumerate([CONFIRMED] * 3 + [WAITLISTED, PENDING,
                                                                                             CANCELLED])]  # fmt: skip
        db.session.add_all(people)
        db.session.commit()
        assert _counted(first.id) == {"confirmed": 3, "waitlisted": 1, "pending": 1}

        people[0].status = CANCELLED  # the ORM
        people[5].status = WAITLISTED  # cancelled back to a list
        people[1].name = "Renamed"  # no status change: nothing moves
        db.session.commit()
        assert _counted(first.id) == {"confirmed": 2, "waitlisted": 2, "pending": 1}

        db.session.execute(update(Registration).where(Registration.status == PENDING).values(status=CONFIRMED))
        db.session.execute(update(Registration).where(Registration.id == people[2].id).values(event_id=second.id))
        db.session.commit()
        assert _counted(first.id) == {"confirmed": 2, "waitlisted": 2, "pending": 0}
        assert _counted(second.id) == {"confirmed": 1, "waitlisted": 0, "pending": 0}

        db.session.execute(delete(Registration).where(Registration.status == WAITLISTED))
        db.session.commit()
        assert _counted(first.id) == {"confirmed": 2, "waitlisted": 0, "pending": 0}

        db.session.rollback()
        db.session.add(_person(first.id, 99, CONFIRMED))
        db.session.flush()
        db.session.rollback()  # a rolled-back sign-up leaves no trace in the counts
        assert _counted(first.id) == {"confirmed": 2, "waitlisted": 0, "pending": 0}

        db.session.delete(db.session.get(Event, second.id))  # the event goes, and its counter row with it
        db.session.commit()
        assert db.session.get(SeatCount, second.id) is None


def test_a_sign_up_reads_the_seats_and_the_address_in_one_statement_that_reads_no_more_rows_as_people_grow(
    app, create_event
):
    small, large = create_event(capacity=100_000), create_event(capacity=100_000)
    with app.app_context():
        db.session.add_all(_person(small.id, n, CONFIRMED) for n in range(10))
        db.session.add_all(_person(large.id, n, CONFIRMED) for n in range(1000))
        db.session.commit()
        statements: list[str] = []
        engine = db.engine
        parameters: list[object] = []
        listener = lambda *args: (statements.append(args[2]), parameters.append(args[3]))  # noqa: E731
        event.listen(engine, "before_cursor_execute", listener)
        try:
            counts, theirs = queries.seat_counts_and_registration(large.id, "person7@example.org", now=utcnow())
            none_counts, nobody = queries.seat_counts_and_registration(small.id, "nobody@example.org", now=utcnow())
        finally:
            event.remove(engine, "before_cursor_execute", listener)
        parameters = [p for s, p in zip(statements, parameters, strict=True) if not s.startswith("BEGIN")]
        statements = [s for s in statements if not s.startswith("BEGIN")]
        assert len(statements) == 2
        assert counts.confirmed == 1000
        assert theirs is not None
        assert none_counts.confirmed == 10
        assert nobody is None
        assert "GROUP BY" not in statements[0].upper()
        if engine.dialect.name == "postgresql":  # the plan reads the counter row and two index entries at most
            explained = db.session.connection().exec_driver_sql("EXPLAIN " + statements[0], parameters[0])
            plan = "\n".join(explained.scalars())
            assert "Seq Scan on registrations" not in plan
            assert "Index" in plan


def test_sign_ups_through_the_service_keep_the_counter_exact(app, create_event):
    seats = create_event(capacity=2, waitlist_enabled=True)
    with app.app_context():
        for n in range(4):
            data = services.RegistrationData(
                name=f"Person {n}", email=f"person{n}@example.org", organisation=f"Organisation {n}",
                organisation_type=OrganisationType.COMPANY, country="NO", accept_privacy=True, locale="en",
            )  # fmt: skip
            services.register(seats.id, data)
        assert _counted(seats.id) == {"confirmed": 2, "waitlisted": 2, "pending": 0}
        first = db.session.scalars(select(Registration).where(Registration.event_id == seats.id)).first()
        services.cancel_registration(first.id)  # the first waiting takes the seat
        assert _counted(seats.id) == {"confirmed": 2, "waitlisted": 1, "pending": 0}
        assert lock_event(seats.id).capacity == 2
        db.session.rollback()


def test_a_sign_up_post_takes_four_statements_on_postgresql(app, client, create_event, registrations, outbox):
    """The event with its form parts and whether a gate restricts it; the lock; the seats and the address;
    the registration, its token and its draft in one statement. (SQLite, whose statements take no round
    trip: those three apart, and the event read again after the BEGIN IMMEDIATE that is its lock.) Every
    row is written as before (docs/PERFORMANCE.md, third round)."""
    webinar = create_event(capacity=10)
    page = client.get(f"/events/{webinar.slug}/register").get_data(as_text=True)
    with app.app_context():
        engine = db.engine
    statements: list[str] = []
    listener = lambda *args: statements.append(args[2])  # noqa: E731
    event.listen(engine, "before_cursor_execute", listener)
    try:
        response = client.post(f"/events/{webinar.slug}/register", data={**FORM, "csrf_token": csrf_token(page)})
    finally:
        event.remove(engine, "before_cursor_execute", listener)
    assert response.status_code == 303
    statements = [s for s in statements if not s.strip().upper().startswith(("BEGIN", "COMMIT", "ROLLBACK"))]
    postgresql = engine.dialect.name == "postgresql"
    assert len(statements) == (4 if postgresql else 7), statements
    assert "FOR UPDATE" in statements[1] or not postgresql
    [registration] = registrations(webinar.id)
    assert registration.status is RegistrationStatus.CONFIRMED
    assert registration.calendar_sequence == 0
    assert registration.calendar_uid
    assert registration.privacy_version
    [mail] = outbox()
    assert (mail.registration_id, mail.event_id, mail.kind) == (registration.id, webinar.id, "registration_confirmed")
    assert mail.subject.startswith("You are registered")  # the draft, rendered as the worker does
