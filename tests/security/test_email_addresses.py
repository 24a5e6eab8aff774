"""Email addresses: one validator for every form that takes one (email-validator underneath)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from eventapp.accounts.enums import Role
from eventapp.accounts.models import User
from eventapp.addresses import InvalidEmailAddress, normalise_email
from eventapp.extensions import db
from tests.registrations.conftest import csrf_token, text_of

INVISIBLE = "The email address contains an invisible or formatting character"
NOT_ASCII = "Please use an address with only the letters a–z, digits and . _ - + before the @ sign."
SHAPE = "Please enter an email address such as name@example.org."


@pytest.mark.parametrize(
    ("raw", "stored"),
    [
        ("  Asa.Lindqvist@EXAMPLE.org ", "asa.lindqvist@example.org"),
        ("per@Bæ.no", "per@xn--b-4fa.no"),  # IDN domains in their ASCII form: every SMTP server takes them
        ("per@xn--b-4fa.no", "per@xn--b-4fa.no"),  # ... so both spellings are one address
        ("first.last+events@example.org", "first.last+events@example.org"),
    ],
)
def test_addresses_are_stored_in_one_normal_form(raw, stored):
    assert normalise_email(raw) == stored


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("same\u200b@example.org", INVISIBLE),  # zero-width space
        ("same@exam\u00adple.org", INVISIBLE),  # soft hyphen
        ("same@example.org\u202e", INVISIBLE),  # right-to-left override
        ("\ufeffsame@example.org", INVISIBLE),  # byte-order mark
        ("sa\u200dme@example.org", INVISIBLE),  # zero-width joiner
        ("same\x00@example.org", INVISIBLE),
        ("same\r\nBcc: x@evil.example@example.org", INVISIBLE),
        ("øystein@example.org", NOT_ASCII),  # needs SMTPUTF8: would fail in the outbox forever
        ("a,b@example.org", SHAPE),  # crashed the calendar builder
        ("a b@example.org", SHAPE),
        ('"a b"@example.org', SHAPE),
        ("a@[127.0.0.1]", SHAPE),
        ("a@localhost", SHAPE),
        ("a@b", SHAPE),
        ("a@@example.org", SHAPE),
        ("x" * 250 + "@example.org", SHAPE),
    ],
)
def test_unusable_addresses_are_refused_with_a_message(raw, message):
    with pytest.raises(InvalidEmailAddress) as refused:
        normalise_email(raw)
    assert refused.value.message.startswith(message)


def test_an_invisible_character_does_not_make_a_second_registration(client, sign_up, create_event, registrations):
    event = create_event()
    sign_up(event.slug, email="same@example.org")

    response = sign_up(event.slug, email="same\u200b@example.org")

    assert response.status_code == 400
    assert INVISIBLE in text_of(response.get_data(as_text=True))
    assert [r.email for r in registrations(event.id)] == ["same@example.org"]


@pytest.mark.parametrize(
    ("email", "message"),
    [("a,b@example.org", SHAPE), ("øystein@example.org", NOT_ASCII), ("eve@exam\u00adple.org", INVISIBLE)],
)
def test_the_sign_up_form_refuses_unusable_addresses_without_storing_or_mailing(
    sign_up, create_event, registrations, outbox, email, message
):
    event = create_event()

    response = sign_up(event.slug, email=email)

    assert response.status_code == 400
    assert message in text_of(response.get_data(as_text=True))
    assert registrations(event.id) == []
    assert outbox() == []


def test_an_idn_domain_registers_once_whichever_way_it_is_written(sign_up, create_event, registrations, outbox):
    event = create_event()

    first = sign_up(event.slug, email="Per@Bæ.no")
    second = sign_up(event.slug, email="per@xn--b-4fa.no")

    assert first.status_code == second.status_code == 303
    assert [r.email for r in registrations(event.id)] == ["per@xn--b-4fa.no"]
    assert [m.kind for m in outbox()] == ["registration_confirmed", "registration_already_registered"]


def _post_form(client, url: str, data: dict[str, str]):
    page = client.get(url).get_data(as_text=True)
    return client.post(url, data={**data, "csrf_token": csrf_token(page)})


def test_lost_link_login_and_password_reset_refuse_a_hidden_character(app, client, create_event):
    app.config["EVENTAPP_LOST_LINK_SECONDS"] = 0
    event = create_event()

    answers = [
        _post_form(client, f"/events/{event.slug}/lost-link", {"email": "a,b@example.org"}),
        _post_form(client, "/login", {"email": "same\u200b@example.org", "password": "whatever long"}),
        _post_form(client, "/password-reset", {"email": "same\u200b@example.org"}),
    ]

    assert [a.status_code for a in answers] == [400, 400, 400]
    assert SHAPE in text_of(answers[0].get_data(as_text=True))
    assert INVISIBLE in text_of(answers[1].get_data(as_text=True))
    assert INVISIBLE in text_of(answers[2].get_data(as_text=True))


def test_back_office_forms_refuse_and_normalise_addresses(app, client, create_event, create_account, log_in):
    admin = create_account("admin@example.org", Role.ADMIN)
    event = create_event(created_by_id=admin.id)
    log_in(client, "admin@example.org")
    person = {"name": "Ingrid Sæther", "organisation": "DFØ", "organisation_type": "state", "country": "NO"}

    add_person = f"/manage/events/{event.id}/registrations/new"
    refused_person = _post_form(client, add_person, {**person, "email": "ingrid\u200b@example.org"})
    refused_account = _post_form(client, "/manage/accounts/new",
                                 {"name": "Kari", "email": "kari@exa\u00admple.org", "role": "organiser"})  # fmt: skip
    added_account = _post_form(client, "/manage/accounts/new",
                               {"name": "Kari", "email": "Kari@Bæ.no", "role": "organiser"})  # fmt: skip

    assert refused_person.status_code == refused_account.status_code == 400
    assert INVISIBLE in text_of(refused_person.get_data(as_text=True))
    assert INVISIBLE in text_of(refused_account.get_data(as_text=True))
    assert added_account.status_code == 303
    with app.app_context():
        assert "kari@xn--b-4fa.no" in set(db.session.scalars(select(User.email)))
