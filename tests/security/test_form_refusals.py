"""The forms whose text reaches a mail header refuse control characters, through the real pages: a 400 with
the form shown again, a message a person understands (in their language), what they typed kept, and
nothing stored or mailed."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from eventapp.accounts.models import User
from eventapp.events.models import Event
from eventapp.extensions import db
from eventapp.mail.models import OutboxMessage
from eventapp.mailings.models import Mailing
from eventapp.programmes.models import Programme
from eventapp.registrations import services as registration_services
from eventapp.registrations.models import Registration
from eventapp.speakers import services as speaker_services
from eventapp.speakers.models import Speaker
from tests.manage.test_events import FORM as EVENT_FORM
from tests.registrations.conftest import FORM as SIGN_UP
from tests.registrations.conftest import csrf_token, text_of, token_of
from tests.registrations.test_rules import data

INJECTION = "Eve\r\nBcc: x@evil.example\r\nX-Injected: yes"
ONE_LINE = "Please write this on a single line of ordinary text: line breaks and invisible control characters"
ONE_LINE_NB = "Skriv dette på én linje med vanlig tekst: linjeskift og usynlige kontrolltegn kan ikke brukes her."
HOSTILE = [INJECTION, "Eve\nBcc: x@evil.example", "Eve\rX-Injected: yes", "Eve\x07", "Eve\u2028X", "Eve\u202egnp"]


def count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def assert_refused(response, *, message: str = ONE_LINE) -> None:
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert message in text_of(page)
    assert 'value="Eve' in page  # what was typed is in the form again (escaped), to be corrected


@pytest.mark.parametrize("value", HOSTILE, ids=repr)
def test_sign_up_refuses_a_name_with_control_characters_and_stores_nothing(app, client, create_event, value):
    event = create_event()
    page = client.get(f"/events/{event.slug}/register").get_data(as_text=True)

    response = client.post(f"/events/{event.slug}/register",
                           data={**SIGN_UP, "name": value, "csrf_token": csrf_token(page)})  # fmt: skip

    assert_refused(response)
    assert count(app, Registration) == 0
    assert count(app, OutboxMessage) == 0


def test_the_refusal_speaks_the_page_language(app, client, create_event):
    event = create_event()
    page = client.get(f"/events/{event.slug}/register?lang=nb").get_data(as_text=True)

    response = client.post(f"/events/{event.slug}/register?lang=nb",
                           data={**SIGN_UP, "organisation": INJECTION, "csrf_token": csrf_token(page)})  # fmt: skip

    assert response.status_code == 400
    assert ONE_LINE_NB in text_of(response.get_data(as_text=True))
    assert count(app, Registration) == 0


def test_a_question_answered_in_a_text_area_keeps_its_line_breaks_but_not_other_control_characters(
    app, client, create_event
):
    from eventapp.registrations.enums import QuestionKind
    from eventapp.registrations.models import CustomQuestion

    event = create_event()
    with app.app_context():
        question = CustomQuestion(event_id=event.id, label="Hva vil du lære?", kind=QuestionKind.LONG_TEXT)
        db.session.add(question)
        db.session.commit()
        field = question.field_name
    page = client.get(f"/events/{event.slug}/register").get_data(as_text=True)

    refused = client.post(f"/events/{event.slug}/register",
                          data={**SIGN_UP, field: "Eve\x1b[2J", "csrf_token": csrf_token(page)})  # fmt: skip
    answer = "Innkjøp\r\n\r\n\tog dialog"
    accepted = client.post(f"/events/{event.slug}/register",
                           data={**SIGN_UP, field: answer, "csrf_token": csrf_token(page)})  # fmt: skip

    assert refused.status_code == 400
    assert "This text contains an invisible control character that cannot be used." in text_of(
        refused.get_data(as_text=True)
    )
    assert accepted.status_code == 303
    with app.app_context():
        [answer] = db.session.scalars(select(Registration)).one().answers
        assert answer.value.replace("\r\n", "\n") == "Innkjøp\n\n\tog dialog"


def test_changing_the_name_on_the_own_registration_page_refuses_control_characters(app, client, create_event, sign_up):
    event = create_event()
    token = token_of(sign_up(event.slug))
    page = client.get(f"/r/{token}").get_data(as_text=True)
    mails_before = count(app, OutboxMessage)

    fields = {"csrf_token": csrf_token(page), "name": INJECTION, "organisation": "Region Skåne"}
    response = client.post(f"/r/{token}/details", data=fields)

    assert_refused(response)
    with app.app_context():
        assert db.session.scalars(select(Registration.name)).one() == SIGN_UP["name"]
    assert count(app, OutboxMessage) == mails_before


def test_the_speaker_portal_refuses_a_name_with_control_characters(app, client, create_event, create_account):
    owner = create_account("owner@example.org")
    event = create_event(agenda=1, speakers_per_item=1, created_by_id=owner.id)
    with app.app_context():
        speaker = db.session.scalars(select(Speaker).where(Speaker.event_id == event.id)).one()
        token = speaker_services.invite(speaker.id, actor=db.session.get(User, owner.id))
        name = speaker.name
    page = client.get(f"/speaker/{token}").get_data(as_text=True)

    response = client.post(f"/speaker/{token}/profile", data={"csrf_token": csrf_token(page), "name": INJECTION})

    assert_refused(response)
    with app.app_context():
        assert db.session.scalars(select(Speaker.name)).one() == name


@pytest.fixture
def organiser(client, create_account, log_in):
    from eventapp.accounts.enums import Role

    user = create_account("admin@example.org", role=Role.ADMIN)
    log_in(client, "admin@example.org")
    return user


def post(client, url: str, **fields):
    token = csrf_token(client.get("/manage/").get_data(as_text=True))
    return client.post(url, data={**fields, "csrf_token": token})


def test_back_office_forms_refuse_control_characters_in_what_reaches_a_mail(app, client, organiser, create_event):
    event = create_event(agenda=1, speakers_per_item=1, created_by_id=organiser.id)
    with app.app_context():
        registration_services.register(event.id, data("anna@example.org", name="Anna Berg"))
        speaker_id = db.session.scalars(select(Speaker.id).where(Speaker.event_id == event.id)).one()
    before = {model: count(app, model) for model in (Event, Programme, User, Mailing, OutboxMessage)}

    new_event = post(client, "/manage/events/new", **{**EVENT_FORM, "title": INJECTION})
    edited_event = post(client, f"/manage/events/{event.id}/edit", **{**EVENT_FORM, "title": "Eve\x1b[2J"})
    speaker = post(client, f"/manage/events/{event.id}/speakers/{speaker_id}/edit", name=INJECTION)
    account = post(client, "/manage/accounts/new", name=INJECTION, email="kari@example.org", role="organiser")
    programme = post(client, "/manage/programmes/new", title=INJECTION, language="nb")
    mailing = post(client, f"/manage/events/{event.id}/messages/new", statuses=["confirmed"], attendance="any",
                   subject=INJECTION, body="Hei", expected="1", send="1")  # fmt: skip

    for response in (new_event, edited_event, speaker, account, programme, mailing):
        assert_refused(response)
    assert {model: count(app, model) for model in before} == before
    with app.app_context():
        assert db.session.get(Event, event.id).title == event.title
        assert db.session.get(Speaker, speaker_id).name.startswith("Speaker")
