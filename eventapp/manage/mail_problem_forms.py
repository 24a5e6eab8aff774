"""The form on the "mail problems" page: correct a failed mail's address and send it again."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import StringField
from wtforms.validators import InputRequired, Length

from eventapp.forms import FlaskForm
from eventapp.registrations.forms import valid_email


class ResendMailForm(FlaskForm):
    """One per failed mail (``prefix=f"mail-{id}"``, so every field id on the page is unique)."""

    email = StringField(
        _l("Address"),
        validators=[InputRequired(message=_l("Please enter an email address.")), Length(max=254), valid_email],
    )
