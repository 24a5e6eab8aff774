"""Invitation mails, end to end: built, enqueued, sent by the worker, received and parsed."""

from __future__ import annotations

import icalendar
import pytest

from eventapp.calendar.ics import Person, event_uid
from eventapp.events.enums import EventFormat
from eventapp.events.models import Event
from eventapp.extensions import db
from eventapp.mail.enums import CalendarMethod
from eventapp.mail.services import enqueue
from eventapp.registrations import messages
from tests.conftest import at
from tests.mail.test_worker import drain

PERSON = Person(name="Ærlig Åsmund Øvrebø", email="aasmund@example.org")
JOIN = "https://meet.example.org/j/123;a=b?x=1&y=2"


@pytest.fixture
def webinar(create_event):
    return create_event(
        title="Innovative anskaffelser og bærekraftsmål",
        format=EventFormat.ONLINE,
        online_url=JOIN,
        starts_at=at(2030, 12, 13, 9, 0, tz="Europe/Oslo"),
        ends_at=at(2030, 12, 13, 11, 0, tz="Europe/Oslo"),
    )


def send_invitation(app, event_id: int, **options) -> None:
    with app.app_context():
        event = db.session.get(Event, event_id)
        enqueue(messages.invitation(event, person=PERSON, locale="en", **options))
        db.session.commit()
    drain(app)


def calendar_of(message) -> icalendar.Calendar:
    inline = next(p for p in message.walk() if p.get_content_type() == "text/calendar")
    return icalendar.Calendar.from_ical(inline.get_payload(decode=True))


def test_confirmed_attendee_gets_a_request_with_the_join_link(mail_app, smtp_server, webinar):
    send_invitation(
        mail_app,
        webinar.id,
        method=CalendarMethod.REQUEST,
        include_join_url=True,
        manage_url="http://eventapp.test/r/abc",
    )

    [message] = smtp_server.inbox.messages
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    calendar = calendar_of(message)
    [vevent] = calendar.walk("VEVENT")
    assert message["Subject"] == "Invitation: Innovative anskaffelser og bærekraftsmål"
    assert message["To"].addresses[0].display_name == "Ærlig Åsmund Øvrebø"
    assert "Hello Ærlig Åsmund Øvrebø," in text
    assert "Friday, 13 December 2030, 09:00–11:00 Central European Standard Time" in text
    assert f"Join online: {JOIN}" in text
    assert f"http://eventapp.test/events/{webinar.slug}" in text  # absolute, from EVENTAPP_BASE_URL
    assert "http://eventapp.test/r/abc" in text
    assert 'href="https://meet.example.org/j/123;a=b?x=1&amp;y=2"' in html
    assert str(calendar["METHOD"]) == "REQUEST"
    assert str(vevent["UID"]) == event_uid(webinar)
    assert str(vevent["ORGANIZER"]) == "mailto:noreply@example.org"
    assert str(vevent["ATTENDEE"]) == "mailto:aasmund@example.org"
    assert vevent["ATTENDEE"].params["CN"] == "Ærlig Åsmund Øvrebø"
    assert vevent["ATTENDEE"].params["RSVP"] == "FALSE"  # nothing reads replies: none is asked for
    assert vevent.decoded("DTSTART") == at(2030, 12, 13, 9, 0, tz="Europe/Oslo")
    assert JOIN in str(vevent["DESCRIPTION"])
    attachment = next(p for p in message.walk() if p.get_filename() == "invite.ics")
    inline = next(p for p in message.walk() if p.get_content_type() == "text/calendar")
    assert attachment.get_payload(decode=True) == inline.get_payload(decode=True)


def test_an_invitation_without_the_join_link_shows_it_nowhere(mail_app, smtp_server, webinar):
    send_invitation(mail_app, webinar.id, method=CalendarMethod.REQUEST, include_join_url=False)

    [raw] = smtp_server.inbox.raw
    [message] = smtp_server.inbox.messages
    decoded = "".join(part.get_payload(decode=True).decode() for part in message.walk() if not part.is_multipart())
    assert "meet.example.org" not in decoded
    assert b"meet.example.org" not in raw


def test_a_cancellation_carries_method_cancel_and_the_same_uid(mail_app, smtp_server, webinar):
    with mail_app.app_context():
        db.session.get(Event, webinar.id).calendar_sequence += 1
        db.session.commit()

    send_invitation(
        mail_app, webinar.id, method=CalendarMethod.CANCEL, include_join_url=False, note="Vi flytter til våren."
    )

    [message] = smtp_server.inbox.messages
    calendar = calendar_of(message)
    [vevent] = calendar.walk("VEVENT")
    assert message["Subject"] == "Cancelled: Innovative anskaffelser og bærekraftsmål"
    assert "Vi flytter til våren." in message.get_body(("plain",)).get_content()
    assert str(calendar["METHOD"]) == "CANCEL"
    assert str(vevent["STATUS"]) == "CANCELLED"
    assert str(vevent["UID"]) == event_uid(webinar)
    assert int(vevent["SEQUENCE"]) == 1
    inline = next(p for p in message.walk() if p.get_content_type() == "text/calendar")
    assert inline.get_param("method") == "CANCEL"


def test_publish_is_not_an_invitation(in_app, webinar):
    with in_app(), pytest.raises(ValueError, match="REQUEST or a CANCEL"):
        messages.invitation(
            db.session.get(Event, webinar.id),
            person=PERSON,
            method=CalendarMethod.PUBLISH,
            locale="en",
            include_join_url=False,
        )
