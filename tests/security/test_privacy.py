"""GDPR for attendees: the privacy statement, the consent version, access (JSON) and erasure from /r/<token>."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from eventapp.about import privacy
from eventapp.accounts.models import AuditEntry
from eventapp.extensions import db
from eventapp.mail.models import OutboxMessage
from eventapp.manage import audit_queries
from eventapp.registrations import services
from eventapp.registrations.enums import QuestionKind
from eventapp.registrations.models import (
    CustomQuestion,
    ParticipationRequirement,
    Registration,
    RegistrationAnswer,
    RequirementConfirmation,
)
from tests.drafts import render_drafts
from tests.registrations import conftest as registration_helpers
from tests.registrations.conftest import csrf_token, text_of, token_of
from tests.registrations.test_rules import data as rule_data

# The sign-up and read-back fixtures of the registration tests, used here too.
sign_up = registration_helpers.sign_up
registrations = registration_helpers.registrations
outbox = registration_helpers.outbox

HEADINGS = {
    "en": "Privacy statement",
    "nb": "Personvernerklæring",
    "nn": "Personvernerklæring",
    "sv": "Integritetspolicy",
    "da": "Privatlivspolitik",
    "fi": "Tietosuojaseloste",
}


@pytest.mark.parametrize("code", sorted(HEADINGS))
def test_privacy_statement_names_controller_contact_dpo_retention_and_authority_in_every_language(app, client, code):
    app.config.update(
        EVENTAPP_PRIVACY_CONTROLLER="Innovasjonsetaten (example)",
        EVENTAPP_PRIVACY_CONTACT="personvern@example.org",
        EVENTAPP_DPO_CONTACT="dpo@example.org",
        EVENTAPP_RETENTION_DAYS=180,
    )
    try:
        response = client.get(f"/privacy?lang={code}")
    finally:
        app.config.update(EVENTAPP_PRIVACY_CONTROLLER="", EVENTAPP_PRIVACY_CONTACT="", EVENTAPP_DPO_CONTACT="",
                          EVENTAPP_RETENTION_DAYS=365)  # fmt: skip
    page = text_of(response.get_data(as_text=True))

    assert response.status_code == 200
    assert f"<h1>{HEADINGS[code]}</h1>" in response.get_data(as_text=True)
    for fact in ("Innovasjonsetaten (example)", "personvern@example.org", "dpo@example.org", "180", "datatilsynet.no",
                 "6(1)(b)", privacy.VERSION):  # fmt: skip
        assert fact in page, fact


def test_every_form_that_collects_personal_data_and_the_footer_link_the_statement(client, sign_up, create_event):
    event = create_event(capacity=10)
    token = token_of(sign_up(event.slug))
    pages = {
        "sign-up": client.get(f"/events/{event.slug}/register"),
        "lost link": client.get(f"/events/{event.slug}/lost-link"),
        "own registration (details form)": client.get(f"/r/{token}"),
        "catalogue (footer)": client.get("/"),
    }
    for what, response in pages.items():
        html = response.get_data(as_text=True)
        linked = 'class="privacy-link"><a href="/privacy"' in html or 'href="/privacy">Privacy statement</a>' in html
        assert linked, what


def test_sign_up_stores_the_version_and_time_of_the_statement_accepted(client, sign_up, create_event, registrations):
    event = create_event(capacity=10)
    sign_up(event.slug)
    [registration] = registrations(event.id)
    assert registration.privacy_version == privacy.VERSION
    assert registration.privacy_accepted_at == registration.created_at


def _event_with_question_and_requirement(app, create_event, **columns):
    event = create_event(**columns)
    with app.app_context():
        question = CustomQuestion(event_id=event.id, label="Dietary needs", kind=QuestionKind.SHORT_TEXT)
        requirement = ParticipationRequirement(event_id=event.id, text="Our leadership has anchored the project")
        db.session.add_all([question, requirement])
        db.session.commit()
        return event, question.id, requirement.id


def test_download_my_data_gives_registration_answers_confirmations_mails_and_audit(app, client, sign_up, create_event):
    event, question_id, requirement_id = _event_with_question_and_requirement(app, create_event, capacity=5)
    token = token_of(sign_up(event.slug, **{f"answer_{question_id}": "No nuts, please",
                                            f"requirement_{requirement_id}": "y"}))  # fmt: skip
    client.post(f"/r/{token}/details", data={"csrf_token": csrf_token(client.get(f"/r/{token}").get_data(as_text=True)),
                                             "name": "Åsa Lindqvist", "organisation": "Region Skåne"})  # fmt: skip

    page = client.get(f"/r/{token}").get_data(as_text=True)
    response = client.get(f"/r/{token}/my-data")
    data = json.loads(response.get_data())

    assert f'href="/r/{token}/my-data"' in page
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/json"
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith(f'attachment; filename="my-data-{event.slug}-')
    assert disposition.endswith('.json"')
    assert response.headers["Cache-Control"] == "private, no-store"
    [registration] = data["registrations"]
    assert registration["name"] == "Åsa Lindqvist"
    assert registration["email"] == "asa.lindqvist@example.org"
    assert registration["organisation"] == "Region Skåne"
    assert registration["privacy_statement_version"] == privacy.VERSION
    assert registration["event"]["title"] == event.title
    assert registration["answers"] == [{"question": "Dietary needs", "answer": "No nuts, please"}]
    assert [c["requirement"] for c in registration["requirement_confirmations"]] == [
        "Our leadership has anchored the project"
    ]
    assert [(m["kind"], m["status"]) for m in data["mails"]] == [("registration_confirmed", "pending")]
    assert data["mails"][0]["subject"]
    assert "body_text" not in data["mails"][0]
    assert data["audit"] == []  # nothing was done to the registration in the back office yet


def test_download_before_the_mail_worker_ran_gives_the_subject_the_waiting_mail_will_have(app, client, create_event):
    """A sign-up's mail is a draft until the worker writes it (normally within a second; longer when the
    worker is stopped): the export names it by the subject it will be sent with, not an empty one."""
    event = create_event(capacity=5)
    with app.app_context():
        registration_id = services.register(event.id, rule_data("kari@example.org", locale="nb")).registration_id
        draft = db.session.scalars(select(OutboxMessage).where(OutboxMessage.registration_id == registration_id)).one()
        token, draft_id = draft.draft_token, draft.id
    assert token

    data = json.loads(client.get(f"/r/{token}/my-data").get_data())

    [mail] = data["mails"]
    assert (mail["kind"], mail["status"]) == ("registration_confirmed", "draft")
    render_drafts(app)
    with app.app_context():
        sent = db.session.get(OutboxMessage, draft_id)
        assert sent.draft_token is None  # the export did not use up or change the draft
        assert mail["subject"] == sent.subject
        assert event.title in sent.subject


def test_download_with_an_unknown_token_is_a_404(client):
    assert client.get("/r/not-a-valid-token-at-all-xxxxxxxxxxxx/my-data").status_code == 404


def erase(client, token: str):
    page = client.get(f"/r/{token}/erase")
    assert page.status_code == 200
    return page, client.post(f"/r/{token}/erase", data={"csrf_token": csrf_token(page.get_data(as_text=True))})


def test_erasure_takes_two_steps_and_without_the_csrf_token_nothing_happens(app, client, sign_up, create_event,
                                                                           registrations):  # fmt: skip
    event = create_event(capacity=5)
    token = token_of(sign_up(event.slug))

    step_one = client.get(f"/r/{token}/erase")
    forged = client.post(f"/r/{token}/erase", data={})

    assert step_one.status_code == 200
    assert "Yes, delete my registration and my data" in step_one.get_data(as_text=True)
    assert forged.status_code == 400
    [registration] = registrations(event.id)
    assert registration.name == "Åsa Lindqvist"
    assert registration.status.value == "confirmed"


def test_erasing_gives_the_seat_to_the_waiting_list_and_leaves_nothing_of_the_person(
    app, client, sign_up, create_event, registrations, outbox
):
    event, question_id, requirement_id = _event_with_question_and_requirement(app, create_event, capacity=1)
    token = token_of(sign_up(event.slug, **{f"answer_{question_id}": "No nuts, please",
                                            f"requirement_{requirement_id}": "y"}))  # fmt: skip
    assert sign_up(event.slug, name="Per Persson", email="per@example.org",
                   **{f"requirement_{requirement_id}": "y"}).status_code == 303  # fmt: skip

    _page, done = erase(client, token)

    assert done.status_code == 200
    assert "Your registration and your data are deleted" in text_of(done.get_data(as_text=True))
    first, second = registrations(event.id)
    assert (first.status.value, second.status.value) == ("cancelled", "confirmed")  # promoted as by a cancellation
    assert first.name == ""
    assert first.email == f"{first.id}@purged.invalid"
    assert first.job_title == ""
    assert first.organisation == "Region Skåne"
    assert first.country == "SE"
    assert [m.recipient_email for m in outbox()] == ["per@example.org", "per@example.org"]  # waitlisted, promoted
    assert client.get(f"/r/{token}").status_code == 404  # the link is gone
    with app.app_context():
        assert db.session.scalars(select(RegistrationAnswer.registration_id)).all() == []  # Per answered nothing
        assert db.session.scalars(select(RequirementConfirmation.registration_id)).all() == [second.id]
        [entry] = db.session.scalars(select(AuditEntry)).all()
        assert (entry.action, entry.actor_role.value, entry.summary) == ("registration.erased", "attendee", "")
        [line] = audit_queries.audit_log(event.id)
    assert line.text == "a removed person: erased by the person themself; seat given to Per Persson"


def test_erasing_after_the_event_keeps_the_status_for_the_statistics(app, client, sign_up, create_event, registrations):
    from datetime import timedelta

    from sqlalchemy import update

    from eventapp.db import utcnow
    from eventapp.events.models import Event

    event = create_event(capacity=5)
    token = token_of(sign_up(event.slug))
    with app.app_context():
        db.session.execute(update(Event).where(Event.id == event.id).values(
            starts_at=utcnow() - timedelta(days=3), ends_at=utcnow() - timedelta(days=3, hours=-2)))  # fmt: skip
        db.session.commit()

    erase(client, token)

    [registration] = registrations(event.id)
    assert registration.status.value == "confirmed"
    assert registration.name == ""
    with app.app_context():
        assert db.session.scalar(select(OutboxMessage.id)) is None
        assert db.session.get(Registration, registration.id).email.endswith("@purged.invalid")
