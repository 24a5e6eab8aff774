"""The form an organiser writes a mailing with."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, RadioField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from eventapp.forms import FlaskForm
from eventapp.mailings.enums import Attendance
from eventapp.mailings.queries import Audience
from eventapp.mailings.services import BODY_MAX, SUBJECT_MAX
from eventapp.registrations.enums import RegistrationStatus
from eventapp.registrations.forms import MultiCheckboxField

ATTENDANCE_LABELS = {
    Attendance.ANY: _l("Everyone in these groups"),
    Attendance.CAME: _l("Only those who were checked in (came)"),
    Attendance.DID_NOT_COME: _l("Only those who were not checked in (did not come)"),
}


def _strip(value: object) -> object:
    return value.strip() if isinstance(value, str) else value


class MailingForm(FlaskForm):
    statuses = MultiCheckboxField(
        _l("Send to"),
        validators=[InputRequired(message=_l("Choose who gets the message."))],
        default=[RegistrationStatus.CONFIRMED.value],
    )
    attendance = RadioField(_l("Attendance"), default=Attendance.ANY.value)
    subject = StringField(
        _l("Subject"),
        validators=[DataRequired(message=_l("Write a subject line.")), Length(max=SUBJECT_MAX)],
        filters=[_strip],
        render_kw={"maxlength": SUBJECT_MAX},
    )
    body = TextAreaField(
        _l("Message"),
        validators=[DataRequired(message=_l("Write the message.")), Length(max=BODY_MAX)],
        filters=[_strip],
        description=_l(
            "Plain text; leave an empty line between paragraphs, and web addresses become links. Each person's "
            "mail starts with their name and ends with the event's time, place and their own registration link."
        ),
        render_kw={"rows": 12},
    )
    expected = HiddenField(validators=[Optional()])

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.statuses.choices = [SelectChoice(s.value, s.label) for s in RegistrationStatus]
        self.attendance.choices = [SelectChoice(a.value, label) for a, label in ATTENDANCE_LABELS.items()]

    def audience(self) -> Audience:
        known = {s.value for s in RegistrationStatus}
        statuses = tuple(RegistrationStatus(v) for v in self.statuses.data or () if v in known)
        choice = self.attendance.data
        attendance = Attendance(choice) if choice in {a.value for a in Attendance} else Attendance.ANY
        return Audience(statuses=statuses, attendance=attendance)

    def expected_count(self) -> int | None:
        return int(self.expected.data) if (self.expected.data or "").isdigit() else None
