"""The demo's feedback survey: the past webinar asked the people who came five questions, and six of its
eight attendees answered (anonymously), so the results page shows every kind of chart on ``make run``."""

from __future__ import annotations

from eventapp.events.models import Event
from eventapp.extensions import db
from eventapp.registrations.enums import RegistrationStatus
from eventapp.surveys.chores import REMIND_AFTER, WAIT_FOR_FOLLOWUP
from eventapp.surveys.enums import SurveyQuestionKind
from eventapp.surveys.models import Survey, SurveyAnswer, SurveyInvitation, SurveyQuestion, SurveyResponse

SCALE, RECOMMEND, CHOICE, YES_NO, TEXT = (SurveyQuestionKind.SCALE, SurveyQuestionKind.RECOMMEND,
                                          SurveyQuestionKind.SINGLE_CHOICE, SurveyQuestionKind.YES_NO,
                                          SurveyQuestionKind.LONG_TEXT)  # fmt: skip

#: (question, kind, choices, the six answers in turn; "" leaves it unanswered)
QUESTIONS = (
    ("Hvor nyttig var webinaret for arbeidet ditt?", SCALE, (), ("5", "4", "4", "3", "5", "4")),
    ("Hvor sannsynlig er det at du anbefaler webinarene våre til en kollega?", RECOMMEND, (),
     ("9", "10", "7", "6", "9", "8")),
    ("Hvilken del hadde du mest nytte av?", CHOICE, ("Regelverket", "Erfaringene fra Drammen", "Spørsmålene"),
     ("Erfaringene fra Drammen", "Regelverket", "Erfaringene fra Drammen", "Spørsmålene",
      "Erfaringene fra Drammen", "")),
    ("Kommer du til å bruke markedsdialog i neste anskaffelse?", YES_NO, (), ("yes", "yes", "no", "yes", "yes", "yes")),
    ("Hva vil du høre mer om neste gang?", TEXT, (),
     ("Hvordan vi dokumenterer dialogen, så ingen leverandør får et forsprang.", "", "Eksempler fra mindre kommuner.",
      "", "Mer tid til spørsmål fra salen.", "")),
)  # fmt: skip


def add_webinar_survey(event: Event) -> None:
    """Give the demo's past webinar (its registrations flushed) an anonymous survey with answers. The
    caller commits."""
    survey = Survey(event_id=event.id, anonymous=True,
                    intro="Takk for at du var med! Fem korte spørsmål, så blir neste webinar bedre.")  # fmt: skip
    survey.questions = [
        SurveyQuestion(position=i, label=label, kind=kind, required=kind is SCALE, choices="\n".join(choices))
        for i, (label, kind, choices, _answers) in enumerate(QUESTIONS)
    ]
    db.session.add(survey)
    db.session.flush()
    mailed = event.ends_at + WAIT_FOR_FOLLOWUP
    came = [r for r in event.registrations if r.status is RegistrationStatus.CONFIRMED]
    answers = len(QUESTIONS[0][3])
    for n, registration in enumerate(came):
        answered = n < answers
        db.session.add(SurveyInvitation(survey_id=survey.id, registration_id=registration.id, mailed_at=mailed,
                                        reminded_at=None if answered else mailed + REMIND_AFTER,
                                        answered=answered))  # fmt: skip
    for n in range(min(answers, len(came))):
        response = SurveyResponse(survey_id=survey.id)  # anonymous: no person, no time
        response.answers = [
            SurveyAnswer(question_id=question.id, value=spec[3][n])
            for question, spec in zip(survey.questions, QUESTIONS, strict=True)
            if spec[3][n]
        ]
        db.session.add(response)
