"""/r/<token>: a person's own registration, reached from every mail."""

from __future__ import annotations

import icalendar
from sqlalchemy import update

from eventapp.events.enums import EventFormat
from eventapp.extensions import db
from eventapp.registrations.enums import RegistrationStatus
from eventapp.registrations.models import RegistrationToken
from tests.registrations.conftest import csrf_token, text_of, token_of


def cancel(client, token: str):
    page = client.get(f"/r/{token}/cancel").get_data(as_text=True)
    return client.post(f"/r/{token}/cancel", data={"csrf_token": csrf_token(page)})


def test_confirmed_online_attendee_sees_the_join_link_and_gets_it_in_the_calendar_file(client, sign_up, create_event):
    event = create_event(online_url="https://meet.example.org/room-7")
    token = token_of(sign_up(event.slug))

    page = client.get(f"/r/{token}").get_data(as_text=True)
    calendar = client.get(f"/r/{token}/calendar.ics")

    assert 'href="https://meet.example.org/room-7"' in page
    assert calendar.headers["Content-Type"] == "text/calendar; charset=utf-8"
    [vevent] = icalendar.Calendar.from_ical(calendar.get_data()).walk("VEVENT")
    assert "https://meet.example.org/room-7" in str(vevent["DESCRIPTION"])


def test_a_waitlisted_person_never_sees_the_join_link(client, sign_up, create_event):
    event = create_event(capacity=1, online_url="https://meet.example.org/room-7")
    sign_up(event.slug, email="first@example.org")
    token = token_of(sign_up(event.slug, email="second@example.org"))

    page = client.get(f"/r/{token}").get_data(as_text=True)
    calendar = client.get(f"/r/{token}/calendar.ics").get_data()

    assert "room-7" not in page
    assert b"room-7" not in calendar
    assert "You are number 1 in line." in text_of(page)


def test_in_person_event_has_no_join_link(client, sign_up, create_event):
    event = create_event(format=EventFormat.IN_PERSON, venue_name="Oslo rådhus", online_url="")
    token = token_of(sign_up(event.slug))

    page = text_of(client.get(f"/r/{token}").get_data(as_text=True))

    assert "Join online" not in page
    assert "Oslo rådhus" in page


def test_changing_name_title_and_organisation(client, sign_up, create_event, registrations):
    event = create_event()
    token = token_of(sign_up(event.slug))
    page = client.get(f"/r/{token}").get_data(as_text=True)

    response = client.post(
        f"/r/{token}/details",
        data={"csrf_token": csrf_token(page), "name": "Åsa Lindqvist-Berg", "job_title": "Upphandlare",
              "organisation": "Malmö stad"},
    )  # fmt: skip
    bad = client.post(f"/r/{token}/details", data={"csrf_token": csrf_token(page), "name": "", "organisation": "X"})

    assert response.status_code == 303
    assert "Your details have been saved." in text_of(client.get(response.headers["Location"]).get_data(as_text=True))
    [registration] = registrations(event.id)
    assert (registration.name, registration.job_title, registration.organisation) == (
        "Åsa Lindqvist-Berg",
        "Upphandlare",
        "Malmö stad",
    )
    assert bad.status_code == 400
    assert "Please enter your name." in text_of(bad.get_data(as_text=True))


def test_cancelling_is_a_deliberate_step_and_frees_the_seat_for_the_first_waiting(
    client, sign_up, create_event, registrations, outbox
):
    event = create_event(capacity=1, title="Markedsdialog")
    first = token_of(sign_up(event.slug, email="first@example.org"))
    sign_up(event.slug, email="second@example.org")
    sign_up(event.slug, email="third@example.org")

    confirm_page = client.get(f"/r/{first}/cancel")
    assert registrations(event.id)[0].status is RegistrationStatus.CONFIRMED  # looking is not cancelling
    response = cancel(client, first)

    assert "Cancel your registration?" in text_of(confirm_page.get_data(as_text=True))
    assert response.status_code == 303
    assert "This registration is cancelled." in text_of(client.get(f"/r/{first}").get_data(as_text=True))
    assert [r.status for r in registrations(event.id)] == [
        RegistrationStatus.CANCELLED,
        RegistrationStatus.CONFIRMED,
        RegistrationStatus.WAITLISTED,
    ]
    mails = {(m.recipient_email, m.kind): m for m in outbox()}
    cancelled = mails[("first@example.org", "registration_cancelled")]
    promoted = mails[("second@example.org", "registration_promoted")]
    assert cancelled.calendar_method.value == "CANCEL"
    assert promoted.calendar_method.value == "REQUEST"
    assert promoted.subject == "A seat opened up, and it is yours: Markedsdialog"
    cancel_event = icalendar.Calendar.from_ical(cancelled.calendar).walk("VEVENT")[0]
    first_request = icalendar.Calendar.from_ical(mails[("first@example.org", "registration_confirmed")].calendar)
    assert int(cancel_event["SEQUENCE"]) > int(first_request.walk("VEVENT")[0]["SEQUENCE"])
    assert str(cancel_event["STATUS"]) == "CANCELLED"


def test_cancelling_twice_is_refused_politely(client, sign_up, create_event):
    event = create_event()
    token = token_of(sign_up(event.slug))
    form_token = csrf_token(client.get(f"/r/{token}/cancel").get_data(as_text=True))
    cancel(client, token)

    again = client.post(f"/r/{token}/cancel", data={"csrf_token": form_token})  # e.g. a second tab

    assert again.status_code == 409
    assert "already cancelled" in text_of(again.get_data(as_text=True))


def test_unknown_or_revoked_links_give_a_404_page(app, client, sign_up, create_event):
    event = create_event()
    token = token_of(sign_up(event.slug))
    with app.app_context():
        db.session.execute(update(RegistrationToken).values(revoked_at=db.func.now()))
        db.session.commit()

    for link in (f"/r/{token}", "/r/not-a-real-token-at-all-000000", "/r/x", f"/r/{token}/cancel"):
        response = client.get(link)
        assert response.status_code == 404
        assert "This link is not valid" in text_of(response.get_data(as_text=True))


def test_lost_link_answers_the_same_whether_or_not_the_address_is_registered(client, sign_up, create_event, outbox):
    event = create_event()
    sign_up(event.slug, email="known@example.org")
    page = client.get(f"/events/{event.slug}/lost-link").get_data(as_text=True)

    known = client.post(
        f"/events/{event.slug}/lost-link", data={"csrf_token": csrf_token(page), "email": "KNOWN@example.org"}
    )
    unknown = client.post(
        f"/events/{event.slug}/lost-link", data={"csrf_token": csrf_token(page), "email": "who@example.org"}
    )

    assert known.status_code == unknown.status_code == 200
    assert text_of(known.get_data(as_text=True)) == text_of(unknown.get_data(as_text=True))
    links = [m for m in outbox() if m.kind == "registration_link"]
    assert [m.recipient_email for m in links] == ["known@example.org"]
    new_token = links[0].body_text.split("/r/")[1].split()[0]
    assert client.get(f"/r/{new_token}").status_code == 200  # the new link works, and so does the old one


def test_sign_ups_are_rate_limited_with_a_friendly_page(app, client, sign_up, create_event):
    event = create_event()
    app.config["RATELIMIT_SIGNUP"] = "3 per minute"
    try:
        answers = [sign_up(event.slug, email=f"p{i}@example.org").status_code for i in range(4)]
        limited = sign_up(event.slug, email="p9@example.org")
    finally:
        app.config["RATELIMIT_SIGNUP"] = "10 per minute;60 per hour"

    assert answers == [303, 303, 303, 429]
    assert "Too many attempts" in text_of(limited.get_data(as_text=True))
    assert "Please wait a minute and try again." in text_of(limited.get_data(as_text=True))
