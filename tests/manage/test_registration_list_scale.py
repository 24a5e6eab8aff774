"""A big event: the registrations list pages through 2,000 people in a fixed number of queries, and the
exports hold them all."""

from __future__ import annotations

import io
import re

import openpyxl
import pytest

from eventapp.db import utcnow
from eventapp.extensions import db
from eventapp.registrations.enums import OrganisationType, RegistrationStatus
from eventapp.registrations.models import Registration
from tests.registrations.conftest import text_of


def add_people(app, event_id: int, count: int, start: int = 0) -> None:
    """``count`` registrations in one statement (the services would take minutes for 2,000)."""
    now = utcnow()
    rows = [
        {
            "event_id": event_id,
            "status": RegistrationStatus.CONFIRMED if i % 4 else RegistrationStatus.WAITLISTED,
            "name": f"Deltaker {i:04d}",
            "email": f"deltaker{i:04d}@example.org",
            "organisation": f"Kommune {i % 50}",
            "organisation_type": OrganisationType.MUNICIPALITY,
            "country": "NO",
            "organisation_key": f"name:kommune {i % 50}",
            "privacy_accepted_at": now,
            "locale": "nb",
        }
        for i in range(start, start + count)
    ]
    with app.app_context():
        db.session.execute(db.insert(Registration), rows)
        db.session.commit()


@pytest.fixture
def big_event(app, client, create_event, create_account, log_in):
    owner = create_account("owner@example.org")
    log_in(client, "owner@example.org")
    return create_event(created_by_id=owner.id, capacity=5000)


def names_on(page: str) -> list[str]:
    return re.findall(r"Deltaker \d{4}", page)


def test_the_list_is_paged_a_hundred_at_a_time_with_the_filters_kept(app, client, big_event):
    add_people(app, big_event.id, 2000)
    url = f"/manage/events/{big_event.id}/registrations"
    first = client.get(url).get_data(as_text=True)
    assert "2000 people: showing 1–100" in text_of(first)
    assert names_on(first)[0] == "Deltaker 0000"
    assert len(set(names_on(first))) == 100
    assert "Page 1 of 20" in text_of(first)

    last = client.get(url + "?page=20").get_data(as_text=True)
    assert "showing 1901–2000" in text_of(last)
    assert names_on(last)[-1] == "Deltaker 1999"
    assert 'rel="next"' not in last
    assert 'rel="prev"' in last

    waiting = client.get(url + "?status=waitlisted&page=2").get_data(as_text=True)
    assert "500 people: showing 101–200" in text_of(waiting)
    assert f"/manage/events/{big_event.id}/registrations?status=waitlisted&amp;page=3" in waiting

    beyond = client.get(url + "?page=99")
    assert beyond.status_code == 200
    assert "Page 20 of 20" in text_of(beyond.get_data(as_text=True))
    nonsense = client.get(url + "?page=abc")
    assert nonsense.status_code == 400
    assert "Some filters could not be used and were ignored." in nonsense.get_data(as_text=True)
    assert "Page 1 of 20" in text_of(nonsense.get_data(as_text=True))


def test_the_list_takes_the_same_number_of_queries_for_20_or_2000_people(app, client, big_event, count_queries):
    url = f"/manage/events/{big_event.id}/registrations"
    add_people(app, big_event.id, 20)
    client.get(url)  # warm: the first request loads what every request shares
    with count_queries() as small:
        assert client.get(url).status_code == 200
    add_people(app, big_event.id, 1980, start=20)
    with count_queries() as big:
        assert client.get(url + "?page=7").status_code == 200
    assert big.count == small.count, (small.statements, big.statements)
    assert big.count <= 6, big.statements


def test_the_excel_export_holds_all_2000_in_a_fixed_number_of_queries(app, client, big_event, count_queries):
    add_people(app, big_event.id, 2000)
    with count_queries() as counter:
        response = client.get(f"/manage/events/{big_event.id}/registrations.xlsx")
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.data)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 2001
    assert rows[1][:2] == ("Deltaker 0000", "deltaker0000@example.org")
    assert rows[-1][0] == "Deltaker 1999"
    assert counter.count <= 7, counter.statements
