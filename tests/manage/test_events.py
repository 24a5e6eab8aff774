"""Building and changing events in the back office, and telling attendees when it matters."""

from __future__ import annotations

from datetime import timedelta

import icalendar
import pytest

from eventapp.accounts.models import AuditEntry
from eventapp.calendar.ics import event_uid
from eventapp.db import utcnow
from eventapp.events.enums import EventStatus
from eventapp.events.models import Event
from eventapp.extensions import db
from eventapp.registrations import services
from tests.mail.test_worker import drain
from tests.registrations.conftest import csrf_token, text_of
from tests.registrations.test_rules import data

FORM = {
    "title": "Markedsdialog om utslippsfrie byggeplasser",
    "summary": "Kommunene møter leverandørene.",
    "description_md": "## Program\n\n- innledning\n- dialog",
    "kind": "dialogue_meeting",
    "programme_id": "",
    "language": "nb",
    "timezone": "Europe/Oslo",
    "starts_at": "2031-03-04T09:00",
    "ends_at": "2031-03-04T12:00",
    "format": "hybrid",
    "venue_name": "Oslo rådhus",
    "venue_address": "Rådhusplassen 1, 0037 Oslo",
    "city": "Oslo",
    "online_url": "https://meet.example.org/byggeplass",
    "capacity": "40",
    "waitlist_enabled": "y",
    "waitlist_mode": "automatic",
    "offer_hours": "48",
}


@pytest.fixture
def organiser(client, create_account, log_in):
    user = create_account("owner@example.org")
    log_in(client, "owner@example.org")
    return user


def post_form(client, url: str, **changes):
    token = csrf_token(client.get(url).get_data(as_text=True))
    return client.post(url, data={**FORM, **changes, "csrf_token": token})


def test_an_organiser_creates_a_draft_then_publishes_it(app, client, organiser):
    created = post_form(client, "/manage/events/new")
    assert created.status_code == 303
    edit_url = created.headers["Location"].split("?")[0]
    with app.app_context():
        event = db.session.scalars(db.select(Event)).one()
        assert event.status is EventStatus.DRAFT
        assert event.created_by_id == organiser.id
        assert event.slug == "markedsdialog-om-utslippsfrie-byggeplasser"
        assert event.starts_at == event.starts_at.replace(hour=8)  # 09:00 in Oslo in March is 08:00 UTC
        event_id, slug = event.id, event.slug
    assert client.get(f"/events/{slug}").status_code == 404  # a draft is not public

    page = client.get(edit_url).get_data(as_text=True)
    client.post(f"/manage/events/{event_id}/publish", data={"csrf_token": csrf_token(page)})

    assert "Markedsdialog om utslippsfrie byggeplasser" in client.get("/").get_data(as_text=True)
    with app.app_context():
        actions = list(db.session.scalars(db.select(AuditEntry.action).order_by(AuditEntry.id)))
    assert actions == ["event.created", "event.published"]


@pytest.mark.parametrize(
    ("changes", "field_message"),
    [
        ({"ends_at": "2031-03-04T08:00"}, "The event must end after it starts."),
        ({"starts_at": "2031-03-30T02:30", "ends_at": "2031-03-30T04:00"}, "This time does not exist in Europe/Oslo"),
        ({"format": "in_person", "venue_name": ""}, "An event people attend in person needs a venue."),
        ({"online_url": "meet.example.org"}, "Give a full web address starting with https://"),
        ({"slug": "Not A Slug!"}, "Use lower-case letters, digits and hyphens only."),
        ({"capacity": "-3"}, "Give a whole number from 1 to 100000."),
        ({"title": ""}, "Give the event a title."),
        ({"starts_at": "0001-01-01T00:00"}, "Give a date between the years 2000 and 2199."),
        ({"registration_closes_at": "9999-12-31T23:59"}, "Give a date between the years 2000 and 2199."),
    ],
)
def test_bad_event_input_is_refused_at_the_field_and_kept(client, organiser, changes, field_message):
    response = post_form(client, "/manage/events/new", **changes)

    assert response.status_code == 400
    assert field_message in text_of(response.get_data(as_text=True))
    assert "Oslo rådhus" in response.get_data(as_text=True) or changes.get("venue_name") == ""


def test_description_preview_renders_without_saving(app, client, organiser):
    response = post_form(client, "/manage/events/new", preview="1", description_md="**Viktig** <script>x</script>")

    assert response.status_code == 200
    assert "<strong>Viktig</strong>" in response.get_data(as_text=True)
    assert "<script>x</script>" not in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalars(db.select(Event)).all() == []


def test_moving_a_published_event_asks_then_sends_updated_invitations_with_a_higher_sequence(
    mail_app, smtp_server, client, organiser, create_event
):
    start = utcnow().replace(microsecond=0) + timedelta(days=20)
    event = create_event(created_by_id=organiser.id, starts_at=start, capacity=10,
                         online_url="https://meet.example.org/old")  # fmt: skip
    with mail_app.app_context():
        services.register(event.id, data("kari@example.org"))
    drain(mail_app)
    [confirmation] = smtp_server.inbox.messages
    url = f"/manage/events/{event.id}/edit"
    moved = {"starts_at": "2031-05-06T13:00", "ends_at": "2031-05-06T15:00", "title": event.title,
             "slug": event.slug, "online_url": "https://meet.example.org/new", "format": "online",
             "venue_name": ""}  # fmt: skip

    asked = post_form(client, url, **moved)
    saved = post_form(client, url, **moved, tell="yes")
    drain(mail_app)

    assert asked.status_code == 200
    assert "1 confirmed attendee can get an updated invitation" in text_of(asked.get_data(as_text=True))
    assert saved.status_code == 303
    update = smtp_server.inbox.messages[-1]
    assert update["Subject"] == f"Changed: {event.title}"
    before = icalendar.Calendar.from_ical(calendar_part(confirmation)).walk("VEVENT")[0]
    after_cal = icalendar.Calendar.from_ical(calendar_part(update))
    after = after_cal.walk("VEVENT")[0]
    assert str(after_cal["METHOD"]) == "REQUEST"
    assert str(after["UID"]) == str(before["UID"]) != event_uid(event)  # the registration's own UID
    assert int(after["SEQUENCE"]) > int(before["SEQUENCE"])
    assert after.decoded("DTSTART").isoformat() == "2031-05-06T11:00:00+00:00"  # 13:00 in Oslo, summer time
    assert "https://meet.example.org/new" in update.get_body(("plain",)).get_content()


def test_cancelling_the_event_tells_everyone_and_withdraws_the_calendar_entry(
    mail_app, smtp_server, client, organiser, create_event
):
    event = create_event(created_by_id=organiser.id, capacity=1)
    with mail_app.app_context():
        services.register(event.id, data("kari@example.org"))
        services.register(event.id, data("ola@example.org"))  # waiting list
    drain(mail_app)
    url = f"/manage/events/{event.id}/cancel"
    token = csrf_token(client.get(url).get_data(as_text=True))

    empty = client.post(url, data={"csrf_token": token, "message": ""})
    done = client.post(url, data={"csrf_token": token, "message": "Vi flytter møtet til høsten."})
    drain(mail_app)

    assert empty.status_code == 400
    assert done.status_code == 303
    cancelled = {m["To"].addresses[0].addr_spec: m for m in smtp_server.inbox.messages[2:]}
    assert set(cancelled) == {"kari@example.org", "ola@example.org"}
    kari = icalendar.Calendar.from_ical(calendar_part(cancelled["kari@example.org"]))
    assert str(kari["METHOD"]) == "CANCEL"
    [kari_request] = icalendar.Calendar.from_ical(calendar_part(smtp_server.inbox.messages[0])).walk("VEVENT")
    assert str(kari.walk("VEVENT")[0]["UID"]) == str(kari_request["UID"]) != event_uid(event)
    assert int(kari.walk("VEVENT")[0]["SEQUENCE"]) > int(kari_request["SEQUENCE"])
    assert "Vi flytter møtet til høsten." in cancelled["ola@example.org"].get_body(("plain",)).get_content()
    assert calendar_part(cancelled["ola@example.org"]) is None  # never had a calendar entry
    assert "This event has been cancelled." in text_of(client.get(f"/events/{event.slug}").get_data(as_text=True))


def test_duplicating_copies_texts_and_questions_as_a_draft(app, client, organiser, create_event):
    event = create_event(created_by_id=organiser.id, title="Webinar 2026")
    page = client.get(f"/manage/events/{event.id}/edit").get_data(as_text=True)

    response = client.post(f"/manage/events/{event.id}/duplicate", data={"csrf_token": csrf_token(page)})

    assert response.status_code == 303
    with app.app_context():
        copy = db.session.scalars(db.select(Event).where(Event.id != event.id)).one()
        assert copy.title == "Copy of Webinar 2026"
        assert copy.status is EventStatus.DRAFT
        assert copy.slug == f"{event.slug}-copy"
        assert copy.calendar_uid != event.calendar_uid  # a new event for calendars


def calendar_part(message) -> bytes | None:
    for part in message.walk():
        if part.get_content_type() == "text/calendar":
            return part.get_payload(decode=True)
    return None
