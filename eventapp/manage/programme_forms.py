"""Back-office form for a programme (series)."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import Field, SelectField, StringField, TextAreaField, URLField, ValidationError
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, Optional, Regexp

from eventapp.formatting import language_name
from eventapp.forms import FlaskForm
from eventapp.manage.forms import LANGUAGES
from eventapp.programmes.services import SLUG_MAX, SLUG_PATTERN, WEBSITE_PATTERN, ProgrammeData, slug_from_title


def _strip(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


def _https_url(_form: Any, field: Field) -> None:
    value = (field.data or "").strip()
    if value and not WEBSITE_PATTERN.match(value):
        raise ValidationError(str(_l("Give a full web address starting with https://")))


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

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.language.choices = [SelectChoice(code, language_name(code)) for code in LANGUAGES]

    def to_data(self) -> ProgrammeData:
        title = (self.title.data or "").strip()
        return ProgrammeData(
            title=title,
            slug=(self.slug.data or "").strip() or slug_from_title(title),
            summary=(self.summary.data or "").strip(),
            description_md=self.description_md.data or "",
            website_url=(self.website_url.data or "").strip(),
            language=self.language.data or "nb",
        )
