"""Applying to a call: the form, the letter, the confirmation mail with its link, changing and withdrawing
until the deadline, and the hostile input every public form meets."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from eventapp.calls.enums import ApplicationStatus, LetterPolicy
from eventapp.calls.models import Application
from eventapp.db import utcnow
from eventapp.extensions import db
from eventapp.mail.models import OutboxMessage
from tests.calls.conftest import LETTER, form_for, link_in, post_multipart
from tests.registrations.conftest import csrf_token, text_of


def _applications(app) -> list[Application]:
    with app.app_context():
        rows = list(db.session.scalars(select(Application).order_by(Application.id)))
        db.session.expunge_all()
        return rows


def _stored_files(app) -> list:
    from pathlib import Path

    root = Path(app.config["UPLOAD_FOLDER"])
    return [p for p in root.glob("??/??/*") if p.is_file()] + [p for p in (root / "tmp").glob("*") if p.is_file()]


def test_call_page_shows_deadline_in_the_calls_zone_and_the_checklist(client, create_call):
    call = create_call()
    page = client.get(f"/programmes/{call.programme.slug}/calls/{call.id}?lang=nb").get_data(as_text=True)
    text = text_of(page)
    assert call.title in text
    assert "sentraleuropeisk" in text  # the zone, named in the visitor's language
    assert "Our leadership has anchored the project" in text
    assert f"/programmes/{call.programme.slug}/calls/{call.id}/apply" in page


def test_open_call_is_listed_on_the_programme_page_and_programmes(client, create_call, create_programme):
    call = create_call()
    closed = create_call(programme=create_programme(), title="An old call", closes_at=utcnow() - timedelta(days=1),
                         opens_at=utcnow() - timedelta(days=30))  # fmt: skip
    for url in (f"/programmes/{call.programme.slug}", "/programmes"):
        text = text_of(client.get(url).get_data(as_text=True))
        assert call.title in text, url
        assert closed.title not in text, url


def test_apply_with_an_uploaded_letter_mails_a_personal_link(app, client, create_call, apply_to):
    call = create_call()
    response = apply_to(call)
    assert response.status_code == 303, text_of(response.get_data(as_text=True))
    [application] = _applications(app)
    assert application.status is ApplicationStatus.SUBMITTED
    assert application.organisation_number == "974760673"
    assert application.letter_file_type == "pdf"
    assert application.letter_size == len(LETTER)
    assert application.consent_public
    with app.app_context():
        [mail] = db.session.scalars(select(OutboxMessage)).all()
        assert mail.recipient_email == "kari.nordmann@example.org"
        assert call.title in mail.subject
    token = response.mailed_token
    own = client.get(f"/calls/a/{token}")
    assert own.status_code == 200
    assert "Received, not yet reviewed" in text_of(own.get_data(as_text=True))
    letter = client.get(f"/calls/a/{token}/letter")
    assert letter.data == LETTER
    assert letter.headers["X-Content-Type-Options"] == "nosniff"
    assert letter.headers["Content-Disposition"].startswith("inline")
    letter.close()


def test_the_same_organisation_number_cannot_apply_twice(app, client, create_call, apply_to):
    call = create_call()
    assert apply_to(call).status_code == 303
    again = apply_to(call, organisation_number="974760673", organisation="Bergen kommune (again)",
                     contact_email="someone.else@example.org")  # fmt: skip
    assert again.status_code == 409
    assert "already been sent" in text_of(again.get_data(as_text=True))
    assert len(_applications(app)) == 1


def test_an_invalid_organisation_number_is_refused_and_no_file_is_kept(app, create_call, apply_to):
    call = create_call()
    response = apply_to(call, organisation_number="974760674")
    assert response.status_code == 400
    assert _applications(app) == []
    assert _stored_files(app) == []


@pytest.mark.parametrize(
    ("content", "name"),
    [(b"MZ\x90\x00 not a document at all", "letter.pdf"), (b"", "empty.pdf"), (b"<html>hi</html>", "letter.docx")],
)
def test_bad_letter_files_are_refused_with_nothing_left_behind(app, create_call, apply_to, content, name):
    call = create_call()
    response = apply_to(call, letter=content, filename=name)
    assert response.status_code == 400
    assert "error" in response.get_data(as_text=True).lower()
    assert _applications(app) == []
    assert _stored_files(app) == []


def test_a_too_large_letter_is_refused(app, create_call, apply_to):
    app.config["MAX_UPLOAD_MB"], saved = 1, app.config["MAX_UPLOAD_MB"]
    try:
        response = apply_to(create_call(), letter=LETTER + b"%" * (1024 * 1024))
    finally:
        app.config["MAX_UPLOAD_MB"] = saved
    assert response.status_code in (400, 413)
    assert _applications(app) == []
    assert _stored_files(app) == []


def test_a_required_letter_can_be_typed_with_the_signatory(app, create_call, apply_to):
    call = create_call()
    missing = apply_to(call, letter=None)
    assert missing.status_code == 400
    no_signatory = apply_to(call, letter=None, letter_statement="We commit to take part.")
    assert no_signatory.status_code == 400
    typed = apply_to(call, letter=None, letter_statement="We commit to take part.",
                     letter_signatory_name="Ola Nordmann", letter_signatory_role="Kommunedirektør")  # fmt: skip
    assert typed.status_code == 303
    [application] = _applications(app)
    assert application.letter_sha256 is None
    assert application.has_letter


def test_no_letter_is_needed_when_the_call_does_not_ask(app, create_call, apply_to):
    call = create_call(letter_policy=LetterPolicy.NOT_ASKED)
    assert apply_to(call, letter=None).status_code == 303


def test_every_requirement_must_be_confirmed(app, create_call, apply_to):
    call = create_call()
    response = apply_to(call, **{call.requirements[0].field_name: None})
    assert response.status_code == 400
    assert _applications(app) == []


@pytest.mark.parametrize("field", ["organisation", "contact_name", "contact_role", "contact_phone", "contact_email"])
def test_line_breaks_in_fields_that_reach_a_mail_are_refused(app, create_call, apply_to, field):
    call = create_call()
    response = apply_to(call, **{field: "Kari\r\nBcc: victim@example.org"})
    assert response.status_code == 400
    assert _applications(app) == []


def test_change_and_replace_the_letter_through_the_link_until_the_deadline(app, client, create_call, apply_to):
    from eventapp.materials.pdf import tiny_pdf

    call = create_call()
    token = apply_to(call).mailed_token
    page = client.get(f"/calls/a/{token}/edit").get_data(as_text=True)
    new_letter = tiny_pdf("A new letter")
    data = form_for(call, contact_name="Kari Nordmann-Hansen", csrf_token=csrf_token(page))
    for gone in ("organisation_number", "country", "accept_privacy"):
        data.pop(gone)
    response = post_multipart(client, f"/calls/a/{token}/edit", data, new_letter, "new letter.pdf")
    assert response.status_code == 303, text_of(response.get_data(as_text=True))
    [application] = _applications(app)
    assert application.contact_name == "Kari Nordmann-Hansen"
    assert application.letter_name == "new letter.pdf"
    letter = client.get(f"/calls/a/{token}/letter")
    assert letter.data == new_letter
    letter.close()
    assert len(_stored_files(app)) == 1  # the replaced letter went: nothing points to it

    with app.app_context():
        from eventapp.calls.models import Call

        db.session.get(Call, call.id).closes_at = utcnow() - timedelta(minutes=1)
        db.session.commit()
    own = text_of(client.get(f"/calls/a/{token}").get_data(as_text=True))
    assert "deadline has passed" in own
    assert client.get(f"/calls/a/{token}/edit").status_code == 303
    late = dict(data, contact_name="Too Late")
    refused = post_multipart(client, f"/calls/a/{token}/edit", late, tiny_pdf("A late letter"), "late.pdf")
    assert refused.status_code == 409  # a change sent after the deadline is told so, not sent back to the page
    assert "The deadline of this call has passed" in text_of(refused.get_data(as_text=True))
    [application] = _applications(app)
    assert (application.contact_name, application.letter_name) == ("Kari Nordmann-Hansen", "new letter.pdf")
    assert len(_stored_files(app)) == 1
    closed_form = client.get(f"/programmes/{call.programme.slug}/calls/{call.id}/apply")
    assert "deadline has passed" in text_of(closed_form.get_data(as_text=True))


def test_withdraw_frees_the_organisation_number(app, client, create_call, apply_to):
    call = create_call()
    token = apply_to(call).mailed_token
    page = client.get(f"/calls/a/{token}/withdraw").get_data(as_text=True)
    assert client.post(f"/calls/a/{token}/withdraw", data={"csrf_token": csrf_token(page)}).status_code == 303
    assert _applications(app)[0].status is ApplicationStatus.WITHDRAWN
    late = post_multipart(client, f"/calls/a/{token}/edit", form_for(call, csrf_token=csrf_token(page)), None)
    assert late.status_code == 409
    assert "This application was withdrawn." in text_of(late.get_data(as_text=True))
    assert apply_to(call).status_code == 303


def test_an_unknown_link_is_404(client):
    assert client.get("/calls/a/" + "x" * 32).status_code == 404


def test_the_mail_link_opens_the_application(app, create_call, apply_to):
    call = create_call()
    apply_to(call)
    with app.app_context():
        body = db.session.scalar(select(OutboxMessage.body_text))
        assert link_in(body)
        assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == 1
