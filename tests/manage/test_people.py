"""The registrations list: filters, decisions with mail and audit log, and the CSV export."""

from __future__ import annotations

import csv
import io

from eventapp.extensions import db
from eventapp.mail.models import OutboxMessage
from eventapp.manage import audit_queries
from eventapp.registrations import services
from eventapp.registrations.enums import OrganisationType
from tests.drafts import render_drafts
from tests.registrations.conftest import csrf_token, text_of
from tests.registrations.test_rules import data


def test_filters_narrow_the_list(app, client, create_event, create_account, log_in):
    owner = create_account("owner@example.org")
    event = create_event(created_by_id=owner.id, capacity=1)
    with app.app_context():
        services.register(event.id, data("a@example.org", name="Astrid Holm", country="NO"))
        services.register(event.id, data("b@example.org", name="Emil Lundgren", country="SE",
                                         organisation_type=OrganisationType.COMPANY))  # fmt: skip
    log_in(client, "owner@example.org")

    everyone = text_of(client.get(f"/manage/events/{event.id}/registrations").get_data(as_text=True))
    waiting = text_of(client.get(f"/manage/events/{event.id}/registrations?status=waitlisted").get_data(as_text=True))
    swedes = text_of(client.get(f"/manage/events/{event.id}/registrations?country=SE").get_data(as_text=True))
    search = text_of(client.get(f"/manage/events/{event.id}/registrations?q=astrid").get_data(as_text=True))
    bad = client.get(f"/manage/events/{event.id}/registrations?status=nonsense")

    assert "2 people" in everyone
    assert "Emil Lundgren" in waiting
    assert "Astrid Holm" not in waiting
    assert "Emil Lundgren" in swedes
    assert "Astrid Holm" not in swedes
    assert "Astrid Holm" in search
    assert "Emil Lundgren" not in search
    assert bad.status_code == 400
    assert "Some filters could not be used" in text_of(bad.get_data(as_text=True))
    for blank in ("%20", "%20%20", "%09"):  # a blank value passes Optional() without a choice check
        answer = client.get(f"/manage/events/{event.id}/registrations?status={blank}&organisation_type={blank}")
        assert answer.status_code in (200, 400)
        assert "Astrid Holm" in text_of(answer.get_data(as_text=True))


def test_rejecting_with_a_message_mails_it_and_logs_who_did_it(app, client, create_event, create_account, log_in):
    owner = create_account("owner@example.org")
    event = create_event(created_by_id=owner.id, requires_approval=True, title="Bestillerdialog")
    with app.app_context():
        rid = services.register(event.id, data("pending@example.org")).registration_id
    log_in(client, "owner@example.org")
    page = client.get(f"/manage/events/{event.id}/registrations").get_data(as_text=True)

    response = client.post(
        f"/manage/events/{event.id}/registrations/{rid}/reject",
        data={"csrf_token": csrf_token(page), "note": "Only public buyers take part this time."},
    )
    log = text_of(client.get(f"/manage/events/{event.id}/audit").get_data(as_text=True))

    assert response.status_code == 303
    with app.app_context():
        render_drafts()  # as the worker does before sending
        mail = db.session.scalars(db.select(OutboxMessage).where(OutboxMessage.kind == "registration_rejected")).one()
    assert "Only public buyers take part this time." in mail.body_text
    assert "rejected by Owner" in log
    assert "Only public buyers take part this time." in log


def test_giving_a_seat_needs_a_free_seat(app, client, create_event, create_account, log_in):
    owner = create_account("owner@example.org")
    event = create_event(created_by_id=owner.id, capacity=1)
    with app.app_context():
        services.register(event.id, data("a@example.org"))
        waiting = services.register(event.id, data("b@example.org")).registration_id
    log_in(client, "owner@example.org")
    page = client.get(f"/manage/events/{event.id}/registrations").get_data(as_text=True)

    response = client.post(f"/manage/events/{event.id}/registrations/{waiting}/give-seat",
                           data={"csrf_token": csrf_token(page)})  # fmt: skip

    assert response.status_code == 409
    assert "No seat is free. Raise the capacity first." in text_of(response.get_data(as_text=True))


def test_csv_export_has_the_answers_and_neutralises_formulas(app, client, create_event, create_account, log_in):
    owner = create_account("owner@example.org")
    event = create_event(created_by_id=owner.id)
    with app.app_context():
        services.register(event.id, data("a@example.org", name="=HYPERLINK(\"http://evil.example\")",
                                         organisation="+47 Ærlig AS"))  # fmt: skip
        services.register(event.id, data("b@example.org", name="Bård Ødegaard", organisation="@Tromsø kommune"))
    log_in(client, "owner@example.org")

    response = client.get(f"/manage/events/{event.id}/registrations.csv")
    rows = list(csv.reader(io.StringIO(response.get_data().decode("utf-8-sig"))))

    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert response.get_data().startswith("\ufeff".encode())  # Excel reads æøå right
    assert rows[0][:3] == ["Name", "Email", "Organisation"]
    assert rows[1][0] == '\'=HYPERLINK("http://evil.example")'
    assert rows[1][2] == "'+47 Ærlig AS"
    assert rows[2][0] == "Bård Ødegaard"
    assert rows[2][2] == "'@Tromsø kommune"


def test_excel_export_has_text_cells_only(app, client, create_event, create_account, log_in):
    from openpyxl import load_workbook

    owner = create_account("owner@example.org")
    event = create_event(created_by_id=owner.id)
    with app.app_context():
        services.register(event.id, data("a@example.org", name="=1+2", organisation="Tromsø kommune"))
    log_in(client, "owner@example.org")

    response = client.get(f"/manage/events/{event.id}/registrations.xlsx")
    sheet = load_workbook(io.BytesIO(response.get_data())).active

    assert response.headers["Content-Disposition"].endswith('-registrations.xlsx"')
    assert [c.value for c in sheet[1]][:3] == ["Name", "Email", "Organisation"]
    assert sheet["A2"].value == "'=1+2"
    assert sheet["A2"].data_type == "s"
    assert sheet["C2"].value == "Tromsø kommune"


def test_an_organiser_adds_a_person_by_hand(app, client, create_event, create_account, log_in):
    from datetime import timedelta

    from eventapp.db import utcnow
    from eventapp.registrations.models import Registration

    owner = create_account("owner@example.org")
    event = create_event(created_by_id=owner.id, requires_approval=True, capacity=1,
                         registration_opens_at=utcnow() - timedelta(days=9),
                         registration_closes_at=utcnow() - timedelta(days=1))  # fmt: skip
    log_in(client, "owner@example.org")
    url = f"/manage/events/{event.id}/registrations/new"
    person = {"name": "Ingrid Sæther", "email": "ingrid@example.org", "organisation": "DFØ",
              "organisation_type": "state", "country": "NO"}  # fmt: skip

    added = client.post(url, data={**person, "csrf_token": csrf_token(client.get(url).get_data(as_text=True))})
    second = client.post(url, data={**person, "email": "per@example.org",
                                    "csrf_token": csrf_token(client.get(url).get_data(as_text=True))})  # fmt: skip
    twice = client.post(url, data={**person, "csrf_token": csrf_token(client.get(url).get_data(as_text=True))})

    assert added.status_code == second.status_code == 303
    assert twice.status_code == 400
    assert "This address is already registered for the event." in text_of(twice.get_data(as_text=True))
    with app.app_context():
        statuses = [r.status.value for r in db.session.scalars(db.select(Registration).order_by(Registration.id))]
        kinds = [m.kind for m in db.session.scalars(db.select(OutboxMessage).order_by(OutboxMessage.id))]
        log = [line.text for line in audit_queries.audit_log(event.id)]
    assert statuses == ["confirmed", "waitlisted"]  # no approval step, but the seats still count
    assert kinds == ["registration_confirmed", "registration_waitlisted"]
    assert any("added by Owner" in line for line in log)
