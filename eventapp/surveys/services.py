"""What organisers do with an event's feedback survey, and what attendees do with it: set it up, add,
change, remove and reorder its questions, and answer it (once per person).

Questions are set in stone once someone has answered (changing them would change what the answers
mean): every change is then refused with a message. The anonymous switch is set in stone at the same
moment, since the people who answered were told which it was. See ``models`` for how an anonymous
answer is kept apart from the person.

Each write is one transaction that locks the event row (like the sign-up form's questions) and, for
organisers' changes, leaves a line in the audit log.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from flask_babel import lazy_gettext as _l
from sqlalchemy import CursorResult, func, select, update

from eventapp.accounts import audit
from eventapp.accounts.models import User
from eventapp.db import utcnow
from eventapp.errors import DomainError, NotFound, ValidationFailed
from eventapp.events.locking import lock_event
from eventapp.extensions import db
from eventapp.registrations.enums import QuestionKind
from eventapp.registrations.models import Registration
from eventapp.registrations.questions import HELP_MAX, LABEL_MAX, QuestionData
from eventapp.registrations.questions import _check_question as check_sign_up_question
from eventapp.surveys import attendance
from eventapp.surveys.enums import SurveyQuestionKind
from eventapp.surveys.models import Survey, SurveyAnswer, SurveyInvitation, SurveyQuestion, SurveyResponse
from eventapp.transactions import use_case

INTRO_MAX = 2000
TEXT_ANSWER_MAX = 5000


@dataclass(frozen=True)
class SurveyData:
    anonymous: bool
    intro: str = ""
    #: When it stops taking answers (UTC); None: ``models.DEFAULT_OPEN_FOR`` after the event ends.
    closes_at: datetime | None = None


@dataclass(frozen=True)
class SurveyQuestionData:
    label: str
    kind: SurveyQuestionKind
    help_text: str = ""
    required: bool = False
    choices: tuple[str, ...] = ()


class AlreadyAnswered(DomainError):
    status_code = 409
    default_message = _l("You have already answered this survey. Thank you!")


class NotInvited(DomainError):
    status_code = 403
    default_message = _l("This survey is for the people who took part in the event.")


class SurveyClosed(DomainError):
    status_code = 409
    default_message = _l("The survey opens when the event has ended.")


CLOSED_MESSAGE = _l("This survey has closed: it no longer takes answers.")


LOCKED_MESSAGE = _l("People have already answered this survey, so its questions and whether it is anonymous "
                    "can no longer change: the answers would lose their meaning.")  # fmt: skip


def response_count(survey_id: int) -> int:
    return int(db.session.scalar(select(func.count()).where(SurveyResponse.survey_id == survey_id)) or 0)


def _survey_of(event_id: int) -> Survey:
    survey = db.session.scalars(select(Survey).where(Survey.event_id == event_id)).one_or_none()
    if survey is None:
        raise NotFound()
    return survey


def _refuse_when_answered(survey: Survey) -> None:
    if response_count(survey.id):
        raise ValidationFailed(None, str(LOCKED_MESSAGE))


@use_case
def save_survey(event_id: int, data: SurveyData, *, actor: User) -> Survey:
    """Attach a survey to the event, or change its settings. Refused (ValidationFailed) when the anonymous
    switch would change after people answered, or the closing time is not after the event's end. Side
    effects: locks the event; the row; an audit entry."""
    intro = data.intro.strip()
    if len(intro) > INTRO_MAX:
        raise ValidationFailed("intro", _l("The introduction can be at most %(max)d characters.", max=INTRO_MAX))
    event = lock_event(event_id)
    if data.closes_at is not None and data.closes_at <= event.ends_at:
        raise ValidationFailed("closes_at", _l("The survey can only close after the event has ended."))
    survey = db.session.scalars(select(Survey).where(Survey.event_id == event_id)).one_or_none()
    changed: dict[str, Any] | None = None
    if survey is None:
        survey = Survey(event_id=event_id, anonymous=data.anonymous, intro=intro, closes_at=data.closes_at)
        db.session.add(survey)
        db.session.flush()
        action = "survey.added"
    else:
        if survey.anonymous != data.anonymous:
            _refuse_when_answered(survey)
        changed = audit.changes(
            anonymous=(survey.anonymous, data.anonymous), intro=(survey.intro, intro),
            closes_at=(survey.closes_at, data.closes_at),
        )  # fmt: skip
        survey.anonymous, survey.intro, survey.closes_at = data.anonymous, intro, data.closes_at
        action = "survey.changed"
    audit.record(action, actor=actor, event_id=event_id, anonymous=data.anonymous, changes=changed)
    db.session.commit()
    return survey


def check_question(data: SurveyQuestionData) -> None:
    """The shape of a question: the sign-up form's rules for the kinds both have; a scale has no choices."""
    if not data.kind.is_scale:
        check_sign_up_question(
            QuestionData(label=data.label, kind=QuestionKind(data.kind.value), help_text=data.help_text,
                         required=data.required, choices=data.choices)
        )  # fmt: skip
        return
    label = data.label.strip()
    if not label:
        raise ValidationFailed("label", _l("Write the question."))
    if len(label) > LABEL_MAX:
        raise ValidationFailed("label", _l("The question can be at most %(max)d characters.", max=LABEL_MAX))
    if len(data.help_text.strip()) > HELP_MAX:
        raise ValidationFailed("help_text", _l("The hint can be at most %(max)d characters.", max=HELP_MAX))
    if data.choices:
        raise ValidationFailed("choices", _l("A scale has no choices of its own. Empty this field."))


def _question(event_id: int, question_id: int) -> tuple[Survey, SurveyQuestion]:
    lock_event(event_id)
    survey = _survey_of(event_id)
    question = db.session.get(SurveyQuestion, question_id, populate_existing=True)
    if question is None or question.survey_id != survey.id:
        raise NotFound()
    return survey, question


@use_case
def add_question(event_id: int, data: SurveyQuestionData, *, actor: User) -> SurveyQuestion:
    """A new question at the end. Side effects: locks the event; the row; an audit entry."""
    check_question(data)
    lock_event(event_id)
    survey = _survey_of(event_id)
    _refuse_when_answered(survey)
    last = db.session.scalar(select(func.max(SurveyQuestion.position)).where(SurveyQuestion.survey_id == survey.id))
    question = SurveyQuestion(
        survey_id=survey.id, position=0 if last is None else last + 1, label=data.label.strip(),
        help_text=data.help_text.strip(), kind=data.kind, required=data.required, choices="\n".join(data.choices),
    )  # fmt: skip
    db.session.add(question)
    db.session.flush()
    audit.record("survey.question_added", actor=actor, event_id=event_id, question_id=question.id,
                 label=question.label)  # fmt: skip
    db.session.commit()
    return question


@use_case
def update_question(event_id: int, question_id: int, data: SurveyQuestionData, *, actor: User) -> None:
    """Change a question (refused once anyone answered). Side effects: the row; an audit entry."""
    check_question(data)
    survey, question = _question(event_id, question_id)
    _refuse_when_answered(survey)
    changed = audit.changes(
        label=(question.label, data.label.strip()), help_text=(question.help_text, data.help_text.strip()),
        kind=(question.kind, data.kind), required=(question.required, data.required),
        choices=(question.choice_list, [c.strip() for c in data.choices if c.strip()]),
    )  # fmt: skip
    question.label, question.help_text, question.kind = data.label.strip(), data.help_text.strip(), data.kind
    question.required, question.choices = data.required, "\n".join(data.choices)
    audit.record("survey.question_changed", actor=actor, event_id=event_id, question_id=question.id,
                 label=question.label, changes=changed)  # fmt: skip
    db.session.commit()


@use_case
def remove_question(event_id: int, question_id: int, *, actor: User) -> None:
    """Remove a question (refused once anyone answered). Side effects: the row; an audit entry."""
    survey, question = _question(event_id, question_id)
    _refuse_when_answered(survey)
    audit.record("survey.question_removed", actor=actor, event_id=event_id, question_id=question.id,
                 label=question.label)  # fmt: skip
    db.session.delete(question)
    db.session.flush()
    _renumber(survey.id)
    db.session.commit()


@use_case
def move_question(event_id: int, question_id: int, *, up: bool, actor: User) -> None:
    """Swap the question with its neighbour (allowed even after answers: the order means nothing)."""
    survey, question = _question(event_id, question_id)
    rows = _in_order(survey.id)
    index = rows.index(question)
    other = index - 1 if up else index + 1
    if 0 <= other < len(rows):
        rows[index], rows[other] = rows[other], rows[index]
    for position, each in enumerate(rows):
        each.position = position
    audit.record("survey.question_moved", actor=actor, event_id=event_id, question_id=question.id,
                 label=question.label, up=up)  # fmt: skip
    db.session.commit()


def _in_order(survey_id: int) -> list[SurveyQuestion]:
    return list(db.session.scalars(
        select(SurveyQuestion).where(SurveyQuestion.survey_id == survey_id)
        .order_by(SurveyQuestion.position, SurveyQuestion.id)
    ))  # fmt: skip


def _renumber(survey_id: int) -> None:
    for position, each in enumerate(_in_order(survey_id)):
        each.position = position


# --- answering -----------------------------------------------------------------------------------


def clean_answers(survey: Survey, answers: Mapping[int, str | list[str]]) -> dict[int, str]:
    """Each answer checked against its question, as it will be stored ('' for none). ValidationFailed
    (the field's name) for an answer that does not fit; the form checks the same for its messages."""
    cleaned: dict[int, str] = {}
    for question in survey.questions:
        raw = answers.get(question.id, "")
        values = [str(v).strip() for v in raw] if isinstance(raw, list) else [str(raw or "").strip()]
        values = [v for v in values if v]
        kind = question.kind
        if not values:
            if question.required:
                raise ValidationFailed(question.field_name, _l("Please answer this question."))
            continue
        if kind is SurveyQuestionKind.MULTIPLE_CHOICE or kind is SurveyQuestionKind.SINGLE_CHOICE:
            allowed = set(question.choice_list)
        elif kind is SurveyQuestionKind.YES_NO:
            allowed = {"yes", "no"}
        elif kind.is_scale:
            allowed = {str(point) for point in kind.points}
        else:
            allowed = None
        if allowed is not None and (any(v not in allowed for v in values) or (
                kind is not SurveyQuestionKind.MULTIPLE_CHOICE and len(values) > 1)):  # fmt: skip
            raise ValidationFailed(question.field_name, _l("Choose one of the answers given."))
        if kind.is_text and len(values[0]) > TEXT_ANSWER_MAX:
            raise ValidationFailed(
                question.field_name, str(_l("The answer can be at most %(max)d characters.", max=TEXT_ANSWER_MAX))
            )
        cleaned[question.id] = "\n".join(dict.fromkeys(values))
    return cleaned


@use_case
def submit_answers(
    survey_id: int, registration_id: int, answers: Mapping[int, str | list[str]], *, now: datetime | None = None
) -> None:
    """One person's answers. Refused when the survey is not open (SurveyClosed), the person did not come
    (NotInvited) or has answered already (AlreadyAnswered: two sends at once give one answer).

    Side effects: locks the event row; marks the person's invitation ``answered`` (making it when they
    answer before the mail) and writes the response: for an anonymous survey without registration id,
    time or ordered key. Commits."""
    now = now or utcnow()
    survey = db.session.get(Survey, survey_id)
    if survey is None:
        raise NotFound()
    cleaned = clean_answers(survey, answers)
    lock_event(survey.event_id)
    survey = db.session.get(Survey, survey_id, populate_existing=True)
    registration = db.session.get(Registration, registration_id)
    if survey is None or registration is None or registration.event_id != survey.event_id:
        raise NotFound()
    if survey.is_closed(now):
        raise SurveyClosed(CLOSED_MESSAGE)
    if not survey.is_open(now):
        raise SurveyClosed()
    if not attendance.came(registration):
        raise NotInvited()
    invitation = db.session.scalars(
        select(SurveyInvitation).where(
            SurveyInvitation.survey_id == survey.id, SurveyInvitation.registration_id == registration.id
        )
    ).one_or_none()
    if invitation is None:
        db.session.add(SurveyInvitation(survey_id=survey.id, registration_id=registration.id, answered=False))
        db.session.flush()
    taken = cast(
        CursorResult[Any],
        db.session.execute(
            update(SurveyInvitation)
            .where(
                SurveyInvitation.survey_id == survey.id,
                SurveyInvitation.registration_id == registration.id,
                SurveyInvitation.answered.is_(False),
            )
            .values(answered=True)
            .execution_options(synchronize_session=False)
        ),
    ).rowcount
    if taken != 1:
        raise AlreadyAnswered()
    response = SurveyResponse(survey_id=survey.id)
    if not survey.anonymous:
        response.registration_id, response.submitted_at = registration.id, now
    response.answers = [SurveyAnswer(question_id=qid, value=value) for qid, value in cleaned.items()]
    db.session.add(response)
    db.session.commit()


def has_answered(survey_id: int, registration_id: int) -> bool:
    return bool(
        db.session.scalar(
            select(SurveyInvitation.answered).where(
                SurveyInvitation.survey_id == survey_id, SurveyInvitation.registration_id == registration_id
            )
        )
    )
