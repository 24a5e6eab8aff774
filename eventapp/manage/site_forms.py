"""The back-office form for who runs the site (administrators only)."""

from __future__ import annotations

import re
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import BooleanField, EmailField, Field, StringField, TextAreaField, ValidationError
from wtforms.validators import InputRequired, Length, Optional

from eventapp.about.logo import MAX_LOGO_BYTES
from eventapp.about.services import SiteSettingsData
from eventapp.addresses import lookup_form
from eventapp.forms import FlaskForm
from eventapp.registrations.forms import valid_email

#: What a phone number may hold as people write it: digits, spaces, +, -, dots and brackets.
_PHONE = re.compile(r"^\+?[0-9][0-9 ().-]{3,38}$")


def _strip(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


def _phone(_form: Any, field: Field) -> None:
    if field.data and not _PHONE.match(field.data):
        raise ValidationError(_l("Give a phone number with digits, such as +47 22 00 00 00."))


class SiteSettingsForm(FlaskForm):
    operator_name = StringField(
        _l("Name of the organisation that runs this site"),
        filters=[_strip],
        validators=[InputRequired(message=_l("Give the name of the organisation that runs this site.")),
                    Length(max=200)],
        description=_l("Shown in the header of every page, in the footer and in every mail."),
        render_kw={"autocomplete": "organization", "maxlength": 200},
    )  # fmt: skip
    contact_email = EmailField(
        _l("Contact email address"),
        filters=[_strip],
        validators=[InputRequired(message=_l("Give an address where people can ask about this site.")), valid_email],
        description=_l("On the contact page and at the bottom of every mail."),
        render_kw={"autocomplete": "email", "maxlength": 254},
    )
    contact_phone = StringField(
        _l("Phone number"),
        filters=[_strip],
        validators=[Optional(), Length(max=40), _phone],
        render_kw={"autocomplete": "tel", "maxlength": 40, "inputmode": "tel"},
    )
    postal_address = TextAreaField(
        _l("Address"), filters=[_strip], validators=[Optional(), Length(max=500)], render_kw={"rows": 3}
    )
    contact_md = TextAreaField(
        _l("More on the contact page"),
        filters=[_strip],
        validators=[Optional(), Length(max=5000)],
        description=_l("Opening hours, who answers what. Markdown: **bold**, lists, links."),
        render_kw={"rows": 5},
    )
    logo = FileField(
        _l("Logo"),
        description=_l("A PNG or SVG file of at most %(size)s kB. Scripts and links in an SVG are removed.",
                       size=MAX_LOGO_BYTES // 1024),
        render_kw={"accept": ".png,.svg,image/png,image/svg+xml"},
    )  # fmt: skip
    remove_logo = BooleanField(_l("Remove the logo"))

    def to_data(self) -> SiteSettingsData:
        return SiteSettingsData(
            operator_name=self.operator_name.data or "",
            contact_email=lookup_form(self.contact_email.data or ""),
            contact_phone=self.contact_phone.data or "",
            postal_address=self.postal_address.data or "",
            contact_md=self.contact_md.data or "",
        )

    def logo_bytes(self) -> bytes | None:
        """The uploaded logo's bytes (read with a bound: the request limit already stops a huge body)."""
        upload = self.logo.data
        if upload is None or not getattr(upload, "filename", ""):
            return None
        return upload.read(MAX_LOGO_BYTES + 1)
