"""Calls in the back office: opening and changing a call, its questions, the review list with its
filters and counter, and decisions (mailed, confirmed past the target, locked against a race)."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from eventapp.accounts.models import User
from eventapp.calls import services, setup
from eventapp.calls.enums import ApplicationStatus
from eventapp.calls.models import Application, Call
from eventapp.db import utcnow
from eventapp.extensions import db
from eventapp.mail.models import OutboxMessage
from eventapp.registrations.enums import OrganisationType
from tests.calls.conftest import next_number
from tests.registrations.conftest import csrf_token, text_of


@pytest.fixture
def owner(create_account):
    return create_account("owner@example.org")


def _data(number: str, *, country: str = "NO", name: str = "Org", locale: str = "en") -> services.ApplicationData:
    """An application confirming every requirement there is (in the caller's app context)."""
    from eventapp.calls.models import CallRequirement

    return services.ApplicationData(
        confirmed_requirements=frozenset(db.session.scalars(select(CallRequirement.id))),
        organisation=name, organisation_number=number, organisation_type=OrganisationType.MUNICIPALITY,
        country=country, contact_name="Contact", contact_role="Adviser", contact_email=f"c{number}@example.org",
        contact_phone="", locale=locale, consent_public=True, accept_privacy=True,
        letter_statement="We take part.", letter_signatory_name="Boss", letter_signatory_role="Director",
    )  # fmt: skip


def _applications(app, call_id: int, count: int, **kwargs) -> list[int]:
    with app.app_context():
        return [services.apply(call_id, _data(next_number(), name=f"Org {i:03d}", **kwargs)).application_id
                for i in range(count)]  # fmt: skip


def test_an_organiser_opens_a_call_and_changes_it(app, client, owner, log_in, create_programme):
    programme = create_programme(created_by_id=owner.id)
    log_in(client, "owner@example.org")
    page = client.get(f"/manage/programmes/{programme.id}/calls/new").get_data(as_text=True)
    form = {
        "csrf_token": csrf_token(page), "kind": "participation", "title": "Nordic buyer dialogue",
        "language": "en", "timezone": "Europe/Oslo", "opens_at": "2026-01-05T09:00", "closes_at": "2036-09-25T23:59",
        "target_min": "6", "target_max": "12", "letter_policy": "required",
        "requirements": "Management anchoring\nA need to buy",
    }  # fmt: skip
    response = client.post(f"/manage/programmes/{programme.id}/calls/new", data=form)
    assert response.status_code == 303, text_of(response.get_data(as_text=True))
    with app.app_context():
        call = db.session.scalars(select(Call)).one()
        assert [r.text for r in call.requirements] == ["Management anchoring", "A need to buy"]
        assert call.local_closes_at.hour == 23
        assert call.local_closes_at.utcoffset() == timedelta(hours=2)
        call_id = call.id
    edit = client.get(f"/manage/calls/{call_id}/edit").get_data(as_text=True)
    form.update(csrf_token=csrf_token(edit), target_max="10")
    assert client.post(f"/manage/calls/{call_id}/edit", data=form).status_code == 303
    question = {"csrf_token": csrf_token(edit), "q-label": "How many buyers?", "q-kind": "short_text"}
    assert client.post(f"/manage/calls/{call_id}/questions", data=question).status_code == 303
    with app.app_context():
        call = db.session.get(Call, call_id)
        assert call.target_max == 10
        assert [q.label for q in call.questions] == ["How many buyers?"]


def test_a_call_closing_before_it_opens_is_refused(app, client, owner, log_in, create_programme):
    programme = create_programme(created_by_id=owner.id)
    log_in(client, "owner@example.org")
    page = client.get(f"/manage/programmes/{programme.id}/calls/new").get_data(as_text=True)
    response = client.post(f"/manage/programmes/{programme.id}/calls/new", data={
        "csrf_token": csrf_token(page), "kind": "membership", "title": "Join", "language": "en",
        "timezone": "Europe/Oslo", "opens_at": "2030-01-05T09:00", "closes_at": "2030-01-04T09:00",
        "target_min": "1", "target_max": "5", "letter_policy": "not_asked",
    })  # fmt: skip
    assert response.status_code == 400
    assert "must close after it opens" in text_of(response.get_data(as_text=True))


@pytest.mark.parametrize(("opens_at", "closes_at"), [("2026-01-05T09:00", "0001-01-01T00:00"),
                                                   ("0001-01-01T00:30", "2030-01-04T09:00"),
                                                   ("9999-12-31T22:00", "9999-12-31T23:59")])  # fmt: skip
def test_a_date_outside_the_years_the_service_plans_in_is_refused_with_a_message(
    app, client, owner, log_in, create_programme, opens_at, closes_at
):
    programme = create_programme(created_by_id=owner.id)
    log_in(client, "owner@example.org")
    page = client.get(f"/manage/programmes/{programme.id}/calls/new").get_data(as_text=True)
    response = client.post(f"/manage/programmes/{programme.id}/calls/new", data={
        "csrf_token": csrf_token(page), "kind": "membership", "title": "Join", "language": "en",
        "timezone": "Europe/Oslo", "opens_at": opens_at, "closes_at": closes_at,
        "target_min": "1", "target_max": "5", "letter_policy": "not_asked",
    })  # fmt: skip
    assert response.status_code == 400
    assert "Give a date between the years 2000 and 2199." in text_of(response.get_data(as_text=True))
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Call)) == 0


def test_confirmed_requirements_cannot_be_removed(app, owner, create_call):
    call = create_call(letter_policy="optional")
    _applications(app, call.id, 1)
    with app.app_context():
        data = setup.CallData(kind=call.kind, title=call.title, opens_at=call.opens_at, closes_at=call.closes_at,
                                 target_min=1, target_max=2, letter_policy=call.letter_policy, timezone="Europe/Oslo",
                                 language="en", requirements=("Something else",))  # fmt: skip
        with pytest.raises(services.ValidationFailed):
            setup.update_call(call.id, data, actor=db.session.get(User, owner.id))


def test_the_review_list_shows_the_counter_and_keeps_its_query_count(app, client, owner, log_in, create_call,
                                                                     create_programme, count_queries):  # fmt: skip
    call = create_call(programme=create_programme(created_by_id=owner.id),
                       questions=[("Why?", "short_text", "")], target_min=1, target_max=3)  # fmt: skip
    log_in(client, "owner@example.org")
    ids = _applications(app, call.id, 3)
    with app.app_context():
        services.decide(ids[0], ApplicationStatus.ACCEPTED, message="", actor=db.session.get(User, owner.id))
    with count_queries() as few:
        page = client.get(f"/manage/calls/{call.id}/applications")
    text = text_of(page.get_data(as_text=True))
    assert "1 accepted of 1–3" in text
    assert '<progress max="3" value="1"' in page.get_data(as_text=True)
    _applications(app, call.id, 30)
    with count_queries() as many:
        page = client.get(f"/manage/calls/{call.id}/applications?sort=organisation&country=NO")
    assert page.status_code == 200
    assert many.count == few.count, (few.statements, many.statements)
    accepted_only = text_of(client.get(f"/manage/calls/{call.id}/applications?status=accepted").get_data(as_text=True))
    assert "Org 000" in accepted_only
    assert "Org 001" not in accepted_only


def test_accepting_mails_the_contact_in_their_language(app, owner, create_call):
    call = create_call(letter_policy="optional")
    with app.app_context():
        application_id = services.apply(call.id, _data(next_number(), locale="nb")).application_id
        services.decide(application_id, ApplicationStatus.ACCEPTED, message="Velkommen!\nBcc: x",
                        actor=db.session.get(User, owner.id))  # fmt: skip
        mail = db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id.desc())).first()
        assert mail.subject == "Søknaden din til «Nordic buyer dialogue: zero-emission deliveries» er godtatt"
        assert "Velkommen!" in mail.body_text
        assert "\n" not in mail.subject


def test_accepting_past_the_top_of_the_range_asks_for_confirmation(app, client, owner, log_in, create_call,
                                                                   create_programme):  # fmt: skip
    call = create_call(programme=create_programme(created_by_id=owner.id), target_min=1, target_max=1)
    first, second = _applications(app, call.id, 2)
    log_in(client, "owner@example.org")
    for application_id, expected in ((first, 303), (second, 409)):
        page = client.get(f"/manage/calls/{call.id}/applications/{application_id}").get_data(as_text=True)
        response = client.post(f"/manage/calls/{call.id}/applications/{application_id}",
                               data={"csrf_token": csrf_token(page), "decision": "accepted"})  # fmt: skip
        assert response.status_code == expected
    assert "already has 1 accepted" in text_of(response.get_data(as_text=True))
    confirm = {"csrf_token": csrf_token(response.get_data(as_text=True)), "decision": "accepted", "confirmed": "1"}
    assert client.post(f"/manage/calls/{call.id}/applications/{second}", data=confirm).status_code == 303
    with app.app_context():
        assert services.accepted_count(call.id) == 2


@pytest.mark.postgres_only
def test_two_organisers_accepting_at_once_cannot_pass_the_range_unnoticed(app, owner, create_call):
    call = create_call(letter_policy="optional", target_min=1, target_max=1)
    ids = _applications(app, call.id, 2)
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def accept(application_id: int) -> None:
        with app.app_context():
            actor = db.session.get(User, owner.id)
            db.session.rollback()
            barrier.wait()
            try:
                services.decide(application_id, ApplicationStatus.ACCEPTED, message="", actor=actor)
                outcomes.append("accepted")
            except services.OverTarget:
                outcomes.append("asked")
            finally:
                db.session.remove()

    threads = [threading.Thread(target=accept, args=(i,)) for i in ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert sorted(outcomes) == ["accepted", "asked"]
    with app.app_context():
        assert (
            db.session.scalar(
                select(func.count()).select_from(Application).where(Application.status == ApplicationStatus.ACCEPTED)
            )
            == 1
        )


def test_accepted_organisations_that_consented_are_listed_on_the_programme_page(app, client, owner, create_call):
    call = create_call(letter_policy="optional")
    assert "Listed kommune" not in client.get(f"/programmes/{call.programme.slug}").get_data(as_text=True)  # cached
    with app.app_context():
        actor = db.session.get(User, owner.id)
        listed = services.apply(call.id, _data(next_number(), name="Listed kommune")).application_id
        hidden_data = _data(next_number(), name="Hidden kommune")
        from dataclasses import replace

        hidden = services.apply(call.id, replace(hidden_data, consent_public=False)).application_id
        pending = services.apply(call.id, _data(next_number(), name="Pending kommune")).application_id
        for application_id in (listed, hidden):
            services.decide(application_id, ApplicationStatus.ACCEPTED, message="", actor=actor)
        assert pending
    text = text_of(client.get(f"/programmes/{call.programme.slug}").get_data(as_text=True))
    assert "Listed kommune" in text
    assert "Hidden kommune" not in text
    assert "Pending kommune" not in text


def test_the_deadline_closes_applying(app, create_call):
    call = create_call(letter_policy="optional", closes_at=utcnow() + timedelta(seconds=1))
    with app.app_context(), pytest.raises(services.CallClosed):
        services.apply(call.id, _data(next_number()), now=utcnow() + timedelta(seconds=2))
