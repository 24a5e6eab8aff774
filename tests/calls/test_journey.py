"""The journey of an application on the real SMTP server of the tests: apply with an uploaded letter → the
confirmation mail → change the application through its link → the deadline passes → the organiser accepts
(with a message) → the acceptance mail, in the contact's language, with a link that shows the status."""

from __future__ import annotations

from datetime import timedelta

from eventapp.calls.models import Call
from eventapp.db import utcnow
from eventapp.extensions import db
from eventapp.mail.worker import Worker
from tests.calls.conftest import LETTER, form_for, link_in, post_multipart
from tests.registrations.conftest import csrf_token, text_of


def _drain(app) -> None:
    with app.app_context():
        Worker(batch_size=50).run(once=True)


def _body(message) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def test_apply_change_deadline_accept_on_the_real_smtp_server(
    app, mail_app, smtp_server, client, create_account, log_in, create_programme, create_call
):
    owner = create_account("owner@example.org")
    call = create_call(programme=create_programme(created_by_id=owner.id))
    url = f"/programmes/{call.programme.slug}/calls/{call.id}/apply"
    page = client.get(f"{url}?lang=sv").get_data(as_text=True)
    data = form_for(call, csrf_token=csrf_token(page))
    assert post_multipart(client, url, data, LETTER).status_code == 303
    _drain(mail_app)
    smtp_server.inbox.wait_for(1)
    [received] = smtp_server.inbox.messages
    assert received["To"] == "Kari Nordmann <kari.nordmann@example.org>"
    assert "har tagits emot" in received["Subject"]  # in the language the form was filled in
    token = link_in(_body(received))

    edit = client.get(f"/calls/a/{token}/edit").get_data(as_text=True)
    changed = form_for(call, contact_role="Upphandlingschef", csrf_token=csrf_token(edit))
    for gone in ("organisation_number", "country", "accept_privacy"):
        changed.pop(gone)
    assert post_multipart(client, f"/calls/a/{token}/edit", changed, None).status_code == 303

    with app.app_context():
        db.session.get(Call, call.id).closes_at = utcnow() - timedelta(seconds=1)
        db.session.commit()
    assert "Sista dagen har passerat" in text_of(client.get(f"/calls/a/{token}").get_data(as_text=True))

    organiser = app.test_client()
    log_in(organiser, "owner@example.org")
    review = text_of(organiser.get(f"/manage/calls/{call.id}/applications").get_data(as_text=True))
    assert "Bergen kommune" in review
    assert "0 accepted of 6–12" in review
    with app.app_context():
        from eventapp.calls.models import Application

        application_id = db.session.scalars(db.select(Application.id)).one()
    decision_page = organiser.get(f"/manage/calls/{call.id}/applications/{application_id}").get_data(as_text=True)
    decided = organiser.post(f"/manage/calls/{call.id}/applications/{application_id}", data={
        "csrf_token": csrf_token(decision_page), "decision": "accepted", "message": "Välkommen till dialogen!",
    })  # fmt: skip
    assert decided.status_code == 303
    _drain(mail_app)
    smtp_server.inbox.wait_for(2)
    accepted = smtp_server.inbox.messages[1]
    assert "är antagen" in accepted["Subject"]
    assert "Välkommen till dialogen!" in _body(accepted)
    status_page = text_of(client.get(f"/calls/a/{link_in(_body(accepted))}").get_data(as_text=True))
    assert "Antagen" in status_page
    assert "Upphandlingschef" in status_page
