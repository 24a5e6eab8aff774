"""Answering a survey: who may, once only, anonymous answers that cannot be joined to a person, and what
erasure and the retention purge leave."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import func, inspect, select

from eventapp.events.enums import EventFormat
from eventapp.extensions import db
from eventapp.registrations import chores as registration_chores
from eventapp.registrations import privacy
from eventapp.surveys import services
from eventapp.surveys.models import SurveyAnswer, SurveyInvitation, SurveyResponse
from tests.registrations.conftest import csrf_token, text_of
from tests.surveys.conftest import check_in, end_event


def answers_for(ended, **overrides) -> dict[str, str | list[str]]:
    q = ended.questions
    values: dict[str, str | list[str]] = {
        f"q_{q['scale']}": "4",
        f"q_{q['recommend']}": "9",
        f"q_{q['single_choice']}": "Talks",
        f"q_{q['multiple_choice']}": ["Climate", "Roads"],
        f"q_{q['yes_no']}": "yes",
        f"q_{q['short_text']}": "Inspiring",
        f"q_{q['long_text']}": "More time for questions, please.",
    }
    values.update(overrides)
    return values


def answer(app, ended, email: str, **overrides):
    client = app.test_client()
    url = f"/r/{ended.token(email)}/survey"
    page = client.get(url).get_data(as_text=True)
    if 'name="csrf_token"' not in page:  # no form (answered, closed): the person's own page has a token
        page = client.get(f"/r/{ended.token(email)}").get_data(as_text=True)
    data = {k: v for k, v in answers_for(ended, **overrides).items() if v is not None}
    return client.post(url, data={**data, "csrf_token": csrf_token(page)})


def test_the_attendee_is_told_it_is_anonymous_before_answering_and_answers_once(app, make_ended):
    ended = make_ended()
    client = app.test_client()
    page = text_of(client.get(f"/r/{ended.token('ola@example.org')}/survey").get_data(as_text=True))
    assert "This survey is anonymous." in page
    assert page.index("This survey is anonymous.") < page.index("How useful was the webinar?")

    sent = answer(app, ended, "ola@example.org")
    assert sent.status_code == 303
    thanks = text_of(client.get(sent.headers["Location"]).get_data(as_text=True))
    assert "Thank you! Your answers have been received." in thanks
    again = answer(app, ended, "ola@example.org", **{f"q_{ended.questions['scale']}": "1"})
    assert again.status_code == 409
    assert "You have already answered this survey." in text_of(again.get_data(as_text=True))
    own_page = text_of(client.get(f"/r/{ended.token('ola@example.org')}").get_data(as_text=True))
    assert "You have answered the survey. Thank you!" in own_page
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(SurveyResponse)) == 1
        assert db.session.scalar(select(SurveyAnswer.value).where(
            SurveyAnswer.question_id == ended.questions["scale"])) == "4"  # fmt: skip


def test_an_anonymous_response_has_nothing_that_joins_it_to_the_person(app, make_ended):
    ended = make_ended()
    for email in ("ola@example.org", "emma@example.org"):
        assert answer(app, ended, email).status_code == 303
    with app.app_context():
        responses = list(db.session.scalars(select(SurveyResponse)))
        invitations = list(db.session.scalars(select(SurveyInvitation)))
        columns = {c.key for c in inspect(SurveyResponse).columns}
        invitation_columns = {c.key for c in inspect(SurveyInvitation).columns}
    assert all(r.registration_id is None and r.submitted_at is None for r in responses)
    assert all(len(r.id) == 32 and not r.id.isdigit() for r in responses)  # random keys, not a sequence
    assert columns == {"id", "survey_id", "registration_id", "submitted_at"}
    assert not any("answered_at" in c or c == "updated_at" for c in invitation_columns)  # no time of answering
    assert sorted(i.answered for i in invitations) == [True, True]
    assert all(i.mailed_at is None for i in invitations)  # answered from the page: never mailed, no time


def test_a_named_survey_keeps_who_and_when(app, make_ended):
    ended = make_ended(anonymous=False)
    page = text_of(app.test_client().get(f"/r/{ended.token('emma@example.org')}/survey").get_data(as_text=True))
    assert "This survey is not anonymous." in page
    assert answer(app, ended, "emma@example.org").status_code == 303
    with app.app_context():
        response = db.session.scalars(select(SurveyResponse)).one()
    assert response.registration_id == ended.people["emma@example.org"][0]
    assert response.submitted_at is not None


def test_an_online_event_asks_every_confirmed_person_until_attendance_is_recorded(app, make_ended):
    ended = make_ended()
    assert answer(app, ended, "ola@example.org").status_code == 303
    check_in(app, ended.people["emma@example.org"][0])  # now attendance is recorded: only Emma came
    refused = answer(app, ended, "liisa@example.org")
    assert refused.status_code == 403
    assert "for the people who took part" in text_of(refused.get_data(as_text=True))
    assert answer(app, ended, "emma@example.org").status_code == 303


def test_an_in_person_event_asks_only_those_checked_in(app, make_ended):
    ended = make_ended(fmt=EventFormat.IN_PERSON, venue_name="Oslo rådhus", city="Oslo")
    assert answer(app, ended, "ola@example.org").status_code == 403
    check_in(app, ended.people["ola@example.org"][0])
    assert answer(app, ended, "ola@example.org").status_code == 303


def test_the_survey_opens_when_the_event_ends(app, make_ended):
    ended = make_ended()
    end_event(app, ended.id, hours_ago=-3)  # it ends in three hours
    client = app.test_client()
    page = client.get(f"/r/{ended.token('ola@example.org')}/survey")
    assert page.status_code == 200
    assert "The survey opens when the event has ended." in text_of(page.get_data(as_text=True))
    assert "Answer the survey" not in client.get(f"/r/{ended.token('ola@example.org')}").get_data(as_text=True)
    assert answer(app, ended, "ola@example.org").status_code == 409


@pytest.mark.parametrize(
    ("kind", "value", "message"),
    [
        ("scale", "6", "Not a valid choice"),
        ("scale", None, "Please answer this question."),
        ("recommend", "eleven", "Not a valid choice"),
        ("single_choice", "Lunch", "Not a valid choice"),
        ("multiple_choice", ["Climate", "Space"], "is not a valid choice"),
        ("long_text", "x" * 5001, "5000"),
        ("short_text", "Bad\x00word", None),
    ],
)
def test_hostile_or_wrong_answers_get_a_message_and_store_nothing(app, make_ended, kind, value, message):
    ended = make_ended()
    response = answer(app, ended, "ola@example.org", **{f"q_{ended.questions[kind]}": value})
    assert response.status_code == 400
    if message:
        page = text_of(response.get_data(as_text=True))
        assert message in page, page[page.find("problem") - 20 : page.find("problem") + 300]
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(SurveyResponse)) == 0
        assert db.session.scalar(select(func.count()).select_from(SurveyInvitation)) == 0


def test_a_link_that_is_not_valid_is_404(app, make_ended):
    make_ended()
    assert app.test_client().get("/r/" + "x" * 43 + "/survey").status_code == 404


def test_erasure_detaches_a_named_response_and_keeps_the_figures(app, make_ended):
    ended = make_ended(anonymous=False)
    assert answer(app, ended, "ola@example.org").status_code == 303
    with app.app_context():
        privacy.erase_registration(ended.people["ola@example.org"][0])
        response = db.session.scalars(select(SurveyResponse)).one()
        values = dict(db.session.execute(select(SurveyAnswer.question_id, SurveyAnswer.value)).all())
        invitations = db.session.scalar(select(func.count()).select_from(SurveyInvitation))
    assert (response.registration_id, response.submitted_at) == (None, None)
    assert values[ended.questions["scale"]] == "4"  # the figures stay
    assert ended.questions["long_text"] not in values  # free text could name the person: gone
    assert ended.questions["short_text"] not in values
    assert invitations == 0


def test_the_retention_purge_keeps_anonymous_answers(app, make_ended):
    from datetime import timedelta

    from eventapp.db import utcnow

    ended = make_ended()
    assert answer(app, ended, "ola@example.org").status_code == 303
    with app.app_context():
        report = registration_chores.purge_personal_data(retention_days=30, now=utcnow() + timedelta(days=40))
        responses = db.session.scalar(select(func.count()).select_from(SurveyResponse))
        texts = db.session.scalar(select(func.count()).where(SurveyAnswer.question_id == ended.questions["long_text"]))
        invitations = db.session.scalar(select(func.count()).select_from(SurveyInvitation))
    assert report.registrations == 4  # three who came, one who cancelled
    assert (responses, texts, invitations) == (1, 1, 0)


@pytest.mark.postgres_only
def test_two_answers_sent_at_once_are_one_answer(app, make_ended):
    ended = make_ended()
    registration_id = ended.people["ola@example.org"][0]
    with app.app_context():
        from eventapp.surveys.models import Survey

        survey_id = db.session.scalar(select(Survey.id))
    outcomes: list[str] = []
    barrier = threading.Barrier(4)

    def send() -> None:
        with app.app_context():
            barrier.wait()
            try:
                services.submit_answers(survey_id, registration_id, {ended.questions["scale"]: "5"})
                outcomes.append("ok")
            except services.AlreadyAnswered:
                outcomes.append("again")
            finally:
                db.session.remove()

    threads = [threading.Thread(target=send) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["again", "again", "again", "ok"]
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(SurveyResponse)) == 1
