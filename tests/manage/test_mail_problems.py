"""Failed mail a person should have got is visible where organisers look: on the person's row in the
registrations list and on the event's "mail problems" page, with the server's answer; the organiser
corrects the address and the mail goes out again. A real SMTP server refuses the first address."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from eventapp.accounts.models import AuditEntry, User
from eventapp.extensions import db
from eventapp.mail.enums import OutboxStatus
from eventapp.mail.models import OutboxMessage
from eventapp.manage import audit_queries
from eventapp.registrations import services
from eventapp.registrations.models import Registration
from eventapp.speakers import services as speaker_services
from tests.mail.test_worker import drain
from tests.registrations.conftest import csrf_token, text_of
from tests.registrations.test_rules import data


@pytest.fixture
def scene(mail_app, smtp_server, client, create_event, create_account, log_in):
    """An event; Kari's confirmation is refused by the mail server (a typo in her address), Ola's arrives."""
    owner = create_account("owner@example.org")
    log_in(client, "owner@example.org")
    event = create_event(created_by_id=owner.id, capacity=10)
    smtp_server.inbox.refuse.add("kari@exmaple.org")
    with mail_app.app_context():
        event.kari = services.register(event.id, data("kari@exmaple.org", name="Kari Nordmann")).registration_id
        event.ola = services.register(event.id, data("ola@example.org", name="Ola Hansen")).registration_id
        db.session.remove()
    drain(mail_app)
    return event


def outbox(app) -> list[OutboxMessage]:
    with app.app_context():
        rows = list(db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))
        db.session.expunge_all()
        return rows


def resend(client, event_id: int, mail_id: int, address: str):
    page = client.get(f"/manage/events/{event_id}/mail-problems").get_data(as_text=True)
    return client.post(
        f"/manage/events/{event_id}/mail-problems/{mail_id}",
        data={f"mail-{mail_id}-csrf_token": csrf_token(page), f"mail-{mail_id}-email": address},
    )


def test_a_refused_confirmation_shows_on_the_persons_row_and_on_the_mail_problems_page(client, scene):
    people = text_of(client.get(f"/manage/events/{scene.id}/registrations").get_data(as_text=True))
    problems = client.get(f"/manage/events/{scene.id}/mail-problems")

    assert "Kari Nordmann kari@exmaple.org Not delivered: Confirmation" in people
    assert "Ola Hansen ola@example.org Not delivered" not in people
    assert problems.status_code == 200
    page = text_of(problems.get_data(as_text=True))
    assert "Confirmation: Kari Nordmann" in page
    assert "550 5.1.1 No such user here" in page  # the server's own answer
    assert "Ola Hansen" not in page


def test_correcting_the_address_sends_the_mail_again_to_the_new_address(mail_app, smtp_server, client, scene):
    [failed] = [m for m in outbox(mail_app) if m.status is OutboxStatus.FAILED]

    response = resend(client, scene.id, failed.id, "kari@example.org")

    assert response.status_code == 303
    assert "resent=1" in response.headers["Location"]
    drain(mail_app)
    assert [envelope[1] for envelope in smtp_server.inbox.envelopes] == [["ola@example.org"], ["kari@example.org"]]
    assert smtp_server.inbox.messages[-1]["Message-ID"] == failed.message_id  # the same mail, not a new one
    with mail_app.app_context():
        assert db.session.get(Registration, scene.kari).email == "kari@example.org"  # later mails reach her too
        [entry] = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "mail.resent")).all()
        assert entry.summary == ""  # names no one: the person is looked up when the log is read
        assert "Kari" not in json.dumps(entry.details)
        [line] = audit_queries.audit_log(scene.id)
        assert (
            line.text == "Failed mail to Kari Nordmann <kari@example.org> sent again by Owner, to a corrected address"
        )
        db.session.remove()
    page = text_of(client.get(f"/manage/events/{scene.id}/mail-problems").get_data(as_text=True))
    assert "None: every mail for this event was delivered or is on its way." in page


@pytest.mark.parametrize(
    ("address", "message"),
    [
        ("", "Please enter an email address."),
        ("kari at example", "Please enter an email address such as name@example.org."),
        ("ola@example.org", "Another person registered for this event already uses this address."),
    ],
)
def test_a_bad_address_is_refused_with_a_message_and_nothing_changes(mail_app, client, scene, address, message):
    [failed] = [m for m in outbox(mail_app) if m.status is OutboxStatus.FAILED]

    response = resend(client, scene.id, failed.id, address)

    assert response.status_code == 400
    assert message in text_of(response.get_data(as_text=True))
    [still] = [m for m in outbox(mail_app) if m.id == failed.id]
    assert (still.status, still.recipient_email) == (OutboxStatus.FAILED, "kari@exmaple.org")


def test_other_organisers_other_events_and_mails_already_resent_are_refused(
    mail_app, client, scene, create_event, create_account, log_in
):
    [failed] = [m for m in outbox(mail_app) if m.status is OutboxStatus.FAILED]
    other_event = create_event(slug="another-event")
    with mail_app.app_context():
        owner_id = db.session.scalar(select(User.id).where(User.email == "owner@example.org"))
        db.session.remove()
    other = create_event(slug="third-event", created_by_id=owner_id)

    assert resend(client, other.id, failed.id, "kari@example.org").status_code == 404  # not this event's mail
    assert client.get(f"/manage/events/{other_event.id}/mail-problems").status_code == 403
    assert resend(client, scene.id, failed.id, "kari@example.org").status_code == 303
    assert resend(client, scene.id, failed.id, "kari2@example.org").status_code == 409  # no longer failed
    assert client.post(f"/manage/events/{scene.id}/mail-problems/{failed.id}", data={}).status_code == 400

    create_account("stranger@example.org")
    stranger = mail_app.test_client()
    log_in(stranger, "stranger@example.org")
    assert stranger.get(f"/manage/events/{scene.id}/mail-problems").status_code == 403


def test_a_refused_speaker_invitation_shows_on_the_mail_problems_page(mail_app, smtp_server, client, scene):
    smtp_server.inbox.refuse.add("guro@exmaple.org")
    with mail_app.app_context():
        owner = db.session.scalar(select(User).where(User.email == "owner@example.org"))
        speaker = speaker_services.add_speaker(
            scene.id, speaker_services.SpeakerData(name="Guro Berg", email="guro@exmaple.org"), actor=owner
        )
        speaker_services.invite(speaker.id, actor=owner)
        db.session.remove()
    drain(mail_app)

    page = text_of(client.get(f"/manage/events/{scene.id}/mail-problems").get_data(as_text=True))

    assert "Speaker invitation: Guro Berg" in page


def test_the_page_says_when_no_mail_worker_is_running(client, scene):
    page = text_of(client.get(f"/manage/events/{scene.id}/mail-problems").get_data(as_text=True))

    assert "The mail service is not running, so no mail goes out." in page


def test_the_mail_problems_page_runs_a_fixed_number_of_queries(mail_app, smtp_server, client, scene, count_queries):
    with count_queries() as one:
        client.get(f"/manage/events/{scene.id}/mail-problems")
    for n in range(2):
        smtp_server.inbox.refuse.add(f"typo{n}@exmaple.org")
        with mail_app.app_context():
            services.register(scene.id, data(f"typo{n}@exmaple.org"))
            db.session.remove()
    drain(mail_app)
    with count_queries() as three:
        response = client.get(f"/manage/events/{scene.id}/mail-problems")

    assert response.get_data(as_text=True).count('class="mail-problem"') == 3
    assert three.count == one.count
