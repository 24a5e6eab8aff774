"""Signing up through the form: what the person sees, what is stored, what is mailed."""

from __future__ import annotations

from datetime import timedelta

import icalendar
import pytest

from eventapp.db import utcnow
from eventapp.events.enums import EventFormat, EventStatus
from eventapp.extensions import db
from eventapp.registrations.enums import QuestionKind, RegistrationStatus
from eventapp.registrations.models import CustomQuestion, ParticipationRequirement
from tests.registrations.conftest import FORM, csrf_token, text_of, token_of


def test_sign_up_confirms_and_mails_an_invitation_with_the_join_link(
    client, sign_up, create_event, registrations, outbox
):
    event = create_event(title="Innkjøp og bærekraft", capacity=100, online_url="https://meet.example.org/x;y?z=1&w=2")

    response = sign_up(event.slug, email="  Asa.Lindqvist@EXAMPLE.org ")
    answer = text_of(client.get(response.headers["Location"]).get_data(as_text=True))
    page = text_of(client.get(f"/r/{token_of(response)}").get_data(as_text=True))

    assert response.status_code == 303
    assert "We have sent a mail about your registration for “Innkjøp og bærekraft” to asa.lindqvist@example.org." in (
        answer
    )
    assert "Your place is confirmed." in page
    assert "We have emailed you a confirmation with a calendar invitation to asa.lindqvist@example.org." in page
    [registration] = registrations(event.id)
    assert registration.status is RegistrationStatus.CONFIRMED
    assert registration.email == "asa.lindqvist@example.org"  # normalised
    assert registration.organisation_key == "name:region skåne"
    [mail] = outbox()
    assert mail.subject == "You are registered: Innkjøp og bærekraft"
    assert mail.recipient_email == "asa.lindqvist@example.org"
    assert mail.calendar_method.value == "REQUEST"
    assert "Join online: https://meet.example.org/x;y?z=1&w=2" in mail.body_text
    assert "http://eventapp.test/r/" in mail.body_text
    [vevent] = icalendar.Calendar.from_ical(mail.calendar).walk("VEVENT")
    assert str(vevent["ATTENDEE"]) == "mailto:asa.lindqvist@example.org"


def test_the_event_page_counts_seats_honestly(client, sign_up, create_event):
    event = create_event(capacity=40)
    assert "Registration is open: 40 seats left." in text_of(client.get(f"/events/{event.slug}").get_data(as_text=True))

    sign_up(event.slug)

    assert "Registration is open: 39 seats left." in text_of(client.get(f"/events/{event.slug}").get_data(as_text=True))


@pytest.mark.parametrize(
    ("settings", "expected"),
    [
        ({"capacity": None}, "Registration is open."),
        ({"capacity": 3}, "Only 3 seats left."),
        ({"registration_opens_at": utcnow() + timedelta(days=2)}, "Registration opens"),
        ({"registration_closes_at": utcnow() - timedelta(hours=1),
          "registration_opens_at": utcnow() - timedelta(days=3)}, "Registration has closed."),
        ({"status": EventStatus.CANCELLED}, "The event is cancelled: registration is closed."),
        ({"starts_at": utcnow() - timedelta(days=3), "ends_at": utcnow() - timedelta(days=3) + timedelta(hours=2)},
         "This event has taken place."),
    ],
)  # fmt: skip
def test_event_page_states(client, create_event, settings, expected):
    event = create_event(**settings)

    page = text_of(client.get(f"/events/{event.slug}").get_data(as_text=True))

    assert expected in page
    assert ("Sign up" in page.split("Registration", 1)[1]) == (expected.startswith(("Registration is open", "Only")))


def test_full_event_offers_the_waiting_list_and_tells_the_position(client, sign_up, create_event, outbox):
    event = create_event(capacity=1)
    sign_up(event.slug, email="first@example.org")
    assert "Join the waiting list" in text_of(client.get(f"/events/{event.slug}").get_data(as_text=True))

    sign_up(event.slug, email="second@example.org")
    third = sign_up(event.slug, email="third@example.org")

    page = text_of(client.get(f"/r/{token_of(third)}").get_data(as_text=True))
    assert "You are on the waiting list." in page
    assert "You are number 2 in line." in page
    waitlisted = [m for m in outbox() if m.kind == "registration_waitlisted"]
    assert [m.recipient_email for m in waitlisted] == ["second@example.org", "third@example.org"]
    assert "waiting list, number 2" in waitlisted[1].body_text
    assert waitlisted[1].calendar is None  # no invitation until there is a seat


def test_full_event_without_waiting_list_says_so_and_takes_nobody(client, sign_up, create_event, registrations):
    event = create_event(capacity=1, waitlist_enabled=False)
    sign_up(event.slug, email="first@example.org")

    response = sign_up(event.slug, email="second@example.org")

    assert "The event is full." in text_of(client.get(f"/events/{event.slug}").get_data(as_text=True))
    assert response.status_code == 409
    assert "The event is full" in text_of(response.get_data(as_text=True))
    assert len(registrations(event.id)) == 1


def test_approval_mode_waits_for_the_organiser(client, sign_up, create_event, registrations, outbox):
    event = create_event(requires_approval=True, capacity=10)

    page = text_of(client.get(f"/r/{token_of(sign_up(event.slug))}").get_data(as_text=True))

    assert "Your registration is awaiting the organiser's approval." in page
    assert registrations(event.id)[0].status is RegistrationStatus.PENDING
    [mail] = outbox()
    assert mail.subject.startswith("We have received your registration")
    assert mail.calendar is None


def test_a_second_sign_up_with_the_same_address_creates_nothing_and_mails_the_link_instead(
    client, sign_up, create_event, registrations, outbox
):
    event = create_event(title="Innkjøp")
    first = sign_up(event.slug, email="asa@example.org")
    first_answer = client.get(first.headers["Location"]).get_data(as_text=True)

    again = sign_up(event.slug, email=" ASA@example.org ", name="Someone Else")
    again_answer = client.get(again.headers["Location"]).get_data(as_text=True)

    # The same answer for both, so the form does not tell whether an address is registered
    assert (again.status_code, again.headers["Location"]) == (first.status_code, first.headers["Location"])
    assert again_answer == first_answer
    assert "Check your inbox" in text_of(again_answer)
    assert len(registrations(event.id)) == 1
    assert registrations(event.id)[0].name == "Åsa Lindqvist"
    assert [(m.kind, m.recipient_email) for m in outbox()] == [
        ("registration_confirmed", "asa@example.org"),
        ("registration_already_registered", "asa@example.org"),
    ]
    assert outbox()[1].subject == "You are already registered: Innkjøp"
    assert "Someone, probably you, just tried to sign up for this event again" in outbox()[1].body_text
    assert client.get(f"/r/{again.mailed_token}").status_code == 200  # the mailed link works


def test_a_cancelled_person_may_sign_up_again(client, sign_up, create_event, registrations):
    event = create_event()
    token = token_of(sign_up(event.slug))
    cancel_page = client.get(f"/r/{token}/cancel")
    client.post(f"/r/{token}/cancel", data={"csrf_token": csrf_token(cancel_page.get_data(as_text=True))})

    again = sign_up(event.slug)

    assert again.status_code == 303
    assert [r.status for r in registrations(event.id)] == [RegistrationStatus.CANCELLED, RegistrationStatus.CONFIRMED]


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("name", "", "Please enter your name."),
        ("name", "x" * 201, "Field cannot be longer than 200 characters."),
        ("email", "not-an-address", "Please enter an email address such as name@example.org."),
        ("email", "a@b", "Please enter an email address such as name@example.org."),
        ("organisation", "", "Please enter your organisation."),
        ("organisation_type", "pirate", "Not a valid choice."),
        ("organisation_type", None, "Please choose the type of your organisation."),
        ("country", "XX", "Not a valid choice."),
        ("accept_privacy", None, "Please accept the privacy notice to sign up."),
        ("organisation_number", "123456789", "This is not a valid Norwegian organisation number"),
    ],
)
def test_bad_input_is_refused_at_the_field_and_what_was_typed_is_kept(
    sign_up, create_event, registrations, field, value, message
):
    event = create_event()
    fields = {"name": "Øystein Ærlig", "country": "NO", field: value}

    response = sign_up(event.slug, **fields)
    html = response.get_data(as_text=True)

    assert response.status_code == 400
    assert message in text_of(html)
    assert 'aria-invalid="true"' in html or field in ("organisation_type", "accept_privacy")
    if field != "name":
        assert 'value="Øystein Ærlig"' in html  # nothing the person typed is lost
    assert registrations(event.id) == []


def test_html_and_script_are_shown_as_text_everywhere(client, sign_up, create_event, outbox):
    event = create_event()
    evil = '<script>alert("x")</script><b>bold</b>'

    response = sign_up(event.slug, name=evil, organisation=evil, job_title=evil)
    page = client.get(f"/r/{token_of(response)}").get_data(as_text=True)

    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in page
    [mail] = outbox()
    assert "<script>" not in mail.body_html
    assert "&lt;script&gt;" in mail.body_html
    assert evil in mail.body_text  # plain text is plain text
    [vevent] = icalendar.Calendar.from_ical(mail.calendar).walk("VEVENT")
    # Intact for the reader, except that a parameter value cannot hold a double quote (RFC 5545 §3.2)
    assert vevent["ATTENDEE"].params["CN"] == evil.replace('"', "'")


def test_missing_csrf_token_gives_the_form_back_with_a_please_try_again(client, create_event, registrations):
    event = create_event()

    response = client.post(f"/events/{event.slug}/register", data={**FORM, "csrf_token": "expired"})
    html = response.get_data(as_text=True)

    assert response.status_code == 400
    assert "Please send the form again" in text_of(html)
    assert 'value="Åsa Lindqvist"' in html
    assert registrations(event.id) == []


@pytest.mark.parametrize("status", [EventStatus.DRAFT])
def test_a_draft_event_takes_no_sign_ups(client, create_event, status):
    event = create_event(status=status)

    assert client.get(f"/events/{event.slug}/register").status_code == 404
    assert client.post(f"/events/{event.slug}/register", data=FORM).status_code == 404


def test_a_closed_or_cancelled_event_refuses_a_posted_form(client, create_event, registrations):
    open_event = create_event(registration_closes_at=utcnow() + timedelta(days=1))
    page = client.get(f"/events/{open_event.slug}/register").get_data(as_text=True)
    token = csrf_token(page)
    closed = create_event(status=EventStatus.CANCELLED)

    response = client.post(f"/events/{closed.slug}/register", data={**FORM, "csrf_token": token})

    assert response.status_code == 409
    assert "The event is cancelled" in text_of(response.get_data(as_text=True))
    assert registrations(closed.id) == []


def test_participation_requirements_must_all_be_confirmed(app, client, sign_up, create_event, registrations):
    event = create_event(format=EventFormat.IN_PERSON)
    with app.app_context():
        db.session.add_all(
            [
                ParticipationRequirement(event_id=event.id, position=0, text="Our leadership anchors the work"),
                ParticipationRequirement(event_id=event.id, position=1, text="We cover our own travel"),
            ]
        )
        db.session.commit()
        ids = [r.id for r in db.session.scalars(db.select(ParticipationRequirement).order_by("position"))]

    form = client.get(f"/events/{event.slug}/register").get_data(as_text=True)
    refused = sign_up(event.slug, **{f"requirement_{ids[0]}": "y"})
    accepted = sign_up(event.slug, **{f"requirement_{ids[0]}": "y", f"requirement_{ids[1]}": "y"})

    assert "We cover our own travel" in text_of(form)
    assert refused.status_code == 400
    assert "Your organisation must confirm this to take part." in text_of(refused.get_data(as_text=True))
    assert accepted.status_code == 303
    assert len(registrations(event.id)) == 1


def test_custom_questions_are_asked_checked_and_stored(app, client, sign_up, create_event):
    event = create_event()
    with app.app_context():
        questions = [
            CustomQuestion(event_id=event.id, position=0, label="Diet", kind=QuestionKind.SHORT_TEXT),
            CustomQuestion(event_id=event.id, position=1, label="Which workshop?", kind=QuestionKind.SINGLE_CHOICE,
                           required=True, choices="Mobility\nFood"),
            CustomQuestion(event_id=event.id, position=2, label="Topics", kind=QuestionKind.MULTIPLE_CHOICE,
                           choices="Climate\nHealth\nSchools"),
            CustomQuestion(event_id=event.id, position=3, label="First time?", kind=QuestionKind.YES_NO, required=True),
        ]  # fmt: skip
        db.session.add_all(questions)
        db.session.commit()
        q = {question.label: f"answer_{question.id}" for question in questions}

    missing = sign_up(event.slug, **{q["Which workshop?"]: "Food"})
    unknown = sign_up(event.slug, **{q["Which workshop?"]: "Sailing", q["First time?"]: "yes"})
    client.get(f"/events/{event.slug}/register")
    page = client.get(f"/events/{event.slug}/register").get_data(as_text=True)
    data = {**FORM, "csrf_token": csrf_token(page), q["Which workshop?"]: "Food", q["First time?"]: "no",
            q["Diet"]: "Vegetarian", q["Topics"]: ["Climate", "Schools"]}  # fmt: skip
    ok = client.post(f"/events/{event.slug}/register", data=data)

    assert missing.status_code == 400
    assert "First time?" in text_of(missing.get_data(as_text=True))
    assert unknown.status_code == 400
    assert ok.status_code == 303
    with app.app_context():
        from eventapp.registrations.models import Registration

        registration = db.session.scalars(db.select(Registration)).one()
        answers = {a.question.label: a.value for a in registration.answers}
    assert answers == {
        "Which workshop?": "Food",
        "First time?": "no",
        "Diet": "Vegetarian",
        "Topics": "Climate\nSchools",
    }


def test_organisation_quota_counts_the_same_organisation_however_written(sign_up, create_event, registrations):
    event = create_event(quota_per_organisation=2)
    sign_up(event.slug, email="a@example.org", organisation="Bergen kommune", country="NO")
    sign_up(event.slug, email="b@example.org", organisation=" BERGEN  KOMMUNE. ", country="NO")

    third = sign_up(event.slug, email="c@example.org", organisation="Bergen Kommune", country="NO")
    other = sign_up(event.slug, email="d@example.org", organisation="Oslo kommune", country="NO")

    assert third.status_code == 409
    assert "already has 2 people registered, the most this event takes from one organisation" in text_of(
        third.get_data(as_text=True)
    )
    assert other.status_code == 303
    assert len(registrations(event.id)) == 3


def test_organisation_quota_recognises_a_valid_number_over_the_name(sign_up, create_event, registrations):
    event = create_event(quota_per_organisation=1)
    sign_up(event.slug, email="a@example.org", organisation="Brønnøysundregistrene", organisation_number="974 760 673",
            country="NO")  # fmt: skip

    second = sign_up(event.slug, email="b@example.org", organisation="Brreg", organisation_number="NO974760673MVA",
                     country="NO")  # fmt: skip

    assert second.status_code == 409
    assert registrations(event.id)[0].organisation_number == "974760673"
