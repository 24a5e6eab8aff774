"""Back-office forms of calls: the call itself and an organiser's decision on an application."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import DateTimeLocalField, HiddenField, IntegerField, RadioField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from eventapp.calls.enums import DECISIONS, CallKind, LetterPolicy
from eventapp.calls.models import Call, CallTranslation
from eventapp.calls.setup import TARGET_MAX, CallData
from eventapp.calls.translations import LIMITS, CallTranslationData
from eventapp.formatting import language_name
from eventapp.forms import FlaskForm, within_years
from eventapp.manage import translation_parts
from eventapp.manage.forms import LANGUAGES, TIMEZONES, local_to_utc, utc_to_local
from eventapp.manage.translation_parts import QuestionFields, StatementFields, part_data

_RANGE = _l("Give a number from %(min)s to %(max)s.")


def _required(message: Any) -> list:
    return [InputRequired(message=message)]


def _lines(text: str | None) -> tuple[str, ...]:
    return tuple(line.strip() for line in (text or "").splitlines() if line.strip())


class CallForm(FlaskForm):
    kind = RadioField(
        _l("Kind of call"),
        validators=_required(_l("Choose the kind of call.")),
        validate_choice=True,
        default=CallKind.PARTICIPATION.value,
    )
    title = StringField(
        _l("Title"),
        validators=[*_required(_l("Give the call a title.")), Length(max=200)],
        render_kw={"maxlength": 200},
    )
    summary = StringField(
        _l("Summary (optional)"), validators=[Optional(), Length(max=500)], render_kw={"maxlength": 500}
    )
    description_md = TextAreaField(
        _l("Description (optional)"),
        validators=[Optional(), Length(max=50_000)],
        description=_l("Markdown: **bold**, *italic*, [link](https://…), lists with -, headings with ##."),
        render_kw={"rows": 8},
    )
    language = SelectField(_l("Language of the texts above"), default="nb")
    timezone = SelectField(_l("Time zone"), default="Europe/Oslo")
    opens_at = DateTimeLocalField(
        _l("Opens"), format="%Y-%m-%dT%H:%M", validators=[*_required(_l("Give the opening time.")), within_years]
    )
    closes_at = DateTimeLocalField(
        _l("Deadline"), format="%Y-%m-%dT%H:%M", validators=[*_required(_l("Give the deadline.")), within_years]
    )
    target_min = IntegerField(
        _l("Fewest organisations wanted"),
        default=1,
        validators=[InputRequired(message=_l("Give a number.")), NumberRange(min=0, max=TARGET_MAX, message=_RANGE)],
    )
    target_max = IntegerField(
        _l("Most organisations wanted"),
        default=12,
        validators=[InputRequired(message=_l("Give a number.")), NumberRange(min=0, max=TARGET_MAX, message=_RANGE)],
    )
    letter_policy = RadioField(
        _l("Letter of intent"),
        validators=_required(_l("Choose one.")),
        validate_choice=True,
        default=LetterPolicy.REQUIRED.value,
    )
    requirements = TextAreaField(
        _l("Requirements (optional)"),
        validators=[Optional(), Length(max=20_000)],
        description=_l("One statement per line; each applying organisation confirms every one."),
        render_kw={"rows": 6},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.kind.choices = [SelectChoice(k.value, k.label) for k in CallKind]
        self.letter_policy.choices = [SelectChoice(p.value, p.label) for p in LetterPolicy]
        self.language.choices = [SelectChoice(code, language_name(code)) for code in LANGUAGES]
        self.timezone.choices = [SelectChoice(z, z.replace("_", " ")) for z in TIMEZONES]

    @classmethod
    def for_call(cls, call: Call) -> CallForm:
        form = cls(obj=call)
        if not form.is_submitted():
            form.kind.data, form.letter_policy.data = call.kind.value, call.letter_policy.value
            form.opens_at.data = utc_to_local(call.opens_at, call.timezone)
            form.closes_at.data = utc_to_local(call.closes_at, call.timezone)
            form.requirements.data = "\n".join(r.text for r in call.requirements)
        return form

    def _instant(self, name: str) -> datetime | None:
        field = getattr(self, name)
        try:
            return local_to_utc(field.data, self.timezone.data or "Europe/Oslo")
        except ValueError:
            field.errors = [*field.errors, str(_l("This time does not exist in the chosen zone (clocks go forward)."))]
            return None

    def to_data(self) -> CallData | None:
        opens, closes = self._instant("opens_at"), self._instant("closes_at")
        if opens is None or closes is None:
            return None
        return CallData(
            kind=CallKind(self.kind.data),
            title=self.title.data or "",
            opens_at=opens,
            closes_at=closes,
            target_min=self.target_min.data or 0,
            target_max=self.target_max.data or 0,
            letter_policy=LetterPolicy(self.letter_policy.data),
            timezone=self.timezone.data or "Europe/Oslo",
            language=self.language.data or "nb",
            summary=self.summary.data or "",
            description_md=self.description_md.data or "",
            requirements=_lines(self.requirements.data),
        )


class DecisionForm(FlaskForm):
    decision = RadioField(_l("Decision"), validators=_required(_l("Choose a decision.")), validate_choice=True)
    message = TextAreaField(
        _l("Message to the contact person (optional)"),
        validators=[Optional(), Length(max=5000)],
        description=_l("Mailed with the decision, in the contact person's language."),
        render_kw={"rows": 4, "maxlength": 5000},
    )
    #: The confirm step: the number accepted the organiser saw when going past the target.
    confirmed = HiddenField()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        labels = {"accepted": _l("Accept"), "on_hold": _l("Put on hold"), "declined": _l("Decline")}
        self.decision.choices = [SelectChoice(d.value, labels[d.value]) for d in DECISIONS]

    @property
    def confirmed_count(self) -> int | None:
        value = (self.confirmed.data or "").strip()
        return int(value) if value.isdigit() and len(value) < 10 else None


class CallTranslationForm(FlaskForm):
    """The call's title and texts in one other language; an empty field shows the original."""

    title = StringField(_l("Title"), validators=[Optional(), Length(max=LIMITS["title"])],
                        render_kw={"maxlength": LIMITS["title"]})  # fmt: skip
    summary = StringField(_l("Summary"), validators=[Optional(), Length(max=LIMITS["summary"])],
                          render_kw={"maxlength": LIMITS["summary"]})  # fmt: skip
    description_md = TextAreaField(
        _l("Description"),
        validators=[Optional(), Length(max=LIMITS["description_md"])],
        description=_l("Markdown, as in the call's own description. Leave a field empty to show the original."),
        render_kw={"rows": 10},
    )

    #: The call's checklist statements and questions: (id, field name) and (id, ((part, field name), ...)).
    requirement_fields: StatementFields = ()
    question_fields: QuestionFields = ()

    def to_data(self, locale: str) -> CallTranslationData:
        requirements, questions = part_data(self, self.requirement_fields, self.question_fields)
        return CallTranslationData(
            locale=locale,
            title=self.title.data or "",
            summary=self.summary.data or "",
            description_md=self.description_md.data or "",
            requirements=requirements,
            questions=questions,
        )


def call_translation_form(call: Call, translation: CallTranslation | None, *, submitted: bool) -> CallTranslationForm:
    """The translation form of ``call`` with a field for each checklist statement and for each question's
    label, hint and (choice questions) choices, filled from ``translation`` unless ``submitted``."""
    return translation_parts.translation_form(
        CallTranslationForm, call.requirements, call.questions, translation, submitted=submitted
    )
