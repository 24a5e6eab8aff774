"""The base classes of every form in eventapp: each text field refuses control characters by construction.

``FlaskForm`` (posted forms, with CSRF) and ``Form`` (GET filter forms) add ``RefuseControlCharacters``
in front of the validators of every ``StringField`` they bind, and every field that takes text is one
(``TextAreaField``, ``EmailField``, ``SearchField``, ``URLField``, ``HiddenField``, ``PasswordField`` ...).
Single-line fields refuse every control character; text areas allow tab, CR and LF (the rule is in
``eventapp.controlchars``). A new field cannot forget it, and ruff (TID251) refuses an import of the
plain ``flask_wtf.FlaskForm`` or ``wtforms.Form`` anywhere else; tests/security/test_control_characters.py
walks every form class and proves it.

The check looks at what was sent (``raw_data``), before any filter: a search box may drop such characters
from its query (``without_control_characters``) and still says that it did not use them.
"""

from __future__ import annotations

from typing import Any

import wtforms
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm as _FlaskForm  # noqa: TID251 - the one place the plain class is used
from wtforms import Field, StringField, TextAreaField
from wtforms.form import BaseForm
from wtforms.validators import StopValidation

from eventapp.controlchars import first_forbidden

SINGLE_LINE_MESSAGE = _l(
    "Please write this on a single line of ordinary text: line breaks and invisible control characters "
    "cannot be used here."
)
MULTI_LINE_MESSAGE = _l(
    "This text contains an invisible control character that cannot be used. Please remove it, or type the "
    "text again instead of pasting it."
)


class RefuseControlCharacters:
    """Validator: the field's submitted text carries no forbidden character (stops the chain if it does)."""

    def __init__(self, *, multiline: bool) -> None:
        self.multiline = multiline

    def __call__(self, form: BaseForm, field: Field) -> None:
        for value in field.raw_data or ():
            if isinstance(value, str) and first_forbidden(value, multiline=self.multiline) is not None:
                field.errors[:] = []
                raise StopValidation(str(MULTI_LINE_MESSAGE if self.multiline else SINGLE_LINE_MESSAGE))


#: The years a date typed into a form may fall in: a wall-clock time near year 1 or 9999 cannot be moved
#: into UTC (OverflowError), and no call, survey or event of this service is planned that far out.
FIRST_YEAR, LAST_YEAR = 2000, 2199


def within_years(_form: BaseForm, field: Field) -> None:
    """Validator for date and time fields: the year is one the service can plan in (FIRST_YEAR..LAST_YEAR)."""
    value = field.data
    if value is not None and not FIRST_YEAR <= value.year <= LAST_YEAR:
        raise StopValidation(
            str(_l("Give a date between the years %(first)d and %(last)d.", first=FIRST_YEAR, last=LAST_YEAR))
        )


class TextRulesMeta:
    """Form ``Meta`` mixin: puts ``RefuseControlCharacters`` first on every text field as it is bound."""

    def bind_field(self, form: BaseForm, unbound_field: Any, options: dict[str, Any]) -> Field:
        field = super().bind_field(form, unbound_field, options)  # type: ignore[misc]  # a mixin: WTForms' DefaultMeta comes next at run time
        if isinstance(field, StringField):
            field.validators = [RefuseControlCharacters(multiline=isinstance(field, TextAreaField)),
                                *field.validators]  # fmt: skip
        return field


class FlaskForm(_FlaskForm):
    """Base of every posted form (CSRF-protected)."""

    class Meta(TextRulesMeta):
        pass


class Form(wtforms.Form):  # noqa: TID251 - the one place the plain class is used
    """Base of every GET filter form (no CSRF token: nothing changes)."""

    class Meta(TextRulesMeta):
        pass
