"""Reads: an event's survey, its results per question, a programme's averages over time."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from eventapp.events.models import Event
from eventapp.extensions import db
from eventapp.registrations.models import Registration
from eventapp.surveys import attendance
from eventapp.surveys.enums import SurveyQuestionKind
from eventapp.surveys.models import Survey, SurveyAnswer, SurveyInvitation, SurveyQuestion, SurveyResponse


def survey_of_event(event_id: int) -> Survey | None:
    """The event's survey with its questions (two queries)."""
    return db.session.scalars(
        select(Survey).where(Survey.event_id == event_id).options(selectinload(Survey.questions))
    ).one_or_none()


@dataclass(frozen=True)
class Option:
    label: str
    count: int


@dataclass
class QuestionResult:
    question: SurveyQuestion
    #: People who answered this question.
    answered: int = 0
    #: Per choice (choice kinds, yes/no, scale points, in their order).
    options: list[Option] = field(default_factory=list)
    #: Average of a scale (None without answers).
    average: float | None = None
    #: Net Promoter Score of a 0-10 question: % 9-10 minus % 0-6 (None without answers).
    nps: int | None = None
    #: Free-text answers (order carries no meaning: by the responses' random keys).
    texts: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Results:
    survey: Survey
    responses: int
    came: int
    invited: int
    questions: list[QuestionResult]

    @property
    def response_rate(self) -> float | None:
        return self.responses / self.came if self.came else None


def _values(survey: Survey) -> list[tuple[str, int, str]]:
    return list(db.session.execute(
        select(SurveyAnswer.response_id, SurveyAnswer.question_id, SurveyAnswer.value)
        .join(SurveyResponse, SurveyResponse.id == SurveyAnswer.response_id)
        .where(SurveyResponse.survey_id == survey.id)
        .order_by(SurveyAnswer.response_id)
    ))  # fmt: skip


def results(survey: Survey, event: Event) -> Results:
    """Counts, distributions, averages and texts per question. A fixed number of queries."""
    from flask_babel import gettext as _

    responses = int(db.session.scalar(select(func.count()).where(SurveyResponse.survey_id == survey.id)) or 0)
    came = int(db.session.scalar(
        select(func.count()).select_from(Registration).where(Registration.event_id == event.id,
                                                             attendance.came_clause(event))
    ) or 0)  # fmt: skip
    invited = int(db.session.scalar(
        select(func.count()).where(SurveyInvitation.survey_id == survey.id, SurveyInvitation.mailed_at.is_not(None))
    ) or 0)  # fmt: skip
    by_question: dict[int, list[str]] = defaultdict(list)
    for _response_id, question_id, value in _values(survey):
        by_question[question_id].append(value)
    out = []
    for question in survey.questions:
        values = by_question.get(question.id, [])
        result = QuestionResult(question, answered=len(values))
        kind = question.kind
        if kind.has_choices:
            counts = Counter(line for value in values for line in value.splitlines() if line)
            result.options = [Option(choice, counts.get(choice, 0)) for choice in question.choice_list]
        elif kind is SurveyQuestionKind.YES_NO:
            counts = Counter(values)
            result.options = [Option(_("Yes"), counts.get("yes", 0)), Option(_("No"), counts.get("no", 0))]
        elif kind.is_scale:
            numbers = [int(v) for v in values if v.isdigit()]
            number_counts = Counter(numbers)
            result.options = [Option(str(point), number_counts.get(point, 0)) for point in kind.points]
            if numbers:
                result.average = sum(numbers) / len(numbers)
                if kind is SurveyQuestionKind.RECOMMEND:
                    promoters = sum(1 for n in numbers if n >= 9)
                    detractors = sum(1 for n in numbers if n <= 6)
                    result.nps = round(100 * (promoters - detractors) / len(numbers))
        else:
            result.texts = values
        out.append(result)
    return Results(survey=survey, responses=responses, came=came, invited=invited, questions=out)


@dataclass(frozen=True)
class EventAverages:
    event: Event
    responses: int
    #: Average of all 1-5 answers of the event's survey (None: no such answers).
    scale: float | None
    #: Average of all 0-10 answers (None: none).
    recommend: float | None


def programme_averages(programme_id: int) -> list[EventAverages]:
    """Per event of the programme with a survey, oldest first: responses and the averages of its 1-5 and
    0-10 questions. Three queries, however many events."""
    rows = list(db.session.execute(
        select(Event, Survey.id).join(Survey, Survey.event_id == Event.id)
        .where(Event.programme_id == programme_id).order_by(Event.starts_at, Event.id)
    ))  # fmt: skip
    if not rows:
        return []
    survey_ids = [survey_id for _event, survey_id in rows]
    counts: dict[int, int] = {}
    for survey_id, count in db.session.execute(
        select(SurveyResponse.survey_id, func.count()).where(SurveyResponse.survey_id.in_(survey_ids))
        .group_by(SurveyResponse.survey_id)
    ):  # fmt: skip
        counts[survey_id] = count
    values: dict[tuple[int, SurveyQuestionKind], list[int]] = defaultdict(list)
    for survey_id, kind, value in db.session.execute(
        select(SurveyQuestion.survey_id, SurveyQuestion.kind, SurveyAnswer.value)
        .join(SurveyAnswer, SurveyAnswer.question_id == SurveyQuestion.id)
        .where(SurveyQuestion.survey_id.in_(survey_ids),
               SurveyQuestion.kind.in_([SurveyQuestionKind.SCALE, SurveyQuestionKind.RECOMMEND]))
    ):  # fmt: skip
        if value.isdigit():
            values[(survey_id, kind)].append(int(value))

    def mean(numbers: list[int]) -> float | None:
        return sum(numbers) / len(numbers) if numbers else None

    return [
        EventAverages(
            event=event,
            responses=int(counts.get(survey_id, 0)),
            scale=mean(values[(survey_id, SurveyQuestionKind.SCALE)]),
            recommend=mean(values[(survey_id, SurveyQuestionKind.RECOMMEND)]),
        )
        for event, survey_id in rows
    ]


@dataclass(frozen=True)
class ExportTable:
    header: list[str]
    rows: list[list[str]]


def export_table(survey: Survey, event: Event) -> ExportTable:
    """One row per response, a column per question. Anonymous: no person and no time, rows in the order
    of the random keys. Not anonymous: name, organisation and time first."""
    from flask_babel import gettext as _

    questions = list(survey.questions)
    by_response: dict[str, dict[int, str]] = defaultdict(dict)
    for response_id, question_id, value in _values(survey):
        by_response[response_id][question_id] = value
    yes_no = {"yes": _("Yes"), "no": _("No")}
    people: dict[str, tuple[str, str, datetime | None]] = {}
    if not survey.anonymous:
        for response_id, name, organisation, at in db.session.execute(
            select(SurveyResponse.id, Registration.name, Registration.organisation, SurveyResponse.submitted_at)
            .outerjoin(Registration, Registration.id == SurveyResponse.registration_id)
            .where(SurveyResponse.survey_id == survey.id)
        ):
            people[response_id] = (name or "", organisation or "", at)
    all_ids = sorted(set(by_response) | set(people))
    header = [q.label for q in questions]
    if not survey.anonymous:
        header = [_("Name"), _("Organisation"), _("Answered (%(zone)s)", zone=event.timezone), *header]
    rows = []
    for response_id in all_ids:
        answers = by_response.get(response_id, {})
        cells = []
        for q in questions:
            value = answers.get(q.id, "")
            cells.append(yes_no.get(value, value) if q.kind is SurveyQuestionKind.YES_NO else value.replace("\n", "; "))
        if not survey.anonymous:
            name, organisation, at = people.get(response_id, ("", "", None))
            when = at.astimezone(event.tzinfo).strftime("%Y-%m-%d %H:%M") if at else ""
            cells = [name, organisation, when, *cells]
        rows.append(cells)
    return ExportTable(header=header, rows=rows)
