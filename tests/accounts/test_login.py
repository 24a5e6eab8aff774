"""Organisers sign in and out; passwords are hashed; attempts are limited."""

from __future__ import annotations

from sqlalchemy import select

from eventapp.accounts.models import User
from eventapp.extensions import db
from tests.account_fixtures import PASSWORD
from tests.registrations.conftest import csrf_token, text_of


def test_an_organiser_signs_in_and_out(client, create_account, log_in):
    create_account("kari@example.org")

    response = log_in(client, " KARI@example.org ")
    dashboard = client.get("/manage/")
    page = dashboard.get_data(as_text=True)
    logout = client.post("/logout", data={"csrf_token": csrf_token(page)})

    assert response.status_code == 303
    assert response.headers["Location"] == "/manage/"
    assert dashboard.status_code == 200
    assert "Your events" in text_of(page)
    assert logout.status_code == 303
    assert client.get("/manage/").status_code == 302  # signed out: back to the sign-in page


def test_a_wrong_password_or_address_gets_the_same_answer(client, create_account, log_in):
    create_account("kari@example.org")

    wrong_password = log_in(client, "kari@example.org", "not the password")
    unknown = log_in(client, "nobody@example.org", "whatever it is")

    assert wrong_password.status_code == unknown.status_code == 400
    message = "The email address or the password is not right."
    assert message in text_of(wrong_password.get_data(as_text=True))
    assert message in text_of(unknown.get_data(as_text=True))
    assert 'value="kari@example.org"' in wrong_password.get_data(as_text=True)  # the address is kept


def test_passwords_are_stored_hashed(app, create_account):
    create_account("kari@example.org")
    with app.app_context():
        stored = db.session.scalars(select(User.password_hash)).one()
    assert PASSWORD not in stored
    assert stored.startswith("scrypt:")


def test_after_signing_in_the_organiser_lands_where_they_were_going_but_never_off_site(client, create_account, log_in):
    create_account("kari@example.org")

    to_login = client.get("/manage/")
    page = client.get(to_login.headers["Location"]).get_data(as_text=True)
    offsite = client.post(
        "/login",
        data={"csrf_token": csrf_token(page), "email": "kari@example.org", "password": PASSWORD,
              "next": "//evil.example/steal"},
    )  # fmt: skip

    assert to_login.headers["Location"].startswith("/login?next=")
    assert offsite.headers["Location"] == "/manage/"


def test_sign_in_attempts_are_limited(app, client, create_account, log_in):
    create_account("kari@example.org")
    app.config["RATELIMIT_LOGIN"] = "3 per minute"
    try:
        codes = [log_in(client, "kari@example.org", f"guess number {i}").status_code for i in range(4)]
    finally:
        app.config["RATELIMIT_LOGIN"] = "5 per minute;30 per hour"

    assert codes == [400, 400, 400, 429]


def test_a_deactivated_account_cannot_sign_in(app, client, create_account, log_in):
    user = create_account("kari@example.org")
    with app.app_context():
        db.session.get(User, user.id).active = False
        db.session.commit()

    assert log_in(client, "kari@example.org").status_code == 400


def test_create_organiser_command(app):
    runner = app.test_cli_runner()

    made = runner.invoke(args=["create-organiser", "ola@example.org", "--password", "long enough password", "--admin"])
    taken = runner.invoke(args=["create-organiser", "OLA@example.org", "--password", "long enough password"])
    short = runner.invoke(args=["create-organiser", "per@example.org", "--password", "short"])

    assert made.exit_code == 0, made.output
    assert "Created administrator ola@example.org" in made.output
    assert taken.exit_code == 1
    assert "There is already an account for ola@example.org." in taken.output
    assert short.exit_code == 1
    assert "Use at least 10 characters." in short.output
