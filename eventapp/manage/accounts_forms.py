"""Back-office forms for organiser accounts (administrators only)."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import EmailField, RadioField, SearchField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, Optional

from eventapp.accounts.enums import Role
from eventapp.accounts.queries import MAX_QUERY_LENGTH
from eventapp.controlchars import without_control_characters
from eventapp.forms import FlaskForm, Form
from eventapp.registrations.forms import valid_email

_ROLE_HINTS = {
    Role.ORGANISER: _l("creates events, and manages the events and programmes they own or were added to"),
    Role.ADMIN: _l("everything, including organiser accounts"),
}


class AccountSearchForm(Form):
    """The search box of the account list (GET: no CSRF token)."""

    q = SearchField(
        _l("Name or email"), filters=[without_control_characters], validators=[Optional(), Length(max=MAX_QUERY_LENGTH)]
    )


def _name_field() -> StringField:
    return StringField(
        _l("Name"),
        validators=[InputRequired(message=_l("Give the person's name.")), Length(max=200)],
        render_kw={"autocomplete": "off", "maxlength": 200},
        description=_l("Shown to colleagues and in the change log."),
    )


def _role_field() -> RadioField:
    return RadioField(
        _l("Role"),
        validators=[InputRequired(message=_l("Choose a role."))],
        default=Role.ORGANISER.value,
    )


class _RoleChoices:
    role: RadioField

    def _set_role_choices(self) -> None:
        self.role.choices = [SelectChoice(r.value, f"{r.label}: {hint}") for r, hint in _ROLE_HINTS.items()]

    @property
    def chosen_role(self) -> Role:
        return Role(self.role.data)


class NewAccountForm(_RoleChoices, FlaskForm):
    name = _name_field()
    email = EmailField(
        _l("Email"),
        validators=[InputRequired(message=_l("Please enter an email address.")), Length(max=254), valid_email],
        render_kw={"autocomplete": "off", "maxlength": 254},
        description=_l("They sign in with it, and the welcome mail with a link to choose a password goes there."),
    )
    role = _role_field()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._set_role_choices()


class AccountForm(_RoleChoices, FlaskForm):
    name = _name_field()
    role = _role_field()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._set_role_choices()
