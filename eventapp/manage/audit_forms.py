"""The filter of the site-wide change log (GET: no CSRF token)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import IntegerField, SelectField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import NumberRange, Optional

from eventapp.forms import Form

#: The areas by name, in the order the filter offers them (keys of ``audit_queries.AREAS``).
AREA_LABELS = {
    "accounts": _l("Organiser accounts"),
    "programmes": _l("Programmes"),
    "interest": _l("Interest lists"),
    "calls": _l("Calls"),
    "site": _l("Who runs this site"),
}


class ChangeLogFilterForm(Form):
    """Which area of the site's change log to show, and which page. Unknown values show everything, with
    a message."""

    area = SelectField(_l("Area"), validators=[Optional()])
    page = IntegerField(_l("Page"), validators=[Optional(), NumberRange(min=1, max=100_000)])

    def __init__(self, formdata) -> None:
        super().__init__(formdata)
        self.area.choices = [SelectChoice("", _l("All")), *(SelectChoice(k, v) for k, v in AREA_LABELS.items())]

    @property
    def chosen_area(self) -> str | None:
        value = self.area.data if isinstance(self.area.data, str) else ""
        return value if value in AREA_LABELS and not self.area.errors else None

    @property
    def page_number(self) -> int:
        return self.page.data if self.page.data and not self.page.errors else 1
