"""The organisations' application form: its standard fields, then the call's checklist and questions
(drawn as sign-up draws its own)."""

from __future__ import annotations

from typing import Any

from flask import current_app
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import BooleanField, EmailField, RadioField, SelectField, StringField, TelField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, Optional, Regexp

from eventapp.calls.models import Application, Call, CallQuestion
from eventapp.calls.services import ApplicationData
from eventapp.forms import FlaskForm
from eventapp.i18n import COUNTRY_OF_LANGUAGE
from eventapp.registrations import wording
from eventapp.registrations.enums import OrganisationType
from eventapp.registrations.forms import _question_field, country_choices_to_pick, valid_email
from eventapp.registrations.wording import QuestionText

#: What the file chooser offers first (the server decides by the bytes, whatever the name).
ACCEPT = ".pdf,.docx,.doc"
PHONE = Regexp(r"^[0-9 +()\-]*$", message=_l("Use digits, spaces, + and - only."))


def _required(message: Any) -> list:
    return [InputRequired(message=message)]


class ApplicationForm(FlaskForm):
    organisation = StringField(
        _l("Organisation"),
        validators=[*_required(_l("Please enter your organisation.")), Length(max=200)],
        render_kw={"autocomplete": "organization", "maxlength": 200},
    )
    country = SelectField(_l("Country"), validators=_required(_l("Please choose a country.")))
    organisation_number = StringField(
        _l("Organisation number"),
        validators=[*_required(_l("Please enter the organisation number.")), Length(max=64)],
        render_kw={"maxlength": 64},
        description=_l("For example 974 760 673 in Norway or 202100-5448 in Sweden."),
    )
    organisation_type = RadioField(
        _l("Type of organisation"),
        validate_choice=True,
        validators=_required(_l("Please choose the type of your organisation.")),
    )
    contact_name = StringField(
        _l("Contact person"),
        validators=[*_required(_l("Please enter your name.")), Length(max=200)],
        render_kw={"autocomplete": "name", "maxlength": 200},
        description=_l("The person who follows the project for the organisation."),
    )
    contact_role = StringField(
        _l("Their role"),
        validators=[*_required(_l("Please enter the role.")), Length(max=200)],
        render_kw={"autocomplete": "organization-title", "maxlength": 200},
    )
    contact_email = EmailField(
        _l("Email"),
        validators=[*_required(_l("Please enter your email address.")), Length(max=254), valid_email],
        render_kw={"autocomplete": "email", "maxlength": 254},
        description=_l("The confirmation and the link to the application go here."),
    )
    contact_phone = TelField(
        _l("Phone (optional)"),
        validators=[Optional(), Length(max=40), PHONE],
        render_kw={"autocomplete": "tel", "maxlength": 40},
    )
    file = FileField(_l("Letter of intent as a file"), render_kw={"accept": ACCEPT})
    letter_statement = TextAreaField(
        _l("Or write the letter of intent here"),
        validators=[Optional(), Length(max=10_000)],
        render_kw={"rows": 6, "maxlength": 10_000},
    )
    letter_signatory_name = StringField(
        _l("Name of the person authorised to commit the organisation"),
        validators=[Optional(), Length(max=200)],
        render_kw={"maxlength": 200},
    )
    letter_signatory_role = StringField(
        _l("Their role in the organisation"), validators=[Optional(), Length(max=200)], render_kw={"maxlength": 200}
    )
    consent_public = BooleanField(
        _l("If we are accepted, our organisation may be listed on the programme's page (name, country and type).")
    )
    accept_privacy = BooleanField(
        _l("I have read the privacy notice and agree that these details are used to handle the application."),
        validators=_required(_l("Please accept the privacy notice to apply.")),
    )

    #: Field names of the call's own requirements and questions, in form order.
    extra_fields: tuple[str, ...] = ()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.organisation_type.choices = [SelectChoice(t.value, t.label) for t in OrganisationType]
        self.country.choices = country_choices_to_pick()
        self.file.description = str(_l("PDF or Word, at most %(mb)s MB.", mb=current_app.config["MAX_UPLOAD_MB"]))

    def _value(self, name: str) -> Any:
        """A field's data; "" for the fields a changed application no longer has (number, country)."""
        field = getattr(self, name, None)
        return (field.data or "") if field is not None else ""

    def to_data(self, call: Call, locale: str) -> ApplicationData:
        return ApplicationData(
            organisation=self.organisation.data or "",
            organisation_number=self._value("organisation_number"),
            organisation_type=OrganisationType(self.organisation_type.data),
            country=self._value("country"),
            contact_name=self.contact_name.data or "",
            contact_role=self.contact_role.data or "",
            contact_email=self.contact_email.data or "",
            contact_phone=self.contact_phone.data or "",
            locale=locale,
            consent_public=bool(self.consent_public.data),
            accept_privacy=bool(self._value("accept_privacy")),
            confirmed_requirements=frozenset(r.id for r in call.requirements if getattr(self, r.field_name).data),
            answers={q.id: getattr(self, q.field_name).data or "" for q in call.questions},
            letter_statement=self.letter_statement.data or "",
            letter_signatory_name=self.letter_signatory_name.data or "",
            letter_signatory_role=self.letter_signatory_role.data or "",
        )


def _question_in(question: CallQuestion, text: QuestionText) -> Any:
    """The question's field as ``text`` words it: its label, hint and choice labels in the reader's
    language; each choice's value stays the original, which is what the answer stores."""
    return _question_field(_Worded(question, text), text.choice_labels)


class _Worded:
    """A call's question with another label and hint (``AskedQuestion``)."""

    def __init__(self, question: CallQuestion, text: QuestionText) -> None:
        self.kind, self.required, self.choice_list = question.kind, question.required, question.choice_list
        self.label, self.help_text = text.label, text.help_text


def application_form(call: Call, *, application: Application | None = None, **kwargs: Any) -> ApplicationForm:
    """The form for ``call``: the standard fields, then its checklist and questions; filled from
    ``application`` when changing one (its organisation number cannot change)."""
    locale = str(get_locale() or "")
    attrs: dict[str, Any] = {}
    names: list[str] = []
    for requirement in call.requirements:
        attrs[requirement.field_name] = BooleanField(
            wording.marked(*call.requirement_in(requirement, locale), locale),
            validators=_required(_l("Your organisation must confirm this to take part.")),
        )
        names.append(requirement.field_name)
    for question in call.questions:
        attrs[question.field_name] = _question_in(question, call.question_in(question, locale).on_page(locale))
        names.append(question.field_name)
    attrs["extra_fields"] = tuple(names)
    form_class = type("CallApplicationForm", (ApplicationForm,), attrs)
    form = form_class(obj=application, **kwargs)
    if application is not None:
        del form.organisation_number, form.country, form.accept_privacy
    if not form.is_submitted():
        if application is None:
            form.country.data = COUNTRY_OF_LANGUAGE.get(str(get_locale() or "").split("_")[0], "")
        else:
            form.organisation_type.data = application.organisation_type.value
            confirmed = {c.requirement_id for c in application.confirmations}
            answers = {a.question_id: a.value for a in application.answers}
            for requirement in call.requirements:
                getattr(form, requirement.field_name).data = requirement.id in confirmed
            for question in call.questions:
                value = answers.get(question.id, "")
                getattr(form, question.field_name).data = (
                    value.splitlines() if question.kind.value == "multiple_choice" else value
                )
    return form
