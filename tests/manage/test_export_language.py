"""Exports speak the organiser's language: headers, organisation types, countries, statuses and yes/no
in the interface language, times in the event's zone with the zone named, and the codes kept at the end
for programs."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime

import openpyxl
import pytest

from eventapp.extensions import db
from eventapp.registrations import services
from eventapp.registrations.enums import OrganisationType, QuestionKind
from eventapp.registrations.models import CustomQuestion, Registration
from tests.registrations.test_rules import data


@pytest.fixture
def malmo_event(app, client, create_event, create_account, log_in):
    owner = create_account("owner@example.org")
    event = create_event(created_by_id=owner.id, timezone="Europe/Stockholm", title="Leverantörsdialog")
    with app.app_context():
        question = CustomQuestion(event_id=event.id, label="Middag?", kind=QuestionKind.YES_NO)
        db.session.add(question)
        db.session.commit()
        registration_id = services.register(event.id, data(
            "emil@example.org", name="Emil Lundgren", country="SE", organisation="=Malmö stad",
            organisation_type=OrganisationType.MUNICIPALITY, answers={question.id: "yes"})).registration_id  # fmt: skip
        registration = db.session.get(Registration, registration_id)
        registration.created_at = datetime(2031, 3, 4, 8, 5, tzinfo=UTC)  # 09:05 in Malmö (CET)
        registration.checked_in_at = datetime(2031, 7, 1, 7, 30, tzinfo=UTC)  # 09:30 in Malmö (CEST)
        db.session.commit()
    log_in(client, "owner@example.org")
    return event


def csv_rows(client, url: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(client.get(url).get_data().decode("utf-8-sig"))))


def test_the_csv_speaks_swedish_to_a_swedish_organiser(client, malmo_event):
    header, row = csv_rows(client, f"/manage/events/{malmo_event.id}/registrations.csv?lang=sv")

    assert header == ["Namn", "E-post", "Organisation", "Typ av organisation", "Land", "Yrkestitel",
                      "Organisationsnummer", "Status", "Anmäld (Europe/Stockholm)", "Incheckad (Europe/Stockholm)",
                      "organisation_type", "country", "status", "Middag?"]  # fmt: skip
    assert row == ["Emil Lundgren", "emil@example.org", "'=Malmö stad", "Kommun", "Sverige", "", "", "Bekräftad",
                   "2031-03-04 09:05", "2031-07-01 09:30", "municipality", "SE", "confirmed", "Ja"]  # fmt: skip


def test_the_excel_file_speaks_norwegian_to_a_norwegian_organiser(client, malmo_event):
    response = client.get(f"/manage/events/{malmo_event.id}/registrations.xlsx?lang=nb")
    sheet = openpyxl.load_workbook(io.BytesIO(response.data)).active
    header, row = list(sheet.iter_rows(values_only=True))

    assert sheet.title == "Påmeldinger"
    assert header[3:5] == ("Type organisasjon", "Land")
    assert header[8] == "Påmeldt (Europe/Stockholm)"
    assert (row[3], row[4], row[7], row[8], row[-1]) == ("Kommune", "Sverige", "Bekreftet", "2031-03-04 09:05", "Ja")
    assert row[10:13] == ("municipality", "SE", "confirmed")
    assert row[2] == "'=Malmö stad"


def test_english_stays_english_with_the_zone_named(client, malmo_event):
    header, row = csv_rows(client, f"/manage/events/{malmo_event.id}/registrations.csv?lang=en")

    assert header[3:10] == ["Type of organisation", "Country", "Job title", "Organisation number", "Status",
                            "Signed up (Europe/Stockholm)", "Checked in (Europe/Stockholm)"]  # fmt: skip
    assert (row[3], row[4], row[7], row[-1]) == ("Municipality", "Sweden", "Confirmed", "Yes")
