"""Back-office forms for an event's sign-up questions and participation requirements."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, Field, HiddenField, RadioField, StringField, TextAreaField, ValidationError
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, Optional

from eventapp.forms import FlaskForm
from eventapp.registrations.enums import QuestionKind
from eventapp.registrations.questions import (
    HELP_MAX,
    KIND_LABELS,
    LABEL_MAX,
    REQUIREMENT_MAX,
    QuestionData,
    RequirementData,
    parse_choices,
)


def _known_kind(_form: Any, field: Field) -> None:
    if field.data not in {kind.value for kind in QuestionKind}:
        raise ValidationError(_l("Choose one of the kinds in the list."))


def _count(field: Field) -> int | None:
    """The count an organiser confirmed (a hidden field of the confirm step); None when absent or bad."""
    value = (field.data or "").strip()
    return int(value) if value.isdigit() and len(value) < 10 else None


class QuestionForm(FlaskForm):
    label = StringField(
        _l("Question"),
        validators=[
            InputRequired(message=_l("Write the question.")),
            Length(max=LABEL_MAX, message=_l("The question can be at most %(max)d characters.")),
        ],
        render_kw={"maxlength": LABEL_MAX},
    )
    help_text = StringField(
        _l("Hint under the question (optional)"),
        validators=[Optional(), Length(max=HELP_MAX, message=_l("The hint can be at most %(max)d characters."))],
        render_kw={"maxlength": HELP_MAX},
    )
    kind = RadioField(
        _l("Kind of answer"),
        validators=[InputRequired(message=_l("Choose the kind of answer.")), _known_kind],
        validate_choice=False,  # _known_kind says it in our words
        default=QuestionKind.SHORT_TEXT.value,
    )
    choices = TextAreaField(
        _l("Choices"),
        validators=[Optional(), Length(max=20_000)],
        description=_l("One per line, at least two. Only for the two kinds answered from a list."),
        render_kw={"rows": 5},
    )
    required = BooleanField(_l("An answer is required"))
    #: The confirm step: how many answers the organiser agreed to re-word (see ConfirmationNeeded).
    confirmed = HiddenField()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.kind.choices = [SelectChoice(kind.value, label) for kind, label in KIND_LABELS.items()]

    @classmethod
    def for_question(cls, question: Any) -> QuestionForm:
        form = cls(obj=question)
        if not form.is_submitted():
            form.kind.data = question.kind.value
            form.confirmed.data = ""
        return form

    def to_data(self) -> QuestionData:
        return QuestionData(
            label=(self.label.data or "").strip(),
            kind=QuestionKind(self.kind.data),
            help_text=(self.help_text.data or "").strip(),
            required=bool(self.required.data),
            choices=parse_choices(self.choices.data or ""),
        )

    @property
    def confirmed_count(self) -> int | None:
        return _count(self.confirmed)


class RequirementForm(FlaskForm):
    text = TextAreaField(
        _l("Statement the organisation confirms"),
        validators=[
            InputRequired(message=_l("Write the statement organisations confirm.")),
            Length(max=REQUIREMENT_MAX, message=_l("The statement can be at most %(max)d characters.")),
        ],
        description=_l("For example: “Our leadership has anchored the project.”"),
        render_kw={"rows": 2, "maxlength": REQUIREMENT_MAX},
    )
    confirmed = HiddenField()

    def to_data(self) -> RequirementData:
        return RequirementData(text=(self.text.data or "").strip())

    @property
    def confirmed_count(self) -> int | None:
        return _count(self.confirmed)


class ConfirmCountForm(FlaskForm):
    """Remove a question or requirement; ``confirmed`` is the number of answers the organiser saw lost."""

    confirmed = HiddenField()

    @property
    def confirmed_count(self) -> int | None:
        return _count(self.confirmed)
