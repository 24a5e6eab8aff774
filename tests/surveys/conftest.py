"""Fixtures for the survey tests: an online webinar that has ended, with people who came and did not,
its organiser signed in, and a survey with one question of each kind."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

import pytest
from sqlalchemy import update

from eventapp.db import utcnow
from eventapp.events.enums import EventFormat
from eventapp.events.models import Event
from eventapp.extensions import db
from eventapp.registrations import services as registration_services
from eventapp.registrations.enums import RegistrationStatus
from eventapp.registrations.models import Registration
from eventapp.surveys import services
from eventapp.surveys.enums import SurveyQuestionKind
from eventapp.surveys.services import SurveyData, SurveyQuestionData
from tests.registrations.test_rules import data


@dataclass
class Ended:
    id: int
    slug: str
    owner_id: int
    #: email → (registration id, personal link token)
    people: dict[str, tuple[int, str]] = field(default_factory=dict)
    #: question kind → question id
    questions: dict[str, int] = field(default_factory=dict)

    def token(self, email: str) -> str:
        return self.people[email][1]


QUESTIONS = [
    SurveyQuestionData("How useful was the webinar?", SurveyQuestionKind.SCALE, required=True),
    SurveyQuestionData("Would you recommend it to a colleague?", SurveyQuestionKind.RECOMMEND),
    SurveyQuestionData("Which part helped most?", SurveyQuestionKind.SINGLE_CHOICE, choices=("Talks", "Board")),
    SurveyQuestionData(
        "Topics for next time", SurveyQuestionKind.MULTIPLE_CHOICE, choices=("Climate", "Health", "Roads")
    ),
    SurveyQuestionData("Will you apply the ideas?", SurveyQuestionKind.YES_NO),
    SurveyQuestionData("One word", SurveyQuestionKind.SHORT_TEXT),
    SurveyQuestionData("Anything else?", SurveyQuestionKind.LONG_TEXT),
]


def end_event(app, event_id: int, *, hours_ago: float = 1) -> None:
    """Move the event into the past (it ended ``hours_ago``)."""
    with app.app_context():
        ends = utcnow() - timedelta(hours=hours_ago)
        db.session.execute(update(Event).where(Event.id == event_id).values(starts_at=ends - timedelta(hours=2),
                                                                             ends_at=ends))  # fmt: skip
        db.session.commit()


@pytest.fixture
def make_ended(app, create_event, create_account):
    """``make_ended(anonymous=True, fmt=ONLINE, people=(...))``: an ended webinar with confirmed attendees
    (and one cancelled), a survey with one question of each kind, owned by kari@example.org."""

    def _make(
        *,
        anonymous: bool = True,
        fmt: EventFormat = EventFormat.ONLINE,
        people: tuple[str, ...] = ("ola@example.org", "emma@example.org", "liisa@example.org"),
        with_survey: bool = True,
        **overrides,
    ) -> Ended:
        from eventapp.accounts.models import User

        with app.app_context():
            owner = db.session.scalar(db.select(User).where(User.email == "kari@example.org"))
        owner = owner or create_account("kari@example.org")
        event = create_event(created_by_id=owner.id, format=fmt, title="Innovative procurement and the SDGs",
                             **overrides)  # fmt: skip
        ended = Ended(event.id, event.slug, owner.id)
        with app.app_context():
            for email in people:
                made = registration_services.register(event.id, data(email))
                ended.people[email] = (made.registration_id, made.token)
            gone = registration_services.register(event.id, data("gone@example.org"))
            registration_services.cancel_registration(gone.registration_id)
            if with_survey:
                actor = db.session.get(User, owner.id)
                services.save_survey(event.id, SurveyData(anonymous=anonymous, intro="Five questions."), actor=actor)
                for question in QUESTIONS:
                    actor = db.session.get(User, owner.id)
                    made_q = services.add_question(event.id, question, actor=actor)
                    ended.questions[question.kind.value] = made_q.id
        end_event(app, event.id)
        return ended

    return _make


def check_in(app, registration_id: int) -> None:
    with app.app_context():
        db.session.execute(
            update(Registration).where(Registration.id == registration_id).values(checked_in_at=utcnow())
        )
        db.session.commit()


def confirmed(app, event_id: int) -> list[int]:
    with app.app_context():
        return list(db.session.scalars(db.select(Registration.id).where(
            Registration.event_id == event_id, Registration.status == RegistrationStatus.CONFIRMED)))  # fmt: skip
