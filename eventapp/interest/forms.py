"""The "Keep me informed" form, and the subscriber page's language form.

The interest form sits on the cached programme page, so it carries no CSRF token (a page that renders one
is never cached): a forged submission can do no more than the person forging it could do themselves, ask
for a confirmation mail, and the address's owner must still confirm. Bots are kept out by a field people
never see (``website``, hidden by the style sheet) and a signed time stamp (``started``): a form sent back
filled in or faster than ``EVENTAPP_FORM_MIN_SECONDS`` gets the same answer as everyone, and nothing is
stored or mailed.
"""

from __future__ import annotations

import time
from typing import Any

from flask import current_app
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, URLSafeSerializer
from wtforms import EmailField, HiddenField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, Optional

from eventapp.addresses import valid_email
from eventapp.forms import FlaskForm
from eventapp.i18n import LOCALE_NAMES, SUPPORTED_LOCALES
from eventapp.interest.services import InterestRequest

_SALT = "interest-form-started"


def _signer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.secret_key or "", salt=_SALT)


def language_choices() -> list[SelectChoice]:
    return [SelectChoice(code, LOCALE_NAMES[code]) for code in SUPPORTED_LOCALES]


class InterestForm(FlaskForm):
    """Field names: ``name``, ``email``, ``organisation``, ``language``, and the bot checks ``website``
    (must stay empty) and ``started``."""

    class Meta(FlaskForm.Meta):
        csrf = False  # see the module's docstring

    name = StringField(
        _l("Your name"),
        validators=[InputRequired(message=_l("Please enter your name.")), Length(max=200)],
        render_kw={"autocomplete": "name", "maxlength": 200},
    )
    email = EmailField(
        _l("Email"),
        validators=[InputRequired(message=_l("Please enter your email address.")), Length(max=254), valid_email],
        render_kw={"autocomplete": "email", "maxlength": 254},
    )
    organisation = StringField(
        _l("Organisation"),
        validators=[Optional(), Length(max=200)],
        render_kw={"autocomplete": "organization", "maxlength": 200},
    )
    language = SelectField(_l("Language of the emails"), validate_choice=True)
    website = StringField(_l("Leave this field empty"), validators=[Optional(), Length(max=200)],
                          render_kw={"autocomplete": "off", "tabindex": "-1"})  # fmt: skip
    started = HiddenField()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.language.choices = language_choices()
        if not self.is_submitted():
            locale = str(get_locale() or "en")
            self.language.data = locale if locale in LOCALE_NAMES else "en"
            self.started.data = _signer().dumps(int(time.time()))

    def looks_like_a_bot(self) -> bool:
        """The hidden field filled in, the time stamp missing or forged, or sent back too fast."""
        if self.website.data:
            return True
        try:
            started = int(_signer().loads(self.started.data or ""))
        except (BadSignature, TypeError, ValueError):
            return True
        return time.time() - started < float(current_app.config.get("EVENTAPP_FORM_MIN_SECONDS", 2))

    def to_request(self) -> InterestRequest:
        return InterestRequest(
            name=(self.name.data or "").strip(),
            email=self.email.data or "",
            organisation=(self.organisation.data or "").strip(),
            locale=self.language.data or "en",
        )


class LanguageForm(FlaskForm):
    language = SelectField(_l("Language of the emails"), validate_choice=True)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.language.choices = language_choices()
