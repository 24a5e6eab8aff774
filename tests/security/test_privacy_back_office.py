"""GDPR in the back office: an organiser finds a person by address, downloads and erases what is held,
only in the events they may manage; an administrator across all events; the log names no one."""

from __future__ import annotations

import json

from sqlalchemy import select

from eventapp.accounts.enums import Role
from eventapp.accounts.models import AuditEntry
from eventapp.extensions import db
from eventapp.registrations import services
from eventapp.registrations.models import Registration
from tests.registrations.conftest import csrf_token, text_of
from tests.registrations.test_rules import data

ADDRESS = "kari.nordmann@example.org"


def _setup(app, create_event, create_account):
    owner = create_account("owner@example.org")
    other = create_account("other@example.org")
    mine = create_event(created_by_id=owner.id, capacity=1, title="Bestillerdialog")
    theirs = create_event(created_by_id=other.id, title="Leverandørdag")
    with app.app_context():
        kari_mine = services.register(mine.id, data(ADDRESS, name="Kari Nordmann")).registration_id
        waiting = services.register(mine.id, data("per@example.org", name="Per Hansen")).registration_id
        kari_theirs = services.register(theirs.id, data(ADDRESS, name="Kari Nordmann")).registration_id
    return mine, theirs, kari_mine, waiting, kari_theirs


def _step(client, page: str, action: str, **fields: str):
    return client.post("/manage/privacy", data={"action": action, "csrf_token": csrf_token(page), **fields})


def _find(client, address: str):
    page = client.get("/manage/privacy").get_data(as_text=True)
    return client.post("/manage/privacy", data={"csrf_token": csrf_token(page), "email": address})


def test_an_organiser_sees_downloads_and_erases_a_person_only_in_their_own_events(
    app, client, create_event, create_account, log_in
):
    mine, _theirs, kari_mine, waiting, kari_theirs = _setup(app, create_event, create_account)
    log_in(client, "owner@example.org")

    found = _find(client, "  Kari.Nordmann@Example.org ")
    page = found.get_data(as_text=True)
    download = _step(client, page, "export", email=ADDRESS)
    unconfirmed = _step(client, page, "erase", email=ADDRESS)
    erased = _step(client, page, "erase", email=ADDRESS, confirm="y")
    log = text_of(client.get(f"/manage/events/{mine.id}/audit").get_data(as_text=True))

    assert found.status_code == 200
    assert "Bestillerdialog" in text_of(page)
    assert "Leverandørdag" not in text_of(page)  # another organiser's event
    assert download.headers["Content-Disposition"].startswith('attachment; filename="my-data-person-')
    exported = json.loads(download.get_data())
    assert [r["event"]["title"] for r in exported["registrations"]] == ["Bestillerdialog"]
    assert exported["registrations"][0]["name"] == "Kari Nordmann"
    assert unconfirmed.status_code == 400
    assert "Tick the box to confirm" in text_of(unconfirmed.get_data(as_text=True))
    assert erased.status_code == 200
    assert "1 registration and its data were deleted." in text_of(erased.get_data(as_text=True))
    with app.app_context():
        rows = {r.id: r for r in db.session.scalars(select(Registration))}
        entries = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "registration.erased")).all()
    assert rows[kari_mine].email == f"{kari_mine}@purged.invalid"
    assert rows[kari_mine].name == ""
    assert rows[waiting].status.value == "confirmed"  # the seat went to the next person waiting
    assert rows[kari_theirs].email == ADDRESS  # not this organiser's event: untouched
    [entry] = entries
    assert entry.summary == ""
    assert entry.actor_role.value == "organiser"
    assert "kari" not in json.dumps(entry.details).casefold()
    assert "a removed person: erased by Owner; seat given to Per Hansen" in log
    assert "Kari" not in log


def test_an_administrator_erases_a_person_across_all_events(app, client, create_event, create_account, log_in):
    _mine, _theirs, kari_mine, _waiting, kari_theirs = _setup(app, create_event, create_account)
    create_account("admin@example.org", role=Role.ADMIN)
    log_in(client, "admin@example.org")

    page = _find(client, ADDRESS).get_data(as_text=True)
    erased = _step(client, page, "erase", email=ADDRESS, confirm="y")

    assert "Bestillerdialog" in text_of(page)
    assert "Leverandørdag" in text_of(page)
    assert "2 registrations and their data were deleted." in text_of(erased.get_data(as_text=True))
    with app.app_context():
        left = db.session.scalars(select(Registration.email).where(Registration.id.in_([kari_mine, kari_theirs])))
        assert all(address.endswith("@purged.invalid") for address in left)


def test_a_bad_address_or_a_missing_csrf_token_changes_nothing(app, client, create_event, create_account, log_in):
    _setup(app, create_event, create_account)
    log_in(client, "owner@example.org")

    bad = _find(client, "not an address")
    forged = client.post("/manage/privacy", data={"action": "erase", "email": ADDRESS, "confirm": "y"})
    unknown = _find(client, "nobody@example.org")

    assert bad.status_code == 400
    assert forged.status_code == 400
    assert "Nothing is held about this address in the events you manage." in text_of(unknown.get_data(as_text=True))
    with app.app_context():
        assert db.session.scalar(select(Registration.id).where(Registration.email.like("%@purged.invalid"))) is None


def test_signed_out_visitors_are_sent_to_sign_in(client):
    assert client.get("/manage/privacy").status_code == 302
