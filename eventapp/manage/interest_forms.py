"""The programme-news form: a subject and a message per language (each optional), and the fallback version."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import Length, Optional

from eventapp.forms import FlaskForm
from eventapp.i18n import LOCALE_NAMES, SUPPORTED_LOCALES
from eventapp.interest.forms import language_choices
from eventapp.interest.news import NewsVersion
from eventapp.mailings.services import BODY_MAX, SUBJECT_MAX


def _strip(value: object) -> object:
    return value.strip() if isinstance(value, str) else value


class NewsForm(FlaskForm):
    """Fields ``subject_<code>`` and ``body_<code>`` for every language, ``fallback``, ``expected``."""

    fallback = SelectField(
        _l("Version for everyone else"),
        description=_l("Subscribers whose language you have not written a version in get this one."),
        validate_choice=True,
    )
    expected = HiddenField(validators=[Optional()])

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fallback.choices = language_choices()

    def versions(self) -> dict[str, NewsVersion]:
        return {
            code: NewsVersion(getattr(self, f"subject_{code}").data or "", getattr(self, f"body_{code}").data or "")
            for code in SUPPORTED_LOCALES
        }

    def language_fields(self) -> list[tuple[str, Any, Any]]:
        return [(code, getattr(self, f"subject_{code}"), getattr(self, f"body_{code}")) for code in SUPPORTED_LOCALES]

    def expected_count(self) -> int | None:
        return int(self.expected.data) if (self.expected.data or "").isdigit() else None


for _code in SUPPORTED_LOCALES:
    setattr(
        NewsForm,
        f"subject_{_code}",
        StringField(
            _l("Subject (%(language)s)", language=LOCALE_NAMES[_code]),
            filters=[_strip],
            validators=[Optional(), Length(max=SUBJECT_MAX)],
            render_kw={"maxlength": SUBJECT_MAX, "lang": _code},
        ),
    )
    setattr(NewsForm, f"body_{_code}", TextAreaField(
        _l("Message (%(language)s)", language=LOCALE_NAMES[_code]), filters=[_strip],
        validators=[Optional(), Length(max=BODY_MAX)], render_kw={"rows": 8, "lang": _code}))  # fmt: skip
