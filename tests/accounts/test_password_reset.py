"""An organiser who forgot their password gets a link by mail, usable once, for an hour."""

from __future__ import annotations

import re

from eventapp.extensions import db
from eventapp.mail.models import OutboxMessage
from tests.registrations.conftest import csrf_token, text_of


def ask(client, email: str):
    token = csrf_token(client.get("/password-reset").get_data(as_text=True))
    return client.post("/password-reset", data={"csrf_token": token, "email": email})


def test_reset_by_mailed_link_then_the_link_is_spent(app, client, create_account, log_in):
    create_account("kari@example.org")

    known = ask(client, "KARI@example.org")
    unknown = ask(client, "nobody@example.org")
    with app.app_context():
        [mail] = db.session.scalars(db.select(OutboxMessage)).all()
    link = re.search(r"http://eventapp\.test(/password-reset/\S+)", mail.body_text).group(1)
    form_token = csrf_token(client.get(link).get_data(as_text=True))
    mismatch = client.post(link, data={"csrf_token": form_token, "password": "a new long password",
                                       "confirm": "another long password"})  # fmt: skip
    done = client.post(link, data={"csrf_token": form_token, "password": "a new long password",
                                   "confirm": "a new long password"})  # fmt: skip
    again = client.post(link, data={"csrf_token": form_token, "password": "yet another password",
                                    "confirm": "yet another password"})  # fmt: skip

    assert text_of(known.get_data(as_text=True)) == text_of(unknown.get_data(as_text=True))  # tells nothing
    assert mail.recipient_email == "kari@example.org"
    assert mismatch.status_code == 400
    assert "The two passwords are not the same." in text_of(mismatch.get_data(as_text=True))
    assert done.status_code == 303
    assert again.status_code == 404
    assert "This link has expired or has already been used." in text_of(again.get_data(as_text=True))
    assert log_in(client, "kari@example.org", "a new long password").status_code == 303
    client.post("/logout", data={"csrf_token": csrf_token(client.get("/manage/").get_data(as_text=True))})
    assert log_in(client, "kari@example.org").status_code == 400  # the old password is gone


def test_a_forged_link_is_refused(client):
    page = client.get("/password-reset/forged.token.value")
    token = csrf_token(page.get_data(as_text=True))

    fields = {"csrf_token": token, "password": "long enough pw", "confirm": "long enough pw"}
    response = client.post("/password-reset/forged.token.value", data=fields)

    assert response.status_code == 404
