"""An organiser attaches events only to programmes they manage (administrators: to any)."""

from __future__ import annotations

from dataclasses import replace

import pytest
from sqlalchemy import select

from eventapp.accounts.enums import Role
from eventapp.accounts.models import User
from eventapp.errors import ValidationFailed
from eventapp.events import services as event_services
from eventapp.events.models import Event
from eventapp.extensions import db
from tests.manage.test_events import FORM, post_form
from tests.registrations.conftest import text_of


def test_the_event_form_offers_only_my_programmes_and_refuses_a_forged_one(
    app, client, create_account, log_in, create_programme
):
    me = create_account("owner@example.org")
    mine = create_programme(title="Mitt program", created_by_id=me.id)
    theirs = create_programme(title="Deres program", created_by_id=create_account("other@example.org").id)
    log_in(client, "owner@example.org")

    form_page = text_of(client.get("/manage/events/new").get_data(as_text=True))
    forged = post_form(client, "/manage/events/new", programme_id=str(theirs.id))
    allowed = post_form(client, "/manage/events/new", programme_id=str(mine.id), title="Mitt arrangement")

    assert "Mitt program" in form_page
    assert "Deres program" not in form_page
    assert forged.status_code == 400
    assert "Not a valid choice" in text_of(forged.get_data(as_text=True))
    assert allowed.status_code == 303
    with app.app_context():
        assert [(e.title, e.programme_id) for e in db.session.scalars(select(Event))] == [("Mitt arrangement", mine.id)]


def test_the_service_refuses_a_programme_the_organiser_does_not_manage(app, create_account, create_programme):
    me = create_account("owner@example.org")
    admin = create_account("admin@example.org", Role.ADMIN)
    theirs = create_programme(created_by_id=admin.id)
    data = replace(_form_data(app), programme_id=theirs.id)

    with app.app_context():
        with pytest.raises(ValidationFailed) as refused:
            event_services.create_event(data, actor=db.session.get(User, me.id))
        created_by_admin = event_services.create_event(data, actor=db.session.get(User, admin.id))

        assert (refused.value.field, refused.value.message) == (
            "programme_id",
            "You can only add the event to a programme you manage.",
        )
        assert created_by_admin.programme_id == theirs.id
        assert db.session.scalars(select(Event.created_by_id)).all() == [admin.id]


def test_an_event_keeps_the_programme_an_administrator_gave_it(
    app, client, create_account, log_in, create_programme, create_event
):
    me = create_account("owner@example.org")
    admins = create_programme(title="Nasjonalt program", created_by_id=create_account("a@example.org", Role.ADMIN).id)
    event = create_event(created_by_id=me.id, programme=admins)
    log_in(client, "owner@example.org")

    page = text_of(client.get(f"/manage/events/{event.id}/edit").get_data(as_text=True))
    saved = post_form(client, f"/manage/events/{event.id}/edit", programme_id=str(admins.id), tell="no")

    assert "Nasjonalt program" in page
    assert saved.status_code == 303
    with app.app_context():
        assert db.session.get(Event, event.id).programme_id == admins.id


def _form_data(app) -> event_services.EventData:
    from eventapp.manage.forms import EventForm

    with app.test_request_context(method="POST", data={**FORM}):
        form = EventForm(meta={"csrf": False})
        assert form.validate(), form.errors
        return form.to_data()
