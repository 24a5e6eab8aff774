"""GDPR: attendees' personal data is deleted once an event is long over; statistics stay true."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from eventapp.db import utcnow
from eventapp.extensions import db
from eventapp.mail.models import OutboxMessage
from eventapp.registrations import chores, services
from eventapp.registrations.models import Registration, RegistrationToken
from tests.registrations.test_rules import data


def test_purge_blanks_people_of_old_events_and_keeps_the_rest(app, create_event):
    now = utcnow()
    old = create_event(starts_at=now + timedelta(days=1))
    recent = create_event(starts_at=now + timedelta(days=300))  # ended 100 days before `later`
    with app.app_context():
        services.register(old.id, data("gone@example.org", job_title="Innkjøper", organisation="Eksempel AS",
                                       organisation_number="974760673"))  # fmt: skip
        services.register(old.id, data("both@example.org"))
        services.register(recent.id, data("both@example.org"))
        later = now + timedelta(days=1 + 400)  # a year and a bit after the old event

        dry = chores.purge_personal_data(retention_days=365, now=later, dry_run=True)
        assert db.session.scalar(select(func.count()).where(Registration.email == "gone@example.org")) == 1
        report = chores.purge_personal_data(retention_days=365, now=later)
        again = chores.purge_personal_data(retention_days=365, now=later)

        rows = {r.id: r for r in db.session.scalars(select(Registration).order_by(Registration.id))}
        mails_to = list(db.session.scalars(select(OutboxMessage.recipient_email)))
        tokens = db.session.scalars(select(RegistrationToken.registration_id)).all()

    assert (dry.registrations, report.registrations, again.registrations) == (2, 2, 0)
    assert report.events == 1
    purged = [r for r in rows.values() if r.event_id == old.id]
    assert all(r.name == "" and r.email.endswith("@purged.invalid") for r in purged)
    assert all(r.job_title == "" and r.organisation_number == "" and r.organisation_key == "" for r in purged)
    assert {r.organisation for r in purged} == {"Eksempel AS", "Organisation of both@example.org"}  # statistics
    assert "gone@example.org" not in mails_to
    assert "both@example.org" in mails_to  # still registered for a recent event
    kept = next(r for r in rows.values() if r.event_id == recent.id)
    assert kept.email == "both@example.org"
    assert set(tokens) == {kept.id}


def test_purge_command(app):
    result = app.test_cli_runner().invoke(args=["purge-personal-data", "--dry-run"])

    assert result.exit_code == 0, result.output
    assert "Would purge 0 registrations" in result.output
