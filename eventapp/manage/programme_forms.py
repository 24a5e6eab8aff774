"""Back-office form for a programme (series)."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import EmailField, Field, SelectField, StringField, TextAreaField, URLField, ValidationError
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, Optional, Regexp

from eventapp.addresses import lookup_form
from eventapp.formatting import language_name
from eventapp.forms import FlaskForm
from eventapp.manage.forms import LANGUAGES, TIMEZONES
from eventapp.programmes.enums import ProgrammeGroup
from eventapp.programmes.queries import all_programmes
from eventapp.programmes.services import (
    SLUG_MAX,
    SLUG_PATTERN,
    WEBSITE_PATTERN,
    ContactData,
    ProgrammeData,
    slug_from_title,
)
from eventapp.registrations.forms import country_choices, valid_email


def _strip(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


def _https_url(_form: Any, field: Field) -> None:
    value = (field.data or "").strip()
    if value and not WEBSITE_PATTERN.match(value):
        raise ValidationError(_l("Give a full web address starting with https://"))


class ProgrammeForm(FlaskForm):
    title = StringField(
        _l("Title"),
        validators=[InputRequired(message=_l("Give the programme a title.")), Length(max=200)],
        render_kw={"maxlength": 200},
    )
    slug = StringField(
        _l("Web address"),
        filters=[_strip],
        validators=[Optional(), Length(max=SLUG_MAX),
                    Regexp(SLUG_PATTERN, message=_l("Use lower-case letters, digits and hyphens only."))],
        description=_l("The last part of the programme's address, /programmes/…. Left empty, it is made from "
                       "the title. Once its events are public, changing it breaks links people have shared."),
        render_kw={"maxlength": SLUG_MAX, "autocapitalize": "none", "spellcheck": "false"},
    )  # fmt: skip
    summary = StringField(
        _l("Summary"),
        validators=[Optional(), Length(max=500)],
        description=_l("One or two sentences for lists and link previews."),
        render_kw={"maxlength": 500},
    )
    description_md = TextAreaField(
        _l("Description"),
        validators=[Optional(), Length(max=50_000)],
        description=_l("Markdown: **bold**, *italic*, [link](https://…), lists with -, headings with ##."),
        render_kw={"rows": 12},
    )
    goals_md = TextAreaField(
        _l("Goals (optional)"),
        validators=[Optional(), Length(max=20_000)],
        description=_l("What the programme wants to achieve. Markdown, as in the description; a list works well."),
        render_kw={"rows": 5},
    )
    target_groups_md = TextAreaField(
        _l("Target groups (optional)"),
        validators=[Optional(), Length(max=20_000)],
        description=_l("Whom the programme is for. Markdown, as in the description; a list works well."),
        render_kw={"rows": 5},
    )
    website_url = URLField(
        _l("The programme's website (optional)"),
        filters=[_strip],
        validators=[Optional(), Length(max=500), _https_url],
        description=_l("A full address starting with https://"),
        render_kw={"maxlength": 500, "autocomplete": "url"},
    )
    language = SelectField(
        _l("Language of the texts above"), default="nb", description=_l("Screen readers read the texts in it.")
    )
    timezone = SelectField(
        _l("Time zone"),
        default="",
        description=_l("Its calls open and close in this zone; a new call starts with it."),
    )
    group = SelectField(
        _l("Kind of programme"),
        default=ProgrammeGroup.OTHER.value,
        description=_l("The list of programmes groups them by this."),
    )
    parent_id = SelectField(
        _l("Part of another programme (optional)"),
        default="",
        description=_l("For example a regional programme under the national one. Both pages link to each other."),
    )

    def __init__(self, *args: Any, programme_id: int | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.language.choices = [SelectChoice(code, language_name(code)) for code in LANGUAGES]
        self.group.choices = [SelectChoice(group.value, group.label) for group in ProgrammeGroup]
        self.timezone.choices = [SelectChoice("", _l("The zone of the language's country (Europe/Oslo otherwise)"))] + [
            SelectChoice(z, z.replace("_", " ")) for z in TIMEZONES
        ]
        self.parent_id.choices = [SelectChoice("", _l("No, it stands on its own"))] + [
            SelectChoice(str(p.id), p.title) for p in all_programmes() if p.id != programme_id
        ]
        if self.parent_id.data is None or self.parent_id.data == "None":
            self.parent_id.data = ""

    def to_data(self) -> ProgrammeData:
        title = (self.title.data or "").strip()
        return ProgrammeData(
            title=title,
            slug=(self.slug.data or "").strip() or slug_from_title(title),
            summary=(self.summary.data or "").strip(),
            description_md=self.description_md.data or "",
            website_url=(self.website_url.data or "").strip(),
            language=self.language.data or "nb",
            group=ProgrammeGroup(self.group.data),
            parent_id=int(self.parent_id.data) if self.parent_id.data else None,
            goals_md=self.goals_md.data or "",
            target_groups_md=self.target_groups_md.data or "",
            timezone=self.timezone.data or "",
        )


#: What a phone number may hold as people write it: digits, spaces, +, -, dots and brackets.
PHONE_PATTERN = r"^\+?[0-9][0-9 ().-]{3,38}$"


class ContactForm(FlaskForm):
    """A programme's contact person for one country."""

    country = SelectField(_l("Country they answer for"))
    name = StringField(
        _l("Name"),
        filters=[_strip],
        validators=[InputRequired(message=_l("Give the contact person's name.")), Length(max=200)],
        render_kw={"maxlength": 200, "autocomplete": "off"},
    )
    role = StringField(
        _l("Role (optional)"),
        filters=[_strip],
        validators=[Optional(), Length(max=200)],
        description=_l("For example National contact or Project lead."),
        render_kw={"maxlength": 200},
    )
    organisation = StringField(
        _l("Organisation (optional)"), filters=[_strip], validators=[Optional(), Length(max=200)],
        render_kw={"maxlength": 200},
    )  # fmt: skip
    email = EmailField(
        _l("Email address"),
        filters=[_strip],
        validators=[InputRequired(message=_l("Give the contact person's email address.")), valid_email],
        render_kw={"maxlength": 254, "autocomplete": "off"},
    )
    phone = StringField(
        _l("Phone (optional)"),
        filters=[_strip],
        validators=[Optional(), Length(max=40),
                    Regexp(PHONE_PATTERN, message=_l("Give a phone number with digits, such as +47 22 00 00 00."))],
        render_kw={"maxlength": 40, "inputmode": "tel", "autocomplete": "off"},
    )  # fmt: skip

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.country.choices = country_choices()

    def to_data(self) -> ContactData:
        return ContactData(
            country=self.country.data or "",
            name=self.name.data or "",
            role=self.role.data or "",
            organisation=self.organisation.data or "",
            email=lookup_form(self.email.data or ""),  # validated above: the one stored form of an address
            phone=self.phone.data or "",
        )
