"""Sign-in form."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import EmailField, HiddenField, PasswordField
from wtforms.validators import EqualTo, InputRequired, Length

from eventapp.addresses import valid_email
from eventapp.forms import FlaskForm


class LoginForm(FlaskForm):
    email = EmailField(
        _l("Email"),
        validators=[InputRequired(message=_l("Please enter your email address.")), Length(max=254), valid_email],
        render_kw={"autocomplete": "username", "maxlength": 254},
    )
    password = PasswordField(
        _l("Password"),
        validators=[InputRequired(message=_l("Please enter your password.")), Length(max=200)],
        render_kw={"autocomplete": "current-password"},
    )
    next = HiddenField()


class ResetRequestForm(FlaskForm):
    email = EmailField(
        _l("Email"),
        validators=[InputRequired(message=_l("Please enter your email address.")), Length(max=254), valid_email],
        render_kw={"autocomplete": "username", "maxlength": 254},
    )


class NewPasswordForm(FlaskForm):
    password = PasswordField(
        _l("New password"),
        validators=[InputRequired(message=_l("Please choose a password.")),
                    Length(min=10, max=200, message=_l("Use at least 10 characters."))],
        render_kw={"autocomplete": "new-password"},
        description=_l("At least 10 characters. A few unrelated words make a strong password."),
    )  # fmt: skip
    confirm = PasswordField(
        _l("The same password again"),
        validators=[InputRequired(message=_l("Please type the password again.")),
                    EqualTo("password", message=_l("The two passwords are not the same."))],
        render_kw={"autocomplete": "new-password"},
    )  # fmt: skip
