"""A hybrid event in the back office: the event form takes on-site seats and online places (both may be
left empty), and the registration list, check-in, exports, statistics and the dashboard show the split
between on site and online; the organiser moves a person from one mode to the other."""

from __future__ import annotations

import csv
import io

import lxml.html
import openpyxl
import pytest

from eventapp.events.enums import EventFormat
from eventapp.events.models import Event
from eventapp.extensions import db
from eventapp.registrations import services
from eventapp.registrations.enums import AttendanceMode, RegistrationStatus
from eventapp.registrations.models import Registration
from tests.manage.test_create_forms import _form
from tests.registrations.conftest import csrf_token, text_of
from tests.registrations.test_rules import data

ON_SITE, ONLINE = AttendanceMode.ON_SITE, AttendanceMode.ONLINE


@pytest.fixture
def hybrid(app, client, create_event, create_account, log_in):
    """A hybrid event (1 seat on site, 3 places online): Astrid on site, Per waiting on site, Emil and
    Sofie online."""
    owner = create_account("owner@example.org")
    event = create_event(created_by_id=owner.id, format=EventFormat.HYBRID, capacity=1, online_capacity=3,
                         venue_name="Stadshuset", title="Välkomna, nyfikna kommuner")  # fmt: skip
    with app.app_context():
        for email, name, mode in (("astrid@example.org", "Astrid Holm", ON_SITE),
                                  ("emil@example.org", "Emil Lundgren", ONLINE),
                                  ("per@example.org", "Per Øverland", ON_SITE),
                                  ("sofie@example.org", "Sofie Dahl", ONLINE)):  # fmt: skip
            services.register(event.id, data(email, name=name, attendance=mode))
    log_in(client, "owner@example.org")
    return event


def test_a_new_hybrid_event_saves_with_its_required_fields_and_a_venue_and_has_no_limits_by_default(
    app, client, create_account, log_in
):
    create_account("admin@example.org")
    log_in(client, "admin@example.org")
    form = _form(client.get("/manage/events/new").get_data(as_text=True), None)
    sent = dict(form.form_values())
    sent.update(title="Välkomna, nyfikna kommuner", starts_at="2031-03-04T13:00", ends_at="2031-03-04T15:00",
                format="hybrid", venue_name="Stadshuset, sal Öresund")  # fmt: skip

    response = client.post("/manage/events/new", data=sent)

    assert response.status_code == 303, lxml.html.fromstring(response.data).text_content()[:2000]
    with app.app_context():
        made = db.session.scalars(db.select(Event)).one()
        assert (made.format, made.capacity, made.online_capacity) == (EventFormat.HYBRID, None, None)


def test_the_event_form_keeps_online_places_only_for_a_hybrid_event(app, client, hybrid):
    url = f"/manage/events/{hybrid.id}/edit"
    form = _form(client.get(url).get_data(as_text=True), None)
    sent = dict(form.form_values())
    assert sent["online_capacity"] == "3"
    sent.update(online_capacity="5")
    assert client.post(url, data=sent).status_code == 303
    sent.update(format="in_person", online_capacity="7", tell="no")  # a calendar change: asks whom to tell
    assert client.post(url, data=sent).status_code == 303
    with app.app_context():
        event = db.session.get(Event, hybrid.id)
        assert (event.format, event.online_capacity) == (EventFormat.IN_PERSON, None)


def test_the_registration_list_shows_and_filters_the_mode_and_says_the_split(client, hybrid):
    url = f"/manage/events/{hybrid.id}/registrations"
    everyone = text_of(client.get(url).get_data(as_text=True))
    online = text_of(client.get(f"{url}?attendance=online").get_data(as_text=True))
    nonsense = client.get(f"{url}?attendance=moon")

    assert "On site: 1/1 confirmed, 1 waiting" in everyone
    assert "Online: 2/3 confirmed, 0 waiting" in everyone
    assert "Astrid Holm" in everyone
    assert "Per Øverland" in everyone
    assert "Emil Lundgren" in online
    assert "Sofie Dahl" in online
    assert "Astrid Holm" not in online
    assert nonsense.status_code == 400  # the filter is ignored with a message, never a 500


def test_the_organiser_moves_the_waiting_on_site_person_online_and_they_get_the_free_place(app, client, hybrid):
    url = f"/manage/events/{hybrid.id}/registrations"
    with app.app_context():
        per = db.session.scalars(db.select(Registration.id).where(Registration.email == "per@example.org")).one()
    token = csrf_token(client.get(url).get_data(as_text=True))

    moved = client.post(f"{url}/{per}/to-online", data={"csrf_token": token})
    again = client.post(f"{url}/{per}/to-online", data={"csrf_token": token})

    assert moved.status_code == 303
    assert again.status_code == 303  # already online: nothing to do
    with app.app_context():
        registration = db.session.get(Registration, per)
        assert (registration.attendance, registration.status) == (ONLINE, RegistrationStatus.CONFIRMED)
    page = text_of(client.get(url).get_data(as_text=True))
    assert "Online: 3/3 confirmed, 0 waiting" in page
    log = text_of(client.get(f"/manage/events/{hybrid.id}/audit").get_data(as_text=True))
    assert "Per Øverland <per@example.org>: switched to Online by Owner (Confirmed)" in log


def test_check_in_shows_each_persons_mode_and_filters_by_it(client, hybrid):
    url = f"/manage/events/{hybrid.id}/check-in"
    on_site = text_of(client.get(f"{url}?mode=on_site").get_data(as_text=True))
    everyone = text_of(client.get(f"{url}?mode=nonsense").get_data(as_text=True))

    assert "Astrid Holm" in on_site
    assert "Emil Lundgren" not in on_site
    assert "Emil Lundgren" in everyone  # an unknown mode is no filter
    assert "Emil Lundgren Organisation of emil@example.org · Online" in everyone


def test_exports_have_a_translated_mode_column_and_its_code(client, hybrid):
    body = client.get(f"/manage/events/{hybrid.id}/registrations.csv?lang=nb").get_data().decode("utf-8-sig")
    header, *rows = list(csv.reader(io.StringIO(body)))
    column, code = header.index("På stedet eller digitalt"), header.index("attendance")
    assert [(row[0], row[column], row[code]) for row in rows] == [
        ("Astrid Holm", "På stedet", "on_site"), ("Emil Lundgren", "Digitalt", "online"),
        ("Per Øverland", "På stedet", "on_site"), ("Sofie Dahl", "Digitalt", "online")]  # fmt: skip
    sheet = openpyxl.load_workbook(
        io.BytesIO(client.get(f"/manage/events/{hybrid.id}/registrations.xlsx?lang=sv").get_data())
    ).active
    values = list(sheet.values)
    assert values[0][values[0].index("På plats eller online")] == "På plats eller online"
    assert [row[values[0].index("På plats eller online")] for row in values[1:]] == [
        "På plats", "Online", "På plats", "Online"]  # fmt: skip


def test_a_plain_events_export_has_no_mode_column(client, create_event, create_account, log_in):
    owner = create_account("plain@example.org")
    event = create_event(created_by_id=owner.id)
    log_in(client, "plain@example.org")
    header = client.get(f"/manage/events/{event.id}/registrations.csv").get_data().decode("utf-8-sig")
    assert "On site or online" not in header
    assert "attendance" not in header


def test_statistics_and_the_dashboard_show_the_split(client, hybrid):
    statistics = text_of(client.get(f"/manage/events/{hybrid.id}/statistics").get_data(as_text=True))
    dashboard = text_of(client.get("/manage/").get_data(as_text=True))

    assert "On site: 1/1 confirmed, 1 waiting" in statistics
    assert "Online: 2/3 confirmed, 0 waiting" in statistics
    assert "On site 1/1, online 2/3" in dashboard


def test_statistics_give_the_attendance_rate_per_mode_once_the_event_has_started(app, client, hybrid):
    """Astrid came on site; of the two online, Emil was checked in and Sofie was not. A mode where nobody
    was checked in has no rate, not 0 %."""
    before = text_of(client.get(f"/manage/events/{hybrid.id}/statistics").get_data(as_text=True))
    assert "came, " not in before  # not started: no rate, overall or per mode
    with app.app_context():
        event = db.session.get(Event, hybrid.id)
        event.starts_at, event.ends_at = event.starts_at.replace(year=2020), event.ends_at.replace(year=2020)
        people = {
            r.name: r for r in db.session.scalars(db.select(Registration).where(Registration.event_id == hybrid.id))
        }
        people["Emil Lundgren"].checked_in_at = event.starts_at
        db.session.commit()

    one_online = text_of(client.get(f"/manage/events/{hybrid.id}/statistics").get_data(as_text=True))
    assert "On site: no attendance rate, 0 checked in of 1 confirmed" in one_online
    assert "Online: 50% came, 1 checked in of 2 confirmed" in one_online

    with app.app_context():
        astrid = db.session.scalars(db.select(Registration).where(Registration.name == "Astrid Holm")).one()
        astrid.checked_in_at = astrid.event.starts_at
        db.session.commit()
    both = text_of(client.get(f"/manage/events/{hybrid.id}/statistics").get_data(as_text=True))
    assert "On site: 100% came, 1 checked in of 1 confirmed" in both
    assert "67% of those confirmed came: 2 checked in of 3 confirmed." in both


def test_a_plain_event_s_statistics_have_no_attendance_per_mode(app, client, create_event, create_account, log_in):
    owner = create_account("owner@example.org")
    event = create_event(created_by_id=owner.id)
    with app.app_context():
        services.register(event.id, data("kari@example.org"))
    log_in(client, "owner@example.org")
    page = client.get(f"/manage/events/{event.id}/statistics").get_data(as_text=True)
    assert "Attendance per mode" not in page
