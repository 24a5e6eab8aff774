"""Events for the organisations accepted to a call: the accepted contact's link lets the people of that
organisation sign up within the event's organisation quota; anyone else is told whom to ask."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from eventapp.accounts.models import User
from eventapp.calls import restricted, services
from eventapp.calls.enums import ApplicationStatus
from eventapp.extensions import db
from eventapp.mail.models import OutboxMessage
from eventapp.registrations.enums import OrganisationType
from eventapp.registrations.gates import NotAdmitted
from eventapp.registrations.models import Registration
from eventapp.registrations.services import RegistrationData, register
from tests.calls.conftest import link_in, next_number
from tests.registrations.conftest import FORM, csrf_token, text_of


def _application(call_id: int, name: str) -> services.ApplyResult:
    return services.apply(call_id, services.ApplicationData(
        organisation=name, organisation_number=next_number(), organisation_type=OrganisationType.MUNICIPALITY,
        country="NO", contact_name="Kari", contact_role="Adviser", contact_email=f"{name[:4].lower()}@example.org",
        contact_phone="", locale="en", consent_public=False, accept_privacy=True,
    ))  # fmt: skip


def _sign_up(client, slug: str, email: str, pass_token: str = ""):
    query = f"?pass={pass_token}" if pass_token else ""
    page = client.get(f"/events/{slug}/register{query}").get_data(as_text=True)
    token = csrf_token(page) if 'name="csrf_token"' in page else ""
    data = {**FORM, "email": email, "organisation": "Typed Org", "csrf_token": token}
    return client.post(f"/events/{slug}/register{query}", data=data)


def test_the_accepted_contact_signs_colleagues_up_within_the_quota_and_others_are_told_whom_to_ask(
    app, client, create_account, create_programme, create_call, create_event
):
    owner = create_account("owner@example.org")
    programme = create_programme(created_by_id=owner.id)
    call = create_call(programme=programme, requirements=(), letter_policy="optional")
    event = create_event(programme=programme, quota_per_organisation=2, title="Closed workshop")
    with app.app_context():
        actor = db.session.get(User, owner.id)
        restricted.set_restricted_events(call.id, {event.id}, actor=actor)
        accepted = _application(call.id, "Bergen kommune")
        other = _application(call.id, "Oslo kommune")
        services.decide(accepted.application_id, ApplicationStatus.ACCEPTED, message="", actor=actor)
        mail = db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id.desc())).first()
        assert f"/events/{event.slug}/register?pass=" in mail.body_text  # the acceptance mail has the link
        pass_token = link_in(mail.body_text)

    own = text_of(client.get(f"/calls/a/{pass_token}").get_data(as_text=True))
    assert "Closed workshop" in own

    assert _sign_up(client, event.slug, "one@example.org", pass_token).status_code == 303
    assert _sign_up(client, event.slug, "two@example.org", pass_token).status_code == 303
    third = _sign_up(client, event.slug, "three@example.org", pass_token)
    assert third.status_code == 409
    assert "the most this event takes from one organisation" in text_of(third.get_data(as_text=True))
    with app.app_context():
        organisations = set(db.session.scalars(select(Registration.organisation)))
    assert organisations == {"Bergen kommune"}  # the pass's organisation, whatever was typed

    for refused_pass in ("", other.token, "x" * 32):
        page = client.get(f"/events/{event.slug}/register" + (f"?pass={refused_pass}" if refused_pass else ""))
        text = text_of(page.get_data(as_text=True))
        assert "only for the organisations taking part" in text
        assert 'name="organisation"' not in page.get_data(as_text=True)
        assert _sign_up(client, event.slug, "mallory@example.org", refused_pass).status_code == 403
    with app.app_context():
        assert len(db.session.scalars(select(Registration.id)).all()) == 2


def test_an_event_no_call_restricts_is_open_to_everyone(client, create_event):
    event = create_event()
    assert _sign_up(client, event.slug, "anyone@example.org").status_code == 303


def _person(email: str, pass_token: str = "") -> RegistrationData:
    return RegistrationData(
        name="Ola", email=email, organisation="Typed Org", organisation_type=OrganisationType.COMPANY, country="SE",
        accept_privacy=True, locale="en", pass_token=pass_token,
    )  # fmt: skip


def test_the_sign_up_service_itself_refuses_a_restricted_event_without_a_pass(
    app, create_account, create_programme, create_call, create_event
):
    """Any way of signing up (an API, a form of tomorrow) goes through the gate: it is inside the use case."""
    owner = create_account("owner@example.org")
    programme = create_programme(created_by_id=owner.id)
    call = create_call(programme=programme, requirements=(), letter_policy="optional")
    event = create_event(programme=programme, title="Closed workshop")
    with app.app_context():
        actor = db.session.get(User, owner.id)
        restricted.set_restricted_events(call.id, {event.id}, actor=actor)
        accepted = _application(call.id, "Bergen kommune")
        other = _application(call.id, "Oslo kommune")
        services.decide(accepted.application_id, ApplicationStatus.ACCEPTED, message="", actor=actor)
        for refused_pass in ("", other.token, "x" * 43):
            with pytest.raises(NotAdmitted) as refused:
                register(event.id, _person("mallory@example.org", refused_pass))
            assert "only for the organisations taking part" in str(refused.value.message)
        assert db.session.scalars(select(Registration.id)).all() == []

        result = register(event.id, _person("ola@example.org", accepted.token))
        registration = db.session.get(Registration, result.registration_id)
        assert (registration.organisation, registration.country) == ("Bergen kommune", "NO")  # the pass's
        by_hand = register(event.id, _person("guest@example.org"), added_by=actor)  # the organiser vouches
        assert db.session.get(Registration, by_hand.registration_id).organisation == "Typed Org"
