"""Back-office forms."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import Form, SearchField, SelectField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length, Optional

from eventapp.manage.queries import RegistrationFilter
from eventapp.registrations.enums import OrganisationType, RegistrationStatus
from eventapp.registrations.forms import country_choices


class RegistrationFilterForm(Form):
    """Filters of the registration list (GET: no CSRF token). Unknown values are ignored with a message."""

    status = SelectField(_l("Status"), validators=[Optional()])
    organisation_type = SelectField(_l("Type of organisation"), validators=[Optional()])
    country = SelectField(_l("Country"), validators=[Optional()])
    q = SearchField(_l("Name, email or organisation"), validators=[Optional(), Length(max=100)])

    def __init__(self, formdata) -> None:
        super().__init__(formdata)
        self.status.choices = [SelectChoice("", _l("All"))] + [
            SelectChoice(s.value, s.label) for s in RegistrationStatus
        ]
        self.organisation_type.choices = [SelectChoice("", _l("All"))] + [
            SelectChoice(t.value, t.label) for t in OrganisationType
        ]
        self.country.choices = [SelectChoice("", _l("All")), *country_choices()]

    def to_filter(self) -> RegistrationFilter:
        def ok(field) -> str:
            return field.data if field.data and not field.errors else ""

        return RegistrationFilter(
            status=RegistrationStatus(ok(self.status)) if ok(self.status) else None,
            organisation_type=OrganisationType(ok(self.organisation_type)) if ok(self.organisation_type) else None,
            country=ok(self.country),
            q=ok(self.q),
        )


class DecisionForm(FlaskForm):
    """Approve, reject, cancel or give a seat, with an optional message to the person."""

    note = TextAreaField(
        _l("Message to the person (optional)"), validators=[Optional(), Length(max=2000)], render_kw={"rows": 3}
    )
