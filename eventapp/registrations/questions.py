"""An event's own sign-up form: its custom questions and participation requirements. Adding, changing,
removing and reordering them, with the rules that keep what people already answered meaningful.

Once people have signed up, a question or a requirement is a record of what they were asked:

- removing a question with answers, or a requirement with confirmations, deletes those answers or
  confirmations, so it needs the organiser's confirmation of exactly how many (``ConfirmationNeeded``);
- re-wording an answered question, or a confirmed requirement, needs the same confirmation (the audit
  log keeps the earlier wording, so what people answered stays on record);
- a choice question's choices cannot drop or change a choice that someone chose, and an answered
  question's kind can only change in ways every answer still fits (short ↔ long text, one choice →
  several choices): such changes are refused, never applied silently;
- adding a required question or a requirement later is allowed: the people already signed up are not
  asked again, and ``overview`` counts them so the back office can say so.

Each write is one transaction that locks the event row (as signing up does, so positions and the
check of existing answers are not raced by a sign-up) and leaves a line in the audit log. The rows are
public content: saving them moves the page cache's version forward by itself.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import TypeVar

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, func, select

from eventapp.accounts import audit
from eventapp.accounts.models import User
from eventapp.errors import DomainError, NotFound, ValidationFailed
from eventapp.events.locking import lock_event
from eventapp.events.models import Event
from eventapp.extensions import db
from eventapp.registrations.enums import ACTIVE_STATUSES, QuestionKind
from eventapp.registrations.models import (
    CustomQuestion,
    ParticipationRequirement,
    Registration,
    RegistrationAnswer,
    RequirementConfirmation,
)
from eventapp.transactions import use_case

#: How each kind of question is named in the back office.
KIND_LABELS = {
    QuestionKind.SHORT_TEXT: _l("Short text"),
    QuestionKind.LONG_TEXT: _l("Long text"),
    QuestionKind.SINGLE_CHOICE: _l("One choice from a list"),
    QuestionKind.MULTIPLE_CHOICE: _l("Several choices from a list"),
    QuestionKind.YES_NO: _l("Yes or no"),
}
#: Kinds whose answers are taken from the question's own choices.
CHOICE_KINDS = frozenset({QuestionKind.SINGLE_CHOICE, QuestionKind.MULTIPLE_CHOICE})
#: Changes of kind that every existing answer survives unchanged.
COMPATIBLE_KIND_CHANGES = frozenset(
    {
        (QuestionKind.SHORT_TEXT, QuestionKind.LONG_TEXT),
        (QuestionKind.LONG_TEXT, QuestionKind.SHORT_TEXT),
        (QuestionKind.SINGLE_CHOICE, QuestionKind.MULTIPLE_CHOICE),
    }
)
LABEL_MAX = 300  # CustomQuestion.label
HELP_MAX = 500  # CustomQuestion.help_text
REQUIREMENT_MAX = 500  # ParticipationRequirement.text
CHOICE_MAX = 200
CHOICES_MAX = 50


def kind_label(kind: QuestionKind) -> str:
    return str(KIND_LABELS[kind])


def parse_choices(text: str) -> tuple[str, ...]:
    """The choices typed one per line: trimmed, empty lines dropped, order kept."""
    return tuple(line.strip() for line in (text or "").splitlines() if line.strip())


@dataclass(frozen=True)
class QuestionData:
    label: str
    kind: QuestionKind
    help_text: str = ""
    required: bool = False
    choices: tuple[str, ...] = ()


@dataclass(frozen=True)
class RequirementData:
    text: str


class ConfirmationNeeded(DomainError):
    """The change would delete or re-word what ``count`` people already gave. The organiser confirms by
    sending the change again with that count; if the count has moved meanwhile, they are asked again."""

    status_code = 409
    default_message = _l("Please confirm this change.")

    def __init__(self, count: int) -> None:
        self.count = count
        super().__init__()


# --- reads ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class QuestionRow:
    question: CustomQuestion
    #: Answers given to it, by anyone who signed up (whatever their status now).
    answers: int
    #: People on the lists (confirmed, waiting, pending) with no answer to it.
    unanswered: int

    @property
    def kind_label(self) -> str:
        return kind_label(self.question.kind)

    @property
    def warn_unanswered(self) -> bool:
        """A required question that some people on the lists never answered (they signed up before it
        was added or made required, or an organiser added them by hand)."""
        return self.question.required and self.unanswered > 0


@dataclass(frozen=True)
class RequirementRow:
    requirement: ParticipationRequirement
    #: Confirmations given, by anyone who signed up (whatever their status now).
    confirmations: int
    #: People on the lists who have not confirmed it.
    unconfirmed: int


def answer_count(question_id: int) -> int:
    return (
        db.session.scalar(
            select(func.count()).select_from(RegistrationAnswer).where(RegistrationAnswer.question_id == question_id)
        )
        or 0
    )


def confirmation_count(requirement_id: int) -> int:
    return (
        db.session.scalar(
            select(func.count())
            .select_from(RequirementConfirmation)
            .where(RequirementConfirmation.requirement_id == requirement_id)
        )
        or 0
    )


def overview(event: Event) -> tuple[list[QuestionRow], list[RequirementRow]]:
    """The event's questions and requirements in form order, each with what people gave. A fixed number
    of queries, however many there are."""
    active = Registration.status.in_(list(ACTIVE_STATUSES))
    people = db.session.scalar(select(func.count()).where(Registration.event_id == event.id, active)) or 0
    answers: dict[int, tuple[int, int]] = {}
    if event.custom_questions:
        rows = db.session.execute(
            select(RegistrationAnswer.question_id, func.count(), func.count().filter(active))
            .join(Registration, Registration.id == RegistrationAnswer.registration_id)
            .where(RegistrationAnswer.question_id.in_([q.id for q in event.custom_questions]))
            .group_by(RegistrationAnswer.question_id)
        )
        answers = {qid: (total, by_active) for qid, total, by_active in rows}
    confirmations: dict[int, tuple[int, int]] = {}
    if event.requirements:
        rows = db.session.execute(
            select(RequirementConfirmation.requirement_id, func.count(), func.count().filter(active))
            .join(Registration, Registration.id == RequirementConfirmation.registration_id)
            .where(RequirementConfirmation.requirement_id.in_([r.id for r in event.requirements]))
            .group_by(RequirementConfirmation.requirement_id)
        )
        confirmations = {rid: (total, by_active) for rid, total, by_active in rows}
    questions = [
        QuestionRow(q, answers.get(q.id, (0, 0))[0], people - answers.get(q.id, (0, 0))[1])
        for q in event.custom_questions
    ]
    requirements = [
        RequirementRow(r, confirmations.get(r.id, (0, 0))[0], people - confirmations.get(r.id, (0, 0))[1])
        for r in event.requirements
    ]
    return questions, requirements


# --- rules -----------------------------------------------------------------------------------------


def _check_question(data: QuestionData) -> None:
    """The shape of a question, whoever sends it (the form checks the same, for its messages)."""
    label = data.label.strip()
    if not label:
        raise ValidationFailed("label", _l("Write the question."))
    if len(label) > LABEL_MAX:
        raise ValidationFailed("label", _l("The question can be at most %(max)d characters.", max=LABEL_MAX))
    if len(data.help_text.strip()) > HELP_MAX:
        raise ValidationFailed("help_text", _l("The hint can be at most %(max)d characters.", max=HELP_MAX))
    if data.kind not in CHOICE_KINDS:
        if data.choices:
            raise ValidationFailed(
                "choices",
                _l("Only a question answered from a list has choices. Empty this field, or choose one of "
                       "the two list kinds."),
            )  # fmt: skip
        return
    if not data.choices:
        raise ValidationFailed("choices", _l("Write the choices people pick from, one per line."))
    for choice in data.choices:
        if len(choice) > CHOICE_MAX:
            raise ValidationFailed(
                "choices",
                _l("Each choice can be at most %(max)d characters; “%(start)s…” is longer.",
                       max=CHOICE_MAX, start=choice[:40]),
            )  # fmt: skip
    seen = Counter(choice.casefold() for choice in data.choices)
    repeated = [choice for choice in dict.fromkeys(data.choices) if seen[choice.casefold()] > 1]
    if repeated:
        raise ValidationFailed("choices", _l("“%(choice)s” is in the list more than once.", choice=repeated[0]))
    if len(data.choices) < 2:
        raise ValidationFailed("choices", _l("Give at least two different choices, one per line."))
    if len(data.choices) > CHOICES_MAX:
        raise ValidationFailed("choices", _l("A question can have at most %(max)d choices.", max=CHOICES_MAX))


def _check_requirement(data: RequirementData) -> None:
    text = data.text.strip()
    if not text:
        raise ValidationFailed("text", _l("Write the statement organisations confirm."))
    if len(text) > REQUIREMENT_MAX:
        raise ValidationFailed("text", _l("The statement can be at most %(max)d characters.", max=REQUIREMENT_MAX))


def _answer_values(question_id: int) -> list[str]:
    """Every answer given to the question, one entry per chosen option (multiple choice: one per line)."""
    values = db.session.scalars(select(RegistrationAnswer.value).where(RegistrationAnswer.question_id == question_id))
    return [line for value in values for line in value.splitlines() if line]


def _check_answers_survive(question: CustomQuestion, data: QuestionData, answered: list[str]) -> None:
    """Refuse a change that would leave answers already given meaning something else, or nothing."""
    if data.kind != question.kind and (question.kind, data.kind) not in COMPATIBLE_KIND_CHANGES:
        raise ValidationFailed(
            "kind",
            _l("People have answered this question, so its kind can only change from short to long text "
                   "(or back), or from one choice to several choices. To ask in another way, add a new "
                   "question."),
        )  # fmt: skip
    if data.kind in CHOICE_KINDS:
        kept = set(data.choices)
        lost = [value for value in dict.fromkeys(answered) if value not in kept]
        if lost:
            raise ValidationFailed(
                "choices",
                _l("People have already chosen %(choices)s. Keep those choices exactly as they are, so "
                       "their answers keep their meaning; you can add new choices and change the order.",
                       choices=", ".join(f"“{value}”" for value in lost)),
            )  # fmt: skip


# --- questions -----------------------------------------------------------------------------------


_Row = TypeVar("_Row", CustomQuestion, ParticipationRequirement)


def _locked(model: type[_Row], row_id: int) -> _Row:
    """The row, read afresh after its event's row is locked (NotFound if it is gone)."""
    row = db.session.get(model, row_id)
    if row is None:
        raise NotFound()
    lock_event(row.event_id)
    row = db.session.get(model, row_id, populate_existing=True)
    if row is None:
        raise NotFound()
    return row


def _next_position(model: type[CustomQuestion] | type[ParticipationRequirement], event_id: int) -> int:
    last = db.session.scalar(select(func.max(model.position)).where(model.event_id == event_id))
    return 0 if last is None else last + 1


@use_case
def add_question(event_id: int, data: QuestionData, *, actor: User) -> CustomQuestion:
    """A new question at the end of the form. People already signed up are not asked it (``overview``
    counts those who have not answered). Side effects: the row, an audit entry."""
    _check_question(data)
    lock_event(event_id)
    question = CustomQuestion(
        event_id=event_id,
        position=_next_position(CustomQuestion, event_id),
        label=data.label.strip(),
        help_text=data.help_text.strip(),
        kind=data.kind,
        required=data.required,
        choices="\n".join(data.choices),
    )
    db.session.add(question)
    db.session.flush()
    audit.record(
        "question.added", actor=actor, event_id=event_id, label=question.label, required=data.required,
        question_id=question.id, kind=audit.value(data.kind), choices=list(data.choices),
    )  # fmt: skip
    db.session.commit()
    return question


@use_case
def update_question(question_id: int, data: QuestionData, *, actor: User, confirmed_answers: int | None = None) -> None:
    """Change a question. When people have answered it: its kind and choices may change only so that
    every answer still fits (else ValidationFailed), and a new wording needs ``confirmed_answers`` equal
    to the number of answers (else ConfirmationNeeded). Side effects: the row, an audit entry with the
    earlier wording."""
    _check_question(data)
    question: CustomQuestion = _locked(CustomQuestion, question_id)
    count = answer_count(question.id)
    label, help_text, choices = data.label.strip(), data.help_text.strip(), "\n".join(data.choices)
    if count:
        _check_answers_survive(question, data, _answer_values(question.id))
        if label != question.label and confirmed_answers != count:
            raise ConfirmationNeeded(count)
    before = {"label": question.label, "kind": question.kind.value, "required": question.required,
              "choices": question.choice_list, "help_text": question.help_text}  # fmt: skip
    question.label, question.help_text, question.kind = label, help_text, data.kind
    question.required, question.choices = data.required, choices
    after = {"label": label, "kind": data.kind.value, "required": data.required, "choices": list(data.choices),
             "help_text": help_text}  # fmt: skip
    changed = sorted(key for key in after if after[key] != before[key])
    if not changed:
        db.session.rollback()
        return
    old_kind = type(data.kind)(str(before["kind"]))
    audit.record(
        "question.changed", actor=actor, event_id=question.event_id, label=label, question_id=question.id,
        changes=audit.changes(**{k: (old_kind, data.kind) if k == "kind" else (before[k], after[k])
                                 for k in changed}), answers=count,
    )  # fmt: skip
    db.session.commit()


@use_case
def remove_question(question_id: int, *, actor: User, confirmed_answers: int | None = None) -> int:
    """Remove a question and every answer to it. When it has answers, ``confirmed_answers`` must equal
    their number (else ConfirmationNeeded, nothing removed). Returns the number of answers deleted.
    Side effects: the row and its answers deleted, an audit entry."""
    question: CustomQuestion = _locked(CustomQuestion, question_id)
    event_id = question.event_id
    count = answer_count(question.id)
    if count and confirmed_answers != count:
        raise ConfirmationNeeded(count)
    audit.record(
        "question.removed", actor=actor, event_id=event_id,
        question_id=question.id, label=question.label, choices=question.choice_list, answers=count,
    )  # fmt: skip
    db.session.execute(delete(RegistrationAnswer).where(RegistrationAnswer.question_id == question.id))
    db.session.delete(question)
    _renumber(CustomQuestion, event_id, without=question.id)
    db.session.commit()
    return count


@use_case
def move_question(question_id: int, *, up: bool, actor: User) -> None:
    """Swap the question with its neighbour above or below (positions renumbered 0, 1, 2, …)."""
    question: CustomQuestion = _locked(CustomQuestion, question_id)
    _move(CustomQuestion, question, up=up)
    audit.record("question.moved", actor=actor, event_id=question.event_id, question_id=question.id,
                 label=question.label, up=up)  # fmt: skip
    db.session.commit()


# --- requirements --------------------------------------------------------------------------------


@use_case
def add_requirement(event_id: int, data: RequirementData, *, actor: User) -> ParticipationRequirement:
    """A new requirement at the end. People already signed up have not confirmed it (``overview``
    counts them). Side effects: the row, an audit entry."""
    _check_requirement(data)
    lock_event(event_id)
    requirement = ParticipationRequirement(
        event_id=event_id, position=_next_position(ParticipationRequirement, event_id), text=data.text.strip()
    )
    db.session.add(requirement)
    db.session.flush()
    audit.record("requirement.added", actor=actor, event_id=event_id, requirement_id=requirement.id,
                 text=requirement.text)  # fmt: skip
    db.session.commit()
    return requirement


@use_case
def update_requirement(
    requirement_id: int, data: RequirementData, *, actor: User, confirmed_count: int | None = None
) -> None:
    """Re-word a requirement. When organisations have confirmed it, ``confirmed_count`` must equal the
    number of confirmations (else ConfirmationNeeded). Side effects: the row, an audit entry with the
    earlier wording (what those people confirmed)."""
    _check_requirement(data)
    requirement: ParticipationRequirement = _locked(ParticipationRequirement, requirement_id)
    text = data.text.strip()
    if text == requirement.text:
        db.session.rollback()
        return
    count = confirmation_count(requirement.id)
    if count and confirmed_count != count:
        raise ConfirmationNeeded(count)
    before = requirement.text
    requirement.text = text
    audit.record(
        "requirement.changed", actor=actor, event_id=requirement.event_id, requirement_id=requirement.id,
        text=text, changes=audit.changes(text=(before, text)), confirmations=count,
    )  # fmt: skip
    db.session.commit()


@use_case
def remove_requirement(requirement_id: int, *, actor: User, confirmed_count: int | None = None) -> int:
    """Remove a requirement and every confirmation of it. When it has confirmations, ``confirmed_count``
    must equal their number (else ConfirmationNeeded, nothing removed). Returns the number deleted.
    Side effects: the row and its confirmations deleted, an audit entry."""
    requirement: ParticipationRequirement = _locked(ParticipationRequirement, requirement_id)
    event_id = requirement.event_id
    count = confirmation_count(requirement.id)
    if count and confirmed_count != count:
        raise ConfirmationNeeded(count)
    audit.record(
        "requirement.removed", actor=actor, event_id=event_id, requirement_id=requirement.id,
        text=requirement.text, confirmations=count,
    )  # fmt: skip
    db.session.execute(delete(RequirementConfirmation).where(RequirementConfirmation.requirement_id == requirement.id))
    db.session.delete(requirement)
    _renumber(ParticipationRequirement, event_id, without=requirement.id)
    db.session.commit()
    return count


@use_case
def move_requirement(requirement_id: int, *, up: bool, actor: User) -> None:
    """Swap the requirement with its neighbour above or below (positions renumbered 0, 1, 2, …)."""
    requirement: ParticipationRequirement = _locked(ParticipationRequirement, requirement_id)
    _move(ParticipationRequirement, requirement, up=up)
    audit.record("requirement.moved", actor=actor, event_id=requirement.event_id, requirement_id=requirement.id,
                 text=requirement.text, up=up)  # fmt: skip
    db.session.commit()


# --- order ---------------------------------------------------------------------------------------


def _in_order(model: type[CustomQuestion] | type[ParticipationRequirement], event_id: int) -> list:
    return list(db.session.scalars(select(model).where(model.event_id == event_id).order_by(model.position, model.id)))


def _move(
    model: type[CustomQuestion] | type[ParticipationRequirement],
    row: CustomQuestion | ParticipationRequirement,
    *,
    up: bool,
) -> None:
    rows = _in_order(model, row.event_id)
    index = rows.index(row)
    other = index - 1 if up else index + 1
    if 0 <= other < len(rows):
        rows[index], rows[other] = rows[other], rows[index]
    for position, each in enumerate(rows):
        each.position = position


def _renumber(model: type[CustomQuestion] | type[ParticipationRequirement], event_id: int, *, without: int) -> None:
    for position, each in enumerate(r for r in _in_order(model, event_id) if r.id != without):
        each.position = position
