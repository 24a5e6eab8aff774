"""Checking people in on the day: find them fast, mark them, undo a slip."""

from __future__ import annotations

from eventapp.extensions import db
from eventapp.registrations import services
from eventapp.registrations.models import Registration
from tests.registrations.conftest import csrf_token, text_of
from tests.registrations.test_rules import data


def test_find_check_in_and_undo(app, client, create_account, log_in, create_event):
    owner = create_account("owner@example.org")
    event = create_event(created_by_id=owner.id, capacity=2)
    with app.app_context():
        astrid = services.register(event.id, data("astrid@example.org", name="Astrid Holm")).registration_id
        services.register(event.id, data("emil@example.org", name="Emil Lundgren"))
        waiting = services.register(event.id, data("nils@example.org", name="Nils Engström")).registration_id
    log_in(client, "owner@example.org")
    url = f"/manage/events/{event.id}/check-in"

    found = text_of(client.get(f"{url}?q=astrid").get_data(as_text=True))
    token = csrf_token(client.get(url).get_data(as_text=True))
    checked = client.post(f"{url}/{astrid}?q=astrid", data={"csrf_token": token})
    after = text_of(client.get(url).get_data(as_text=True))
    not_confirmed = client.post(f"{url}/{waiting}", data={"csrf_token": token})
    client.post(f"{url}/{astrid}", data={"csrf_token": token, "undo": "1"})

    assert "Astrid Holm" in found
    assert "Emil Lundgren" not in found
    assert "Nils Engström" not in text_of(client.get(url).get_data(as_text=True))  # only confirmed people
    assert checked.status_code == 303
    assert checked.headers["Location"].endswith("?q=astrid")  # back to the same search
    assert "1 of 2 have arrived." in after
    assert not_confirmed.status_code == 409
    with app.app_context():
        assert db.session.get(Registration, astrid).checked_in_at is None  # undone
