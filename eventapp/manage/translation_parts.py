"""The translation fields of checklist statements and questions, on an event's and a call's Languages page
(``registrations.wording`` says what is stored and what readers see): a field per statement, and per
question its label, its hint (where it has one) and its choices (choice questions: one line per original
choice), each field's hint giving the original."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, TypeVar

from flask_babel import lazy_gettext as _l
from wtforms import StringField, TextAreaField
from wtforms.validators import Length, Optional

from eventapp.registrations import wording
from eventapp.registrations.questions import CHOICE_KINDS
from eventapp.registrations.wording import PART_LIMITS, QuestionTranslationData

F = TypeVar("F")

#: (statement id, field name) per statement, and (question id, ((part, field name), ...)) per question.
StatementFields = tuple[tuple[int, str], ...]
QuestionFields = tuple[tuple[int, tuple[tuple[str, str], ...]], ...]


def _part_field(label: Any, part: str, original: str, *, rows: int = 0) -> Any:
    validators = [Optional(), Length(max=PART_LIMITS[part])]
    hint = _l("Original: %(text)s", text=original) if original else None
    if rows:
        return TextAreaField(label, validators=validators, description=hint, render_kw={"rows": rows})
    return StringField(label, validators=validators, description=hint, render_kw={"maxlength": PART_LIMITS[part]})


def add_part_fields(
    attrs: dict[str, Any], statements: Iterable[wording.Statement], questions: Iterable[wording.Question]
) -> tuple[StatementFields, QuestionFields]:
    """Add the unbound fields to ``attrs`` (a form class's); returns the names, in form order."""
    statement_fields = []
    for number, statement in enumerate(statements, start=1):
        name = f"requirement_{statement.id}"
        attrs[name] = _part_field(_l("Statement %(number)d", number=number), "requirement", statement.text)
        statement_fields.append((statement.id, name))
    question_fields = []
    for number, question in enumerate(questions, start=1):
        names = [("label", f"question_{question.id}_label")]
        attrs[names[0][1]] = _part_field(_l("Question %(number)d", number=number), "label", question.label)
        if question.help_text:
            names.append(("help_text", f"question_{question.id}_help_text"))
            attrs[names[-1][1]] = _part_field(_l("Hint to question %(number)d", number=number), "help_text",
                                              question.help_text)  # fmt: skip
        if question.kind in CHOICE_KINDS:
            names.append(("choices", f"question_{question.id}_choices"))
            attrs[names[-1][1]] = _part_field(
                _l("Choices of question %(number)d, one per line, in the original's order", number=number),
                "choices", " / ".join(question.choice_list), rows=max(2, len(question.choice_list)),
            )  # fmt: skip
        question_fields.append((question.id, tuple(names)))
    return tuple(statement_fields), tuple(question_fields)


def fill_part_fields(
    form: Any, statement_fields: StatementFields, question_fields: QuestionFields, parts: Mapping[str, Any] | None
) -> None:
    """Fill the fields from a stored translation's ``parts``."""
    for statement_id, name in statement_fields:
        getattr(form, name).data = wording.statement_text(parts, statement_id)
    for question_id, names in question_fields:
        texts = wording.question_texts(parts, question_id)
        for part, name in names:
            getattr(form, name).data = texts.get(part, "")


def part_data(
    form: Any, statement_fields: StatementFields, question_fields: QuestionFields
) -> tuple[dict[int, str], dict[int, QuestionTranslationData]]:
    """What was entered: statement id → text, question id → its parts."""
    return (
        {statement_id: getattr(form, name).data or "" for statement_id, name in statement_fields},
        {
            question_id: QuestionTranslationData(**{part: getattr(form, name).data or "" for part, name in names})
            for question_id, names in question_fields
        },
    )


def translation_form(
    base: type[F],
    statements: Iterable[wording.Statement],
    questions: Iterable[wording.Question],
    translation: Any | None,
    *,
    submitted: bool,
) -> F:
    """An instance of ``base`` (a form with the texts of one language, and ``requirement_fields`` and
    ``question_fields``) with a field for each statement and for each question's label, hint and (choice
    questions) choices, filled from ``translation`` (its texts and ``parts``) unless ``submitted``."""
    attrs: dict[str, Any] = {}
    statement_fields, question_fields = add_part_fields(attrs, statements, questions)
    attrs["requirement_fields"], attrs["question_fields"] = statement_fields, question_fields
    form = type(f"{base.__name__}Of", (base,), attrs)(obj=None if submitted else translation)
    if not submitted and translation is not None:
        fill_part_fields(form, statement_fields, question_fields, translation.parts)
    return form
