"""Every /manage route, walked from the URL map so none is forgotten, for every kind of visitor."""

from __future__ import annotations

import re

import pytest

from eventapp.accounts.enums import Role
from eventapp.extensions import db
from eventapp.registrations import services
from tests.registrations.conftest import csrf_token
from tests.registrations.test_rules import data


@pytest.fixture
def scene(app, create_event, create_account, add_manager, create_programme):
    """An event owned by one organiser (in a programme they created), with a manager, a pending registration,
    and three outsiders."""
    owner = create_account("owner@example.org")
    manager = create_account("manager@example.org")
    create_account("other@example.org")
    create_account("admin@example.org", role=Role.ADMIN)
    from eventapp.registrations.enums import QuestionKind
    from eventapp.registrations.models import CustomQuestion, ParticipationRequirement

    programme = create_programme(created_by_id=owner.id)  # the owner's programme runs the event
    event = create_event(created_by_id=owner.id, programme=programme, requires_approval=True, agenda=2,
                         speakers_per_item=1,
                         custom_questions=[CustomQuestion(label="Diet", kind=QuestionKind.SHORT_TEXT)],
                         requirements=[ParticipationRequirement(text="We have a real need")])  # fmt: skip
    add_manager(event.id, manager.id)
    event.manager_id = manager.id
    event.owners_programme_id = programme.id
    with app.app_context():
        event.question_id = db.session.scalars(
            db.select(CustomQuestion.id).where(CustomQuestion.event_id == event.id)
        ).one()
        event.requirement_id = db.session.scalars(
            db.select(ParticipationRequirement.id).where(ParticipationRequirement.event_id == event.id)
        ).one()
        person = data("pending@example.org", answers={event.question_id: "Vegan"},
                      confirmed_requirements=frozenset({event.requirement_id}))  # fmt: skip
        registration_id = services.register(event.id, person).registration_id
        from eventapp.agenda.models import AgendaItem, AgendaItemSpeaker

        event.item_id = db.session.scalars(db.select(AgendaItem.id).where(AgendaItem.event_id == event.id)).first()
        event.speaker_id = db.session.scalars(  # the speaker of that item (the scene has one per item)
            db.select(AgendaItemSpeaker.speaker_id).where(AgendaItemSpeaker.agenda_item_id == event.item_id)
        ).first()
        from eventapp.accounts.models import User
        from eventapp.mailings.queries import Audience
        from eventapp.mailings.services import send_mailing
        from eventapp.registrations.enums import RegistrationStatus

        event.mailing_id = send_mailing(
            event.id, subject="Welcome", body="See you there.", actor=db.session.get(User, owner.id),
            audience=Audience(statuses=(RegistrationStatus.PENDING,)),
        ).id  # fmt: skip
        import io

        from eventapp.materials import services as material_services
        from eventapp.materials.enums import MaterialKind
        from eventapp.materials.uploads import Upload
        from tests.sample_files import pdf_bytes

        material = material_services.create_file_material(
            event.id, material_services.MaterialData(kind=MaterialKind.DOCUMENT, title="Report"),
            Upload(io.BytesIO(pdf_bytes()), "report.pdf"), actor=db.session.get(User, owner.id),
        )  # fmt: skip
        event.material_id, event.file_id = material.id, material.files[0].id
        from eventapp.mail.models import OutboxMessage
        from eventapp.programmes.models import ContactPerson

        event.mail_id = db.session.scalars(
            db.select(OutboxMessage.id).where(OutboxMessage.event_id == event.id).order_by(OutboxMessage.id)
        ).first()
        contact = ContactPerson(programme_id=programme.id, country="NO", name="Kari", email="kari@example.org")
        db.session.add(contact)
        from eventapp.interest.enums import SubscriptionStatus
        from eventapp.interest.models import InterestSubscription
        from eventapp.mailings.models import Mailing

        follower = InterestSubscription(
            programme_id=programme.id,
            email="follower@example.org",
            name="Follower",
            locale="nb",
            status=SubscriptionStatus.CONFIRMED,
            privacy_version="1",
        )
        news = Mailing(programme_id=programme.id, author_id=owner.id, subject="News", body="News", statuses=[],
                       versions={"nb": {"subject": "News", "body": "News"}})  # fmt: skip
        db.session.add_all([follower, news])
        db.session.commit()
        event.contact_id = contact.id
        event.call_id, event.call_question_id, event.application_id = _call_with_an_application(programme.id)
        event.subscription_id, event.news_id = follower.id, news.id
        from eventapp.programmes.enums import PartnerKind, PersonGroup
        from eventapp.programmes.models import ProgrammePartner, ProgrammePerson

        partner = ProgrammePartner(programme_id=programme.id, kind=PartnerKind.FUNDER, name="Fund")
        person = ProgrammePerson(programme_id=programme.id, group=PersonGroup.BOARD, name="Bo")
        db.session.add_all([partner, person])
        db.session.commit()
        event.contact_id = contact.id
        event.partner_id, event.person_id = partner.id, person.id
        from eventapp.surveys import services as surveys
        from eventapp.surveys.enums import SurveyQuestionKind

        surveys.save_survey(event.id, surveys.SurveyData(anonymous=True), actor=db.session.get(User, owner.id))
        event.survey_question_id = surveys.add_question(
            event.id, surveys.SurveyQuestionData("How was it?", SurveyQuestionKind.SCALE),
            actor=db.session.get(User, owner.id),
        ).id  # fmt: skip
    return event, registration_id


def _call_with_an_application(programme_id: int) -> tuple[int, int, int]:
    """A call on the owner's programme, with a question and an application with a letter (in the caller's
    app context)."""
    import io
    from datetime import timedelta

    from eventapp.calls import services as call_services
    from eventapp.calls.enums import CallKind, LetterPolicy
    from eventapp.calls.letters import Upload
    from eventapp.calls.models import Call, CallQuestion
    from eventapp.db import utcnow
    from eventapp.registrations.enums import OrganisationType, QuestionKind
    from tests.sample_files import pdf_bytes

    now = utcnow()
    call = Call(programme_id=programme_id, kind=CallKind.PARTICIPATION, title="Buyer dialogue", language="en",
                timezone="Europe/Oslo", opens_at=now - timedelta(days=1), closes_at=now + timedelta(days=9),
                target_min=1, target_max=2, letter_policy=LetterPolicy.OPTIONAL)  # fmt: skip
    call.questions = [CallQuestion(label="Why?", kind=QuestionKind.SHORT_TEXT)]
    db.session.add(call)
    db.session.commit()
    call_id, question_id = call.id, call.questions[0].id
    application = call_services.ApplicationData(
        organisation="Bergen kommune", organisation_number="974760673", organisation_type=OrganisationType.MUNICIPALITY,
        country="NO", contact_name="Kari", contact_role="Adviser", contact_email="kari.n@example.org",
        contact_phone="", locale="en", consent_public=True, accept_privacy=True,
    )  # fmt: skip
    result = call_services.apply(call_id, application, Upload(io.BytesIO(pdf_bytes()), "letter.pdf"))
    return call_id, question_id, result.application_id


def manage_urls(app, event, registration_id: int) -> list[tuple[str, str, bool]]:
    """(method, url, is about one event) for every /manage rule."""
    values = {
        "event_id": event.id,
        "registration_id": registration_id,
        "action": "approve",
        "item_id": event.item_id,
        "speaker_id": event.speaker_id,
        "user_id": event.manager_id,
        "question_id": event.question_id,
        "requirement_id": event.requirement_id,
        "programme_id": event.owners_programme_id,
        "mailing_id": event.mailing_id,
        "material_id": event.material_id,
        "file_id": event.file_id,
        "mail_id": event.mail_id,
        "contact_id": event.contact_id,
        "call_id": event.call_id,
        "call_question_id": event.call_question_id,
        "application_id": event.application_id,
        "subscription_id": event.subscription_id,
        "news_id": event.news_id,
        "partner_id": event.partner_id,
        "person_id": event.person_id,
        "survey_question_id": event.survey_question_id,
    }
    # Routes that end the scene (cancel the event, send it back to draft) go last.
    last = ("/cancel", "/unpublish", "/remove")
    urls = []
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/manage"):
            continue
        method = "GET" if "GET" in rule.methods else "POST"
        url = re.sub(r"<(?:[a-z]+:)?([a-z_]+)>", lambda m: str(values[m.group(1)]), rule.rule)
        urls.append((method, url, "event_id" in rule.arguments))
    assert len(urls) >= 5, urls  # the walk found the back office
    return sorted(urls, key=lambda u: (u[0] == "POST" and u[1].endswith(last), u[0] == "POST"))


def refused(url: str, who: str) -> bool:
    """Pages not about the event that some organisers still may not use: organiser accounts and who runs
    the site and its change log are for administrators; a programme's pages (its change log too) for its
    creator (the owner, here) and administrators."""
    if url.startswith(("/manage/accounts", "/manage/site", "/manage/audit")):
        return who != "admin@example.org"
    if re.match(r"^/manage/(programmes|calls)/\d+/", url):
        return who not in ("owner@example.org", "admin@example.org")
    return False


def visit(client, method: str, url: str):
    if method == "GET":
        response = client.get(url)
        response.get_data()  # a file download is a stream: buffer it and let go of the file
        response.close()
        return response
    page = (
        client.get("/manage/").get_data(as_text=True)
        if "csrf_token" in client.get("/manage/").get_data(as_text=True)
        else ""
    )
    token = csrf_token(page) if page else csrf_token(client.get("/login").get_data(as_text=True))
    return client.post(url, data={"csrf_token": token})


def test_anonymous_visitors_are_sent_to_sign_in_everywhere(app, client, scene):
    event, registration_id = scene
    for method, url, _ in manage_urls(app, event, registration_id):
        response = client.get(url) if method == "GET" else client.post(url, data={})
        assert response.status_code in (302, 400), (method, url)  # 400: a POST without a CSRF token
        if response.status_code == 302:
            assert response.headers["Location"].startswith("/login?next="), url


def test_another_organiser_gets_403_on_every_event_page_and_sees_nothing(app, client, scene, log_in):
    event, registration_id = scene
    log_in(client, "other@example.org")
    for method, url, about_event in manage_urls(app, event, registration_id):
        response = visit(client, method, url)
        if about_event or refused(url, "other@example.org"):
            assert response.status_code == 403, (method, url)
        else:
            assert response.status_code == 200, (method, url)
            assert event.title not in response.get_data(as_text=True)


@pytest.mark.parametrize("who", ["owner@example.org", "manager@example.org", "admin@example.org"])
def test_owner_manager_and_admin_may_use_every_route(app, client, scene, log_in, who):
    event, registration_id = scene
    log_in(client, who)
    for method, url, _ in manage_urls(app, event, registration_id):
        response = visit(client, method, url)
        if refused(url, who):
            assert response.status_code == 403, (who, method, url)
        elif method == "GET":
            assert response.status_code == 200, (who, method, url)
        elif "/team" in url and who == "manager@example.org":
            assert response.status_code == 403, url  # only the owner or an admin changes the team
        else:  # allowed in; an empty form may be refused (400) or the state may not allow it (409)
            assert response.status_code in (303, 400, 409), (who, method, url, response.status_code)
    with app.app_context():
        from eventapp.registrations.models import Registration

        assert db.session.get(Registration, registration_id).status.value == "confirmed"  # approved by POST


def test_back_office_pages_are_never_cached(client, scene, log_in):
    log_in(client, "owner@example.org")
    assert client.get("/manage/").headers["Cache-Control"] == "private, no-store"


def test_nonsense_in_the_query_string_never_gives_a_server_error(app, client, scene, log_in):
    """Every back-office page, asked with junk in every parameter a page reads, answers a page (or a 400
    that says what was wrong), never a 500."""
    event, registration_id = scene
    log_in(client, "admin@example.org")
    junk = "?page=abc&status=zz&into=zz&statuses=zz&attendance=zz&q=%00%ff&kind=zz&country=ZZZ&sent=x&retried=x"
    for method, url, _ in manage_urls(app, event, registration_id):
        if method != "GET":
            continue
        response = client.get(url + junk)
        response.close()
        assert response.status_code < 500, (url, response.status_code)


def test_a_nul_character_in_any_back_office_form_gives_a_400_not_a_500(app, client, scene, log_in):
    """A NUL byte cannot be typed and PostgreSQL cannot store it: every form that receives one says so."""
    event, registration_id = scene
    log_in(client, "admin@example.org")
    token = csrf_token(client.get("/manage/").get_data(as_text=True))
    fields = ("name", "title", "subject", "body", "label", "email", "text", "summary", "description_md", "note",
              "message", "url", "q", "slug", "organisation", "help_text", "choices", "reminder_note")  # fmt: skip
    data = dict.fromkeys(fields, "Bergen\x00kommune")
    for method, url, _ in manage_urls(app, event, registration_id):
        if method != "POST":
            continue
        response = client.post(url, data={**data, "csrf_token": token})
        response.close()
        assert response.status_code == 400, (url, response.status_code)
        assert "cannot be stored (NUL)" in response.get_data(as_text=True)
