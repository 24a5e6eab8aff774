"""The survey as attendees answer it, and the back office's forms for it."""

from __future__ import annotations

from datetime import UTC
from typing import Any
from zoneinfo import ZoneInfo

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, DateTimeLocalField, Field, RadioField, StringField, TextAreaField, ValidationError
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, Optional

from eventapp.forms import FlaskForm, within_years
from eventapp.registrations.forms import MultiCheckboxField
from eventapp.registrations.questions import HELP_MAX, LABEL_MAX, parse_choices
from eventapp.surveys.enums import SurveyQuestionKind
from eventapp.surveys.models import Survey, SurveyQuestion
from eventapp.surveys.services import INTRO_MAX, TEXT_ANSWER_MAX, SurveyData, SurveyQuestionData

#: What the ends of each scale mean, shown as the question's hint (after the organiser's own).
SCALE_HINTS = {
    SurveyQuestionKind.SCALE: _l("1 is the lowest, 5 the highest."),
    SurveyQuestionKind.RECOMMEND: _l("0 is not at all likely, 10 is extremely likely."),
}


def _answer_field(question: SurveyQuestion) -> Field:
    validators: list = (
        [InputRequired(message=_l("Please answer this question."))] if question.required else [Optional()]
    )
    label, description, kind = question.label, question.help_text, question.kind
    if kind is SurveyQuestionKind.SHORT_TEXT:
        return StringField(label, validators=[*validators, Length(max=500)], description=description,
                           render_kw={"maxlength": 500})  # fmt: skip
    if kind is SurveyQuestionKind.LONG_TEXT:
        return TextAreaField(label, validators=[*validators, Length(max=TEXT_ANSWER_MAX)], description=description,
                             render_kw={"maxlength": TEXT_ANSWER_MAX, "rows": 5})  # fmt: skip
    if kind is SurveyQuestionKind.YES_NO:
        return RadioField(label, choices=[SelectChoice("yes", _l("Yes")), SelectChoice("no", _l("No"))],
                          validators=validators, description=description)  # fmt: skip
    if kind.is_scale:
        hint = SCALE_HINTS[kind]
        text = f"{description} {hint}".strip() if description else hint
        choices = [SelectChoice(str(p), str(p)) for p in kind.points]
        return RadioField(label, choices=choices, validators=validators, description=text)
    choices = [SelectChoice(c, c) for c in question.choice_list]
    if kind is SurveyQuestionKind.SINGLE_CHOICE:
        return RadioField(label, choices=choices, validators=validators, description=description)
    return MultiCheckboxField(label, choices=choices, validators=validators, description=description)


class AnswerForm(FlaskForm):
    """The survey's questions (fields ``q_<id>``, added per survey by ``answer_form``)."""

    question_fields: tuple[str, ...] = ()

    def answers(self, survey: Survey) -> dict[int, str | list[str]]:
        return {q.id: getattr(self, q.field_name).data or "" for q in survey.questions}


def answer_form(survey: Survey, **kwargs: Any) -> AnswerForm:
    attrs: dict[str, Any] = {q.field_name: _answer_field(q) for q in survey.questions}
    attrs["question_fields"] = tuple(attrs)
    return type("SurveyAnswerForm", (AnswerForm,), attrs)(**kwargs)


class SurveySettingsForm(FlaskForm):
    anonymous = RadioField(
        _l("Are the answers anonymous?"),
        choices=[
            SelectChoice("yes", _l("Anonymous: answers are stored without the person's name, address or time")),
            SelectChoice("no", _l("Not anonymous: you see who gave each answer")),
        ],
        default="yes",
        validators=[InputRequired(message=_l("Choose whether the answers are anonymous."))],
        description=_l("People are told which before they answer. It cannot change once someone has answered."),
    )
    intro = TextAreaField(
        _l("A few words above the questions (optional)"),
        validators=[
            Optional(),
            Length(max=INTRO_MAX, message=_l("The introduction can be at most %(max)d characters.")),
        ],
        render_kw={"rows": 3, "maxlength": INTRO_MAX},
    )

    closes_at = DateTimeLocalField(
        _l("The survey closes (optional)"),
        format="%Y-%m-%dT%H:%M",
        validators=[Optional(), within_years],
        description=_l(
            "Empty: 30 days after the event ends. After it, the survey takes no answers and no reminder is sent."
        ),
    )

    @classmethod
    def for_survey(cls, survey: Survey | None, event: Any, **kwargs: Any) -> SurveySettingsForm:
        """The form for ``event``'s survey: its closing time on the event's wall clock, the zone named."""
        form = cls(**kwargs)
        form.closes_at.label.text = str(_l("The survey closes (optional), in %(zone)s", zone=event.timezone))
        if survey is not None and not form.is_submitted():
            form.anonymous.data = "yes" if survey.anonymous else "no"
            form.intro.data = survey.intro
            if survey.closes_at is not None:
                form.closes_at.data = survey.closes_at.astimezone(event.tzinfo).replace(tzinfo=None)
        return form

    def to_data(self, zone_name: str) -> SurveyData | None:
        """The input, the closing time as a UTC instant; None (the message at the field) for a wall-clock
        time that does not exist in ``zone_name`` (the hour skipped when clocks go forward)."""
        closes_at = None
        if self.closes_at.data is not None:
            zone = ZoneInfo(zone_name)
            closes_at = self.closes_at.data.replace(tzinfo=zone, fold=0).astimezone(UTC)
            if closes_at.astimezone(zone).replace(tzinfo=None) != self.closes_at.data:
                skipped = _l("This time does not exist in %(zone)s: the clocks go forward that night.", zone=zone_name)
                self.closes_at.errors = [*self.closes_at.errors, str(skipped)]
                return None
        return SurveyData(anonymous=self.anonymous.data != "no", intro=(self.intro.data or "").strip(),
                          closes_at=closes_at)  # fmt: skip


def _known_kind(_form: Any, field: Field) -> None:
    if field.data not in {kind.value for kind in SurveyQuestionKind}:
        raise ValidationError(str(_l("Choose one of the kinds in the list.")))


class SurveyQuestionForm(FlaskForm):
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
        validate_choice=False,
        default=SurveyQuestionKind.SCALE.value,
    )
    choices = TextAreaField(
        _l("Choices"),
        validators=[Optional(), Length(max=20_000)],
        description=_l("One per line, at least two. Only for the two kinds answered from a list."),
        render_kw={"rows": 5},
    )
    required = BooleanField(_l("An answer is required"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.kind.choices = [SelectChoice(kind.value, kind.label) for kind in SurveyQuestionKind]

    @classmethod
    def for_question(cls, question: SurveyQuestion) -> SurveyQuestionForm:
        form = cls(obj=question)
        if not form.is_submitted():
            form.kind.data = question.kind.value
        return form

    def to_data(self) -> SurveyQuestionData:
        return SurveyQuestionData(
            label=(self.label.data or "").strip(),
            kind=SurveyQuestionKind(self.kind.data),
            help_text=(self.help_text.data or "").strip(),
            required=bool(self.required.data),
            choices=parse_choices(self.choices.data or ""),
        )
