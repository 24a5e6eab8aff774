"""A survey closes: at the time the organiser chose (on the event's wall clock, the zone named), else 30 days
after the event ends. After it the survey page says so (200; 409 to a sent form), nothing is stored, and no
invitation or reminder goes; the organiser can move the date and the survey takes answers again."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from eventapp.accounts.models import User
from eventapp.db import utcnow
from eventapp.extensions import db
from eventapp.surveys import chores, services
from eventapp.surveys.models import Survey, SurveyResponse
from tests.registrations.conftest import csrf_token, text_of
from tests.surveys.conftest import end_event
from tests.surveys.test_answering import answer, answers_for

HELSINKI = ZoneInfo("Europe/Helsinki")


def answers_of(ended) -> dict[int, str | list[str]]:
    return {int(name[2:]): value for name, value in answers_for(ended).items()}


def set_closing(app, ended, closes_at: datetime | None) -> None:
    with app.app_context():
        services.save_survey(ended.id, services.SurveyData(anonymous=True, intro="Five questions.",
                                                           closes_at=closes_at),
                             actor=db.session.get(User, ended.owner_id))  # fmt: skip


def responses(app, ended) -> int:
    with app.app_context():
        survey_id = db.session.scalar(select(Survey.id).where(Survey.event_id == ended.id))
        return db.session.scalar(select(func.count()).where(SurveyResponse.survey_id == survey_id))


def test_the_organiser_sets_the_closing_time_in_the_events_zone(app, client, log_in, make_ended):
    ended = make_ended(timezone="Europe/Helsinki")
    log_in(client, "kari@example.org")
    url = f"/manage/events/{ended.id}/survey"
    page = client.get(url).get_data(as_text=True)
    assert "The survey closes (optional), in Europe/Helsinki" in text_of(page)
    assert "Empty: 30 days after the event ends." in text_of(page)
    local = (utcnow() + timedelta(days=3)).astimezone(HELSINKI).replace(second=0, microsecond=0, tzinfo=None)
    saved = client.post(url, data={"csrf_token": csrf_token(page), "anonymous": "yes", "intro": "",
                                   "closes_at": local.strftime("%Y-%m-%dT%H:%M")})  # fmt: skip
    assert saved.status_code == 303
    with app.app_context():
        stored = db.session.scalar(select(Survey.closes_at).where(Survey.event_id == ended.id))
    assert stored == local.replace(tzinfo=HELSINKI).astimezone(UTC)
    shown = text_of(client.get(url).get_data(as_text=True))
    assert (
        f"The survey takes answers until {local:%A}, {local.day} {local:%B %Y} at {local:%H:%M} (Eastern European"
        in shown
    )
    # The change log says what moved: from no date to the new one, on the event's wall clock.
    log = text_of(client.get(f"/manage/events/{ended.id}/audit").get_data(as_text=True))
    assert "Feedback survey changed by" in log
    assert f"Closes: (none) → {local.day} {local:%b %Y} {local:%H:%M} Eastern European" in log
    assert local.strftime("%Y-%m-%dT%H:%M") in client.get(url).get_data(as_text=True)  # the form keeps it

    page = client.get(url).get_data(as_text=True)
    before_end = client.post(url, data={"csrf_token": csrf_token(page), "anonymous": "yes",
                                        "closes_at": "2020-01-01T10:00"})  # fmt: skip
    assert before_end.status_code == 400
    assert "The survey can only close after the event has ended." in text_of(before_end.get_data(as_text=True))
    skipped = client.post(
        url, data={"csrf_token": csrf_token(page), "anonymous": "yes", "closes_at": "2027-03-28T03:30"}
    )  # Finland's clocks jump 03:00 → 04:00
    assert skipped.status_code == 400
    assert "This time does not exist in Europe/Helsinki" in text_of(skipped.get_data(as_text=True))
    nonsense = client.post(url, data={"csrf_token": csrf_token(page), "anonymous": "yes", "closes_at": "soon"})
    assert nonsense.status_code == 400
    with app.app_context():
        assert db.session.scalar(select(Survey.closes_at).where(Survey.event_id == ended.id)) == stored


def test_after_closing_the_page_says_so_takes_nothing_and_nobody_is_reminded(app, make_ended):
    ended = make_ended()
    end_event(app, ended.id, hours_ago=24 * 5)
    with app.app_context():
        assert chores.send_invitations(now=utcnow() - timedelta(days=4)) == 3
    set_closing(app, ended, utcnow() - timedelta(hours=1))
    url = f"/r/{ended.token('ola@example.org')}/survey"
    page = app.test_client().get(url)
    assert page.status_code == 200
    assert "This survey closed " in text_of(page.get_data(as_text=True))
    assert "How useful was the webinar?" not in text_of(page.get_data(as_text=True))
    sent = answer(app, ended, "ola@example.org")
    assert sent.status_code == 409
    assert "it no longer takes answers" in text_of(sent.get_data(as_text=True))
    assert responses(app, ended) == 0
    with app.app_context():
        assert chores.send_reminders(now=utcnow()) == 0  # the links went four days ago: due, but closed
        survey_id = db.session.scalar(select(Survey.id).where(Survey.event_id == ended.id))
        with pytest.raises(services.SurveyClosed, match=r"This survey has closed: it no longer takes answers\."):
            services.submit_answers(survey_id, ended.people["emma@example.org"][0], answers_of(ended))

    set_closing(app, ended, utcnow() + timedelta(days=7))  # the organiser gives people another week
    with app.app_context():
        assert chores.send_reminders(now=utcnow()) == 3
    assert answer(app, ended, "ola@example.org").status_code == 303
    assert responses(app, ended) == 1


def test_without_a_date_it_closes_thirty_days_after_the_event(app, client, log_in, make_ended):
    ended = make_ended()
    end_event(app, ended.id, hours_ago=24 * 29)
    assert app.test_client().get(f"/r/{ended.token('ola@example.org')}/survey").status_code == 200
    assert "This survey closed" not in text_of(
        app.test_client().get(f"/r/{ended.token('ola@example.org')}/survey").get_data(as_text=True))  # fmt: skip
    end_event(app, ended.id, hours_ago=24 * 30 + 1)
    closed = app.test_client().get(f"/r/{ended.token('ola@example.org')}/survey")
    assert closed.status_code == 200
    assert "This survey closed " in text_of(closed.get_data(as_text=True))
    assert answer(app, ended, "emma@example.org").status_code == 409
    own_page = text_of(app.test_client().get(f"/r/{ended.token('ola@example.org')}").get_data(as_text=True))
    assert "Feedback survey" not in own_page
    log_in(client, "kari@example.org")
    assert "The survey closed " in text_of(client.get(f"/manage/events/{ended.id}/survey").get_data(as_text=True))


@pytest.mark.parametrize("closes_at", ["0001-01-01T00:00", "9999-12-31T23:59"])
def test_a_closing_date_outside_the_years_the_service_plans_in_is_refused(app, client, log_in, make_ended,
                                                                           closes_at):  # fmt: skip
    ended = make_ended()
    log_in(client, "kari@example.org")
    url = f"/manage/events/{ended.id}/survey"
    page = client.get(url).get_data(as_text=True)
    sent = client.post(url, data={"csrf_token": csrf_token(page), "anonymous": "yes", "intro": "Changed",
                                  "closes_at": closes_at})  # fmt: skip
    assert sent.status_code == 400
    assert "Give a date between the years 2000 and 2199." in text_of(sent.get_data(as_text=True))
    with app.app_context():
        survey = db.session.scalar(select(Survey).where(Survey.event_id == ended.id))
        assert (survey.intro, survey.closes_at) == ("Five questions.", None)
