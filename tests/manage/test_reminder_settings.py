"""Reminder settings per event: which reminders go out, and the organiser's own words in them."""

from __future__ import annotations

from datetime import timedelta

import pytest

from eventapp.db import utcnow
from eventapp.events.models import Event
from eventapp.extensions import db
from eventapp.mail.models import OutboxMessage
from eventapp.registrations import chores
from tests.drafts import render_drafts
from tests.manage.test_events import FORM, post_form
from tests.registrations.conftest import text_of
from tests.registrations.test_rules import data

NOTE = "Ta med legitimasjon: resepsjonen i 2. etasje sjekker navnelisten."


@pytest.fixture
def owned_event(create_event, create_account, client, log_in):
    owner = create_account("owner@example.org")
    log_in(client, "owner@example.org")
    starts = (utcnow() + timedelta(days=3)).replace(second=0, microsecond=0)
    return create_event(created_by_id=owner.id, starts_at=starts, online_url="https://meet.example.org/r")


def reminders(app) -> list[OutboxMessage]:
    with app.app_context():
        render_drafts()  # as the worker does before sending
        rows = db.session.scalars(
            db.select(OutboxMessage)
            .where(OutboxMessage.kind.like("registration_reminder_%"))
            .order_by(OutboxMessage.id)
        ).all()
        db.session.expunge_all()
        return rows


def edit_form(event: Event, **changes) -> dict[str, str]:
    local = event.starts_at.astimezone(event.tzinfo)
    return {
        **FORM,
        "title": event.title,
        "slug": event.slug,
        "starts_at": local.strftime("%Y-%m-%dT%H:%M"),
        "ends_at": (local + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
        "online_url": event.online_url,
        "format": event.format.value,
        "venue_name": event.venue_name,
        "venue_address": event.venue_address,
        "city": event.city,
        "timezone": event.timezone,
        **changes,
    }


def test_the_event_form_shows_both_reminders_switched_on_for_a_new_event(client, owned_event):
    page = client.get("/manage/events/new").get_data(as_text=True)
    assert "Reminders to confirmed attendees" in page
    for name in ("reminder_day_before", "reminder_hour_before"):
        checkbox = (
            page.split(f'name="{name}"')[0].rsplit("<input", 1)[1] + page.split(f'name="{name}"')[1].split(">")[0]
        )
        assert "checked" in checkbox, name


def test_only_the_hour_reminder_goes_out_with_the_organisers_words(app, client, owned_event):
    event = owned_event
    with app.app_context():
        from eventapp.registrations import services

        services.register(event.id, data("anna@example.org"))
    form = edit_form(event, reminder_hour_before="y", reminder_note=NOTE)  # the day box left unticked
    response = post_form(client, f"/manage/events/{event.id}/edit", **form)
    assert response.status_code == 303, text_of(response)
    with app.app_context():
        saved = db.session.get(Event, event.id)
        assert (saved.reminder_day_before, saved.reminder_hour_before, saved.reminder_note) == (False, True, NOTE)
        # The person signed up well before, so both reminders would be due in their windows.
        db.session.execute(db.text("UPDATE registrations SET created_at = :t"), {"t": utcnow() - timedelta(days=5)})
        db.session.commit()
        assert chores.send_due_reminders(now=event.starts_at - timedelta(hours=20)) == 0
        assert chores.send_due_reminders(now=event.starts_at - timedelta(minutes=50)) == 1
    [mail] = reminders(app)
    assert mail.kind == "registration_reminder_hour"
    assert NOTE in mail.body_text
    assert "Message from the organiser:" in mail.body_text
    assert "Ta med legitimasjon" in mail.body_html
    assert "https://meet.example.org/r" in mail.body_text


def test_a_day_reminder_switched_on_within_the_last_hour_is_not_sent_beside_the_hour_one(app, owned_event):
    event = owned_event
    with app.app_context():
        from eventapp.registrations import services

        services.register(event.id, data("bo@example.org"))
        db.session.execute(db.text("UPDATE registrations SET created_at = :t"), {"t": utcnow() - timedelta(days=5)})
        db.session.commit()
        assert chores.send_due_reminders(now=event.starts_at - timedelta(minutes=30)) == 1
    assert [m.kind for m in reminders(app)] == ["registration_reminder_hour"]


def test_a_reminder_note_that_is_too_long_is_refused_and_kept(app, client, owned_event):
    event = owned_event
    long_note = "Husk " + "x" * 2100
    response = post_form(client, f"/manage/events/{event.id}/edit", **edit_form(event, reminder_note=long_note))
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Field cannot be longer than 2000 characters." in page
    assert long_note in page
    with app.app_context():
        assert db.session.get(Event, event.id).reminder_note == ""


def test_a_duplicated_event_keeps_its_reminder_settings(app, client, owned_event):
    event = owned_event
    post_form(
        client, f"/manage/events/{event.id}/edit", **edit_form(event, reminder_day_before="y", reminder_note=NOTE)
    )
    page = client.get(f"/manage/events/{event.id}/edit").get_data(as_text=True)
    from tests.registrations.conftest import csrf_token

    response = client.post(f"/manage/events/{event.id}/duplicate", data={"csrf_token": csrf_token(page)})
    assert response.status_code == 303
    with app.app_context():
        copy = db.session.scalars(db.select(Event).where(Event.id != event.id)).one()
        assert (copy.reminder_day_before, copy.reminder_hour_before, copy.reminder_note) == (True, False, NOTE)
