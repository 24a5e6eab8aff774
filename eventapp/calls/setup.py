"""Calls: the organisers' use cases that open and change a call and its questions, each one transaction
(``create_call``, ``update_call``, ``add_question``, ``remove_question``), and ``lock_call``, the lock that
every write counting a call's applications takes (``SELECT ... FOR UPDATE`` on PostgreSQL, ``BEGIN
IMMEDIATE`` on SQLite). Applications and decisions are in ``calls.services``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from eventapp.accounts import audit
from eventapp.accounts.models import User
from eventapp.calls.enums import CallKind, LetterPolicy
from eventapp.calls.models import (
    ApplicationAnswer,
    ApplicationConfirmation,
    Call,
    CallQuestion,
    CallRequirement,
)
from eventapp.db import begin_write
from eventapp.errors import NotAllowed, NotFound, ValidationFailed
from eventapp.extensions import db
from eventapp.programmes.models import Programme
from eventapp.registrations.questions import QuestionData
from eventapp.transactions import use_case

REQUIREMENT_MAX = 500
TARGET_MAX = 10_000


# --- calls ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CallData:
    kind: CallKind
    title: str
    opens_at: datetime
    closes_at: datetime
    target_min: int
    target_max: int
    letter_policy: LetterPolicy
    timezone: str
    language: str
    summary: str = ""
    description_md: str = ""
    #: The checklist, one statement each, in order.
    requirements: tuple[str, ...] = ()


def _check_call(data: CallData) -> None:
    if not data.title.strip():
        raise ValidationFailed("title", str(_l("Give the call a title.")))
    if data.closes_at <= data.opens_at:
        raise ValidationFailed("closes_at", str(_l("The call must close after it opens.")))
    if not 0 <= data.target_min <= data.target_max <= TARGET_MAX:
        raise ValidationFailed("target_max", str(_l("The most organisations must be at least the fewest.")))
    for text in data.requirements:
        if len(text) > REQUIREMENT_MAX:
            raise ValidationFailed(
                "requirements", str(_l("Each statement can be at most %(max)d characters.", max=REQUIREMENT_MAX))
            )


def _set_requirements(call: Call, wanted: tuple[str, ...]) -> None:
    """Keep the statements that stay (their confirmations too), drop the others, add the new, in order."""
    existing = {r.text: r for r in call.requirements}
    kept = []
    for position, text in enumerate(dict.fromkeys(t.strip() for t in wanted if t.strip())):
        requirement = existing.pop(text, None) or CallRequirement(text=text)
        requirement.position = position
        kept.append(requirement)
    call.requirements = kept


@use_case
def create_call(programme_id: int, data: CallData, *, actor: User) -> Call:
    """Open a call on a programme. Side effects: the call and its checklist; an audit entry."""
    if db.session.get(Programme, programme_id) is None:
        raise NotFound()
    _check_call(data)
    call = Call(programme_id=programme_id, created_by_id=actor.id)
    _apply_call_data(call, data)
    db.session.add(call)
    db.session.flush()
    audit.record(
        "call.created",
        actor=actor,
        event_id=None,
        call_id=call.id,
        title=call.title,
    )
    db.session.commit()
    return call


def _apply_call_data(call: Call, data: CallData) -> None:
    call.kind, call.title, call.summary = data.kind, data.title.strip(), data.summary.strip()
    call.description_md, call.language, call.timezone = data.description_md, data.language, data.timezone
    call.opens_at, call.closes_at = data.opens_at, data.closes_at
    call.target_min, call.target_max, call.letter_policy = data.target_min, data.target_max, data.letter_policy
    _set_requirements(call, data.requirements)


@use_case
def update_call(call_id: int, data: CallData, *, actor: User) -> Call:
    """Change a call. Statements organisations already confirmed cannot be re-worded or removed (what they
    confirmed stays on record): such a change is refused on the ``requirements`` field."""
    call = lock_call(call_id)
    try:
        _check_call(data)
        wanted = {t.strip() for t in data.requirements if t.strip()}
        confirmed = set(
            db.session.scalars(
                select(CallRequirement.text)
                .join(ApplicationConfirmation, ApplicationConfirmation.requirement_id == CallRequirement.id)
                .where(CallRequirement.call_id == call.id)
            )
        )
        if confirmed - wanted:
            raise ValidationFailed(
                "requirements",
                str(
                    _l(
                        "Organisations have confirmed the statements as they are: you can add statements, "
                        "but not change or remove those."
                    )
                ),
            )
    except ValidationFailed:
        db.session.rollback()
        raise
    _apply_call_data(call, data)
    audit.record(
        "call.changed",
        actor=actor,
        event_id=None,
        call_id=call.id,
        title=call.title,
    )
    db.session.commit()
    return call


def lock_call(call_id: int) -> Call:
    """Start a write transaction and lock the call's row until it commits."""
    begin_write(db.session)
    call = db.session.get(Call, call_id, with_for_update=True, populate_existing=True)
    if call is None:
        db.session.rollback()
        raise NotFound()
    return call


@use_case
def add_question(call_id: int, data: QuestionData, *, actor: User) -> CallQuestion:
    """Add a question at the end of the call's form."""
    from eventapp.registrations.questions import CHOICE_KINDS

    call = lock_call(call_id)
    if data.kind in CHOICE_KINDS and len(data.choices) < 2:
        db.session.rollback()
        raise ValidationFailed("choices", str(_l("Give at least two choices, one per line.")))
    question = CallQuestion(
        call_id=call.id,
        position=len(call.questions),
        label=data.label,
        help_text=data.help_text,
        kind=data.kind,
        required=data.required,
        choices="\n".join(data.choices) if data.kind in CHOICE_KINDS else "",
    )
    db.session.add(question)
    db.session.flush()
    audit.record(
        "call.question_added",
        actor=actor,
        event_id=None,
        call_id=call.id,
        label=data.label,
        call=call.title,
    )
    db.session.commit()
    return question


@use_case
def remove_question(call_id: int, question_id: int, *, actor: User) -> None:
    """Remove a question nobody has answered; an answered one stays (what was answered stays on record)."""
    call = lock_call(call_id)
    question = db.session.get(CallQuestion, question_id)
    if question is None or question.call_id != call.id:
        db.session.rollback()
        raise NotFound()
    answered = db.session.scalar(
        select(func.count()).select_from(ApplicationAnswer).where(ApplicationAnswer.question_id == question.id)
    )
    if answered:
        db.session.rollback()
        raise NotAllowed(str(_l("Organisations have answered this question, so it stays.")))
    db.session.delete(question)
    audit.record(
        "call.question_removed",
        actor=actor,
        event_id=None,
        call_id=call.id,
        label=question.label,
        call=call.title,
    )
    db.session.commit()
