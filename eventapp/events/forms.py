"""Forms of the public event pages."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import SearchField, SelectField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length, Optional

from eventapp.controlchars import without_control_characters
from eventapp.events.enums import EventKind
from eventapp.events.queries import MAX_QUERY_LENGTH, CatalogueFilter
from eventapp.forms import Form

#: Control characters match nothing people search for (and PostgreSQL refuses NUL in text): dropped from the
#: query, and the form (eventapp.forms) says it did not use them.


class CatalogueFilterForm(Form):
    """The catalogue's filters, read from the query string (a GET form: no CSRF token needed).

    Input that does not fit (an unknown kind, a programme that does not exist, a very long search)
    gets a message and is left out of the filter; the rest of the filter still applies.
    """

    q = SearchField(
        _l("Search"),
        filters=[without_control_characters],
        validators=[
            Optional(),
            Length(max=MAX_QUERY_LENGTH, message=_l("Search text can be at most %(max)d characters.")),
        ],
    )
    kind = SelectField(_l("Kind of event"), validators=[Optional()])
    programme = SelectField(_l("Programme"), validators=[Optional()])

    def __init__(self, formdata, programmes, **kwargs):
        super().__init__(formdata, **kwargs)
        self.kind.choices = [SelectChoice("", _l("All kinds"))] + [SelectChoice(k.value, k.label) for k in EventKind]
        self.programme.choices = [SelectChoice("", _l("All programmes"))] + [
            SelectChoice(p.slug, p.title) for p in programmes
        ]

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if self.kind.errors:
            self.kind.errors = [
                _l("There is no kind of event called “%(value)s”.", value=_shorten(self.kind.raw_data[0]))
            ]
        if self.programme.errors:
            self.programme.errors = [
                _l("There is no programme called “%(value)s”.", value=_shorten(self.programme.raw_data[0]))
            ]
        return valid

    def to_filter(self) -> CatalogueFilter:
        """The valid part of the input."""
        kind = self.kind.data if self.kind.data and not self.kind.errors else None
        programme = self.programme.data if self.programme.data and not self.programme.errors else None
        q = (self.q.data or "").strip() if not self.q.errors else ""
        return CatalogueFilter(kind=EventKind(kind) if kind else None, programme=programme, q=q)


def _shorten(value: str, limit: int = 40) -> str:
    return value if len(value) <= limit else value[: limit - 1] + "…"
