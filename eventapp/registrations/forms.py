"""The sign-up form (standard fields, plus each event's requirements and questions) and the small
forms of a person's own registration page."""

from __future__ import annotations

from dataclasses import replace
from functools import cache, lru_cache
from typing import Any, NamedTuple, Protocol

from babel import Locale
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    EmailField,
    Field,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from eventapp.addresses import valid_email as valid_email  # the back-office forms import it from here
from eventapp.events.models import Event
from eventapp.forms import FlaskForm
from eventapp.i18n import COUNTRY_OF_LANGUAGE
from eventapp.registrations import wording
from eventapp.registrations.enums import AttendanceMode, OrganisationType, QuestionKind
from eventapp.registrations.gates import OPEN, Admission
from eventapp.registrations.models import CustomQuestion
from eventapp.registrations.services import RegistrationData

NORDIC_COUNTRIES = ("NO", "SE", "DK", "FI", "IS")


@cache
def _country_choices(locale: str) -> list[tuple[str, str]]:
    territories = Locale.parse(locale if locale != "en" else "en_GB").territories
    nordic = [(code, territories.get(code, code)) for code in NORDIC_COUNTRIES]
    others = sorted(
        ((code, name) for code, name in territories.items() if len(code) == 2 and code.isalpha()
         and code not in NORDIC_COUNTRIES and code not in {"ZZ", "EU", "EZ", "UN", "XA", "XB", "XK", "QO"}),
        key=lambda item: item[1],
    )  # fmt: skip
    return nordic + others


@cache
def _country_select_choices(locale: str) -> tuple[SelectChoice, ...]:
    return tuple(SelectChoice(code, name) for code, name in _country_choices(locale))


def country_choices() -> list[SelectChoice]:
    """The Nordic countries first, then every other by its name in the page's language (built once)."""
    return list(_country_select_choices(str(get_locale() or "en")))


def country_choices_to_pick() -> list[SelectChoice]:
    """The countries for a form that asks for one: an empty "Choose a country" first (a required select
    needs an empty first option, or the browser can never ask the person to choose), then the countries."""
    return [SelectChoice("", _l("Choose a country")), *country_choices()]


def default_country(event: Event, locale: str) -> str:
    """The country the form starts with: the venue's country when the event has one, else the country
    of the interface language ("" for English: ask, suggest nothing)."""
    if event.has_venue and event.venue_country:
        return event.venue_country
    return COUNTRY_OF_LANGUAGE.get(locale.split("_")[0], "")


@cache
def _organisation_type_choices(_locale: str) -> tuple[SelectChoice, ...]:
    """The kinds of organisation with their labels in ``_locale`` (the page's: gettext reads it), made once
    per language: translating the six labels on every form was about 3 % of a sign-up's CPU."""
    return tuple(SelectChoice(t.value, t.label) for t in OrganisationType)


@cache
def _attendance_choices(_locale: str) -> tuple[SelectChoice, ...]:
    """On site and online, labelled in ``_locale`` (as ``_organisation_type_choices``)."""
    return tuple(SelectChoice(m.value, m.label) for m in AttendanceMode)


@cache
def _country_codes(locale: str) -> frozenset[str]:
    return frozenset(code for code, _name in _country_choices(locale))


#: SelectField's own message, translated by WTForms's catalogue as SelectField translates it (not ours: kept
#: out of a literal ``gettext`` call so that pybabel does not extract it into eventapp's catalogue).
WTFORMS_INVALID_CHOICE = "Not a valid choice."


class CountryField(SelectField):
    """A select of ``country_choices_to_pick``, whose choice check is a set look-up: WTForms's own makes an
    option object for each of the ~250 countries on every POST (about 4 % of a sign-up's CPU in
    bench/signup_profile.py --profile). The same answers and messages as SelectField's check."""

    def pre_validate(self, form: Any) -> None:
        if self.process_errors or not self.validate_choice:
            return
        if self.data != "" and self.data not in _country_codes(str(get_locale() or "en")):
            raise ValidationError(self.invalid_choice_message or self.gettext(WTFORMS_INVALID_CHOICE))


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def _required(message: Any) -> list:
    return [InputRequired(message=message)]


class RegistrationForm(FlaskForm):
    """Field names are part of the public contract (ARCHITECTURE.md)."""

    name = StringField(
        _l("Full name"),
        validators=[*_required(_l("Please enter your name.")), Length(max=200)],
        render_kw={"autocomplete": "name", "maxlength": 200},
    )
    email = EmailField(
        _l("Email"),
        validators=[*_required(_l("Please enter your email address.")), Length(max=254), valid_email],
        render_kw={"autocomplete": "email", "maxlength": 254},
        description=_l("Your confirmation, calendar invitation and link to your registration go here."),
    )
    organisation = StringField(
        _l("Organisation"),
        validators=[*_required(_l("Please enter your organisation.")), Length(max=200)],
        render_kw={"autocomplete": "organization", "maxlength": 200},
    )
    organisation_type = RadioField(
        _l("Type of organisation"),
        choices=[SelectChoice(t.value, t.label) for t in OrganisationType],
        validators=_required(_l("Please choose the type of your organisation.")),
        validate_choice=True,
    )
    country = CountryField(_l("Country"), validators=_required(_l("Please choose a country.")))
    job_title = StringField(
        _l("Job title (optional)"),
        validators=[Optional(), Length(max=200)],
        render_kw={"autocomplete": "organization-title", "maxlength": 200},
    )
    organisation_number = StringField(
        _l("Organisation number (optional)"),
        validators=[Optional(), Length(max=64)],
        render_kw={"maxlength": 64, "inputmode": "text"},
        description=_l("For example 974 760 673 in Norway or 202100-5448 in Sweden."),
    )
    accept_privacy = BooleanField(
        _l("I have read the privacy notice and agree that my details are used to run this event."),
        validators=_required(_l("Please accept the privacy notice to sign up.")),
    )

    #: Field names of the event's own requirements and questions, in form order.
    extra_fields: tuple[str, ...] = ()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        locale = str(get_locale() or "en")
        self.organisation_type.choices = list(_organisation_type_choices(locale))
        self.country.choices = country_choices_to_pick()
        if "attendance" in self._fields:  # labels in the page's language (the class is shared)
            self._fields["attendance"].choices = list(_attendance_choices(locale))

    def to_data(self, event: Event, locale: str, *, pass_token: str = "") -> RegistrationData:
        """What was entered, with the pass of a restricted event (``services.register`` asks the gate, and
        signs the person up as the pass's organisation, whatever was typed)."""
        answers: dict[int, str | list[str]] = {}
        for question in event.custom_questions:
            answers[question.id] = getattr(self, question.field_name).data or ""
        return replace(self._data(event, locale, answers), pass_token=pass_token)

    def _data(self, event: Event, locale: str, answers: dict[int, str | list[str]]) -> RegistrationData:
        attendance = getattr(self, "attendance", None)  # a hybrid event's form only
        return RegistrationData(
            attendance=AttendanceMode(attendance.data) if attendance is not None and attendance.data else None,
            name=self.name.data or "",
            email=self.email.data or "",
            organisation=self.organisation.data or "",
            organisation_type=OrganisationType(self.organisation_type.data),
            country=self.country.data or "",
            job_title=self.job_title.data or "",
            organisation_number=self.organisation_number.data or "",
            accept_privacy=bool(self.accept_privacy.data),
            locale=locale,
            confirmed_requirements=frozenset(r.id for r in event.requirements if getattr(self, r.field_name).data),
            answers=answers,
        )


class AskedQuestion(Protocol):
    """What a question's field is drawn from: a sign-up question, a call's question, or a ``_Question``."""

    @property
    def kind(self) -> QuestionKind: ...
    @property
    def label(self) -> str: ...
    @property
    def help_text(self) -> str: ...
    @property
    def required(self) -> bool: ...
    @property
    def choice_list(self) -> list[str]: ...


def _question_field(question: AskedQuestion, choice_labels: tuple[str, ...] = ()) -> Field:
    """The field of a question; ``choice_labels``: what each choice reads as, in the order of
    ``choice_list`` (the reader's language), while its value stays the original choice."""
    validators: list = _required(_l("Please answer this question.")) if question.required else [Optional()]
    label, description = question.label, question.help_text
    if question.kind is QuestionKind.SHORT_TEXT:
        return StringField(label, validators=[*validators, Length(max=500)], description=description,
                           render_kw={"maxlength": 500})  # fmt: skip
    if question.kind is QuestionKind.LONG_TEXT:
        return TextAreaField(label, validators=[*validators, Length(max=5000)], description=description,
                             render_kw={"maxlength": 5000, "rows": 5})  # fmt: skip
    if question.kind is QuestionKind.YES_NO:
        return RadioField(label, choices=[SelectChoice("yes", _l("Yes")), SelectChoice("no", _l("No"))],
                          validators=validators, description=description)  # fmt: skip
    originals = question.choice_list
    labels = choice_labels if len(choice_labels) == len(originals) else originals
    choices = [SelectChoice(c, label) for c, label in zip(originals, labels, strict=True)]
    if question.kind is QuestionKind.SINGLE_CHOICE:
        return RadioField(label, choices=choices, validators=validators, description=description)
    return MultiCheckboxField(label, choices=choices, validators=validators, description=description)


class _Question(NamedTuple):
    """A custom question as plain values: part of the key of a built form class."""

    id: int
    kind: QuestionKind
    label: str
    help_text: str
    required: bool
    choices: str
    #: What each choice reads as in the reader's language (``registrations.wording``), else ().
    choice_labels: tuple[str, ...] = ()

    @property
    def choice_list(self) -> list[str]:  # as CustomQuestion's
        return [line.strip() for line in self.choices.splitlines() if line.strip()]

    @property
    def field_name(self) -> str:  # as CustomQuestion's
        return f"answer_{self.id}"


def attendance_field() -> RadioField:
    """On site or online (a hybrid event): required, and no choice made for the person."""
    return RadioField(
        _l("How will you take part?"),
        choices=[SelectChoice(m.value, m.label) for m in AttendanceMode],
        validators=_required(_l("Please choose whether you come on site or take part online.")),
        validate_choice=True,
    )


@lru_cache(maxsize=512)
def _form_class(
    requirements: tuple[tuple[int, str], ...], questions: tuple[_Question, ...], hybrid: bool = False
) -> type[RegistrationForm]:
    """The form class of an event with these requirements and questions (and, ``hybrid``, the choice of
    on site or online): built once per version of them (building a class costs more than the rest of the
    sign-up's form work), shared by every request."""
    attrs: dict[str, Any] = {"attendance": attendance_field()} if hybrid else {}
    names: list[str] = []
    for requirement_id, text in requirements:
        name = f"requirement_{requirement_id}"
        attrs[name] = BooleanField(text, validators=_required(_l("Your organisation must confirm this to take part.")))
        names.append(name)
    for question in questions:
        attrs[question.field_name] = _question_field(question, question.choice_labels)
        names.append(question.field_name)
    attrs["extra_fields"] = tuple(names)
    return type("EventRegistrationForm", (RegistrationForm,), attrs)


def _worded_question(question: CustomQuestion, text: wording.QuestionText) -> _Question:
    return _Question(question.id, question.kind, text.label, text.help_text, question.required, question.choices,
                     text.choice_labels)  # fmt: skip


def registration_form(event: Event, *, admission: Admission = OPEN, **kwargs: Any) -> RegistrationForm:
    """The sign-up form for this event: the standard fields, then its requirements and questions, worded
    in the page's language where the organiser translated them, any text in another language marked with
    its ``lang``; with a pass for a restricted event, the organisation's fields start filled in with the
    pass's."""
    page = str(get_locale() or "")
    worded = wording.event_wording(event, page)
    form_class = _form_class(
        tuple((r.id, wording.marked(*worded.requirement(r), page)) for r in event.requirements),
        tuple(_worded_question(q, worded.question(q).on_page(page)) for q in event.custom_questions),
        event.is_hybrid,
    )
    form = form_class(**kwargs)
    if not form.is_submitted():
        form.country.data = default_country(event, str(get_locale() or ""))
    if admission.restricted and admission.organisation_type is not None:
        form.organisation.data, form.country.data = admission.organisation, admission.country
        form.organisation_type.data = admission.organisation_type.value
        form.organisation_number.data = admission.organisation_number
    return form


class DetailsForm(FlaskForm):
    name = RegistrationForm.name
    job_title = RegistrationForm.job_title
    organisation = RegistrationForm.organisation


class ConfirmForm(FlaskForm):
    """A form with only its CSRF token: for deliberate one-click actions (cancel, accept)."""


class LostLinkForm(FlaskForm):
    email = EmailField(
        _l("Email"),
        validators=[*_required(_l("Please enter your email address.")), Length(max=254), valid_email],
        render_kw={"autocomplete": "email", "maxlength": 254},
    )
