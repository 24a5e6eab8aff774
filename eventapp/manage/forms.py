"""Back-office forms."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DateTimeLocalField,
    DecimalField,
    Field,
    IntegerField,
    RadioField,
    SearchField,
    SelectField,
    StringField,
    TextAreaField,
    ValidationError,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, NumberRange, Optional, Regexp, StopValidation

from eventapp.agenda.enums import AgendaItemKind
from eventapp.agenda.services import AgendaItemData
from eventapp.controlchars import without_control_characters
from eventapp.events.enums import EventFormat, EventKind
from eventapp.events.services import EventData
from eventapp.formatting import language_name
from eventapp.forms import FlaskForm, Form, within_years
from eventapp.manage.queries import RegistrationFilter
from eventapp.registrations.enums import AttendanceMode, OrganisationType, RegistrationStatus, WaitlistMode
from eventapp.registrations.forms import (
    MultiCheckboxField,
    RegistrationForm,
    country_choices,
    country_choices_to_pick,
    valid_email,
)
from eventapp.urls import slugify


class RegistrationFilterForm(Form):
    """Filters of the registration list (GET: no CSRF token). Unknown values are ignored with a message."""

    status = SelectField(_l("Status"), validators=[Optional()])
    organisation_type = SelectField(_l("Type of organisation"), validators=[Optional()])
    country = SelectField(_l("Country"), validators=[Optional()])
    attendance = SelectField(_l("On site or online"), validators=[Optional()])
    q = SearchField(
        _l("Name, email or organisation"),
        filters=[without_control_characters],
        validators=[Optional(), Length(max=100)],
    )
    page = IntegerField(_l("Page"), validators=[Optional(), NumberRange(min=1, max=100_000)])

    def __init__(self, formdata) -> None:
        super().__init__(formdata)
        self.status.choices = [SelectChoice("", _l("All"))] + [
            SelectChoice(s.value, s.label) for s in RegistrationStatus
        ]
        self.organisation_type.choices = [SelectChoice("", _l("All"))] + [
            SelectChoice(t.value, t.label) for t in OrganisationType
        ]
        self.country.choices = [SelectChoice("", _l("All")), *country_choices()]
        modes = [SelectChoice(m.value, m.label) for m in AttendanceMode]
        self.attendance.choices = [SelectChoice("", _l("All")), *modes]

    def to_filter(self) -> RegistrationFilter:
        def ok(field) -> str:
            # Optional() stops the checks of a blank value (" "), choice check included, without an error
            value = (field.data or "").strip() if isinstance(field.data, str) else ""
            return value if value and not field.errors else ""

        def member(enum, field):
            try:
                return enum(ok(field)) if ok(field) else None
            except ValueError:
                return None

        return RegistrationFilter(
            status=member(RegistrationStatus, self.status),
            organisation_type=member(OrganisationType, self.organisation_type),
            country=ok(self.country),
            q=ok(self.q),
            attendance=member(AttendanceMode, self.attendance),
        )

    @property
    def page_number(self) -> int:
        return self.page.data if self.page.data and not self.page.errors else 1


class DecisionForm(FlaskForm):
    """Approve, reject, cancel or give a seat, with an optional message to the person."""

    note = TextAreaField(
        _l("Message to the person (optional)"), validators=[Optional(), Length(max=2000)], render_kw={"rows": 3}
    )


# --- events ------------------------------------------------------------------------------------

TIMEZONES = (
    "Europe/Oslo", "Europe/Stockholm", "Europe/Copenhagen", "Europe/Helsinki", "Atlantic/Reykjavik",
    "Europe/Tallinn", "Europe/Riga", "Europe/Vilnius", "Europe/Berlin", "Europe/Brussels", "Europe/Amsterdam",
    "Europe/London", "Europe/Madrid", "Europe/Paris", "UTC",
)  # fmt: skip
LANGUAGES = ("nb", "nn", "sv", "da", "fi", "en", "is")


def local_to_utc(naive: datetime, zone_name: str) -> datetime:
    """A wall-clock time in ``zone_name`` as a UTC instant. A time that does not exist there (the hour
    skipped when clocks go forward) raises ValueError; a time that happens twice (clocks go back)
    means its first occurrence."""
    zone = ZoneInfo(zone_name)
    aware = naive.replace(tzinfo=zone, fold=0)
    instant = aware.astimezone(UTC)
    if instant.astimezone(zone).replace(tzinfo=None) != naive:
        raise ValueError("nonexistent local time")
    return instant


def utc_to_local(instant: datetime | None, zone_name: str) -> datetime | None:
    return None if instant is None else instant.astimezone(ZoneInfo(zone_name)).replace(tzinfo=None)


def _http_url(_form: Any, field: Field) -> None:
    value = (field.data or "").strip()
    if value and not re.match(r"^https?://[^\s/$.?#][^\s]*$", value):
        raise ValidationError(_l("Give a full web address starting with https://"))


_RANGE = _l("Give a whole number from %(min)s to %(max)s.")


def _finite(_form: Any, field: Field) -> None:
    """ "NaN" and "Infinity" parse as decimals but are no place on earth (and cannot be compared)."""
    if field.data is not None and not field.data.is_finite():
        raise StopValidation(_l("Give decimal degrees, such as 59.9115."))


class EventForm(FlaskForm):
    title = StringField(_l("Title"), validators=[InputRequired(message=_l("Give the event a title.")),
                                                 Length(max=300)])  # fmt: skip
    slug = StringField(
        _l("Web address"),
        validators=[Optional(), Length(max=120), Regexp(r"^[a-z0-9]+(?:-[a-z0-9]+)*$",
                    message=_l("Use lower-case letters, digits and hyphens only."))],
        description=_l("The last part of the event's address. Left empty, it is made from the title."),
    )  # fmt: skip
    summary = StringField(_l("Summary"), validators=[Optional(), Length(max=500)],
                          description=_l("One or two sentences for the list of events."))  # fmt: skip
    description_md = TextAreaField(
        _l("Description"),
        validators=[Optional(), Length(max=50_000)],
        description=_l("Markdown: **bold**, *italic*, [link](https://…), lists with -, headings with ##."),
        render_kw={"rows": 12},
    )
    kind = SelectField(_l("Kind of event"), default=EventKind.WEBINAR.value)
    format = RadioField(_l("Format"), default=EventFormat.ONLINE.value)
    programme_id = SelectField(_l("Programme"))
    venue_name = StringField(_l("Venue"), validators=[Optional(), Length(max=200)])
    venue_address = StringField(_l("Address"), validators=[Optional(), Length(max=300)])
    city = StringField(_l("Town or city"), validators=[Optional(), Length(max=100)])
    venue_country = SelectField(_l("Country of the venue"), default="",
                                description=_l("The sign-up form suggests it as the attendee's country."))  # fmt: skip
    directions = TextAreaField(
        _l("How to get there (optional)"),
        filters=[without_control_characters],
        validators=[Optional(), Length(max=2000)],
        description=_l("Public transport, which entrance, step-free access, hearing loop."),
        render_kw={"rows": 4},
    )
    latitude = DecimalField(
        _l("Latitude (optional)"), places=None,
        validators=[Optional(), _finite,
                    NumberRange(min=-90, max=90, message=_l("A latitude is between -90 and 90 degrees."))],
        description=_l("Decimal degrees, such as 59.9115. With the longitude, calendars can show the place on a map."),
        render_kw={"inputmode": "decimal"},
    )  # fmt: skip
    longitude = DecimalField(
        _l("Longitude (optional)"), places=None,
        validators=[Optional(), _finite,
                    NumberRange(min=-180, max=180, message=_l("A longitude is between -180 and 180 degrees."))],
        description=_l("Decimal degrees, such as 10.7337."),
        render_kw={"inputmode": "decimal"},
    )  # fmt: skip
    online_url = StringField(
        _l("Join link"),
        validators=[Optional(), Length(max=500), _http_url],
        description=_l("Only confirmed attendees see it: in their invitation, on their page, and in the reminder."),
    )
    timezone = SelectField(_l("Time zone"), default="Europe/Oslo")
    starts_at = DateTimeLocalField(
        _l("Starts"),
        format="%Y-%m-%dT%H:%M",
        validators=[InputRequired(message=_l("Give the start time.")), within_years],
    )
    ends_at = DateTimeLocalField(
        _l("Ends"),
        format="%Y-%m-%dT%H:%M",
        validators=[InputRequired(message=_l("Give the end time.")), within_years],
    )
    language = SelectField(_l("Language of the event"), default="nb")
    capacity = IntegerField(
        _l("Seats"),
        validators=[Optional(), NumberRange(min=1, max=100_000, message=_RANGE)],
        description=_l("Leave empty for no limit. For a hybrid event: the seats on site."),
    )
    online_capacity = IntegerField(
        _l("Online places (hybrid events)"),
        validators=[Optional(), NumberRange(min=1, max=100_000, message=_RANGE)],
        description=_l("A hybrid event's places online, with their own waiting list. Leave empty for no limit."),
    )
    waitlist_enabled = BooleanField(_l("Waiting list when full"), default=True)
    waitlist_mode = RadioField(_l("When a seat frees up"), default=WaitlistMode.AUTOMATIC.value)
    offer_hours = IntegerField(_l("Hours to accept an offered seat"), default=48,
                               validators=[InputRequired(), NumberRange(min=1, max=720, message=_RANGE)])  # fmt: skip
    requires_approval = BooleanField(_l("The organiser approves each registration"))
    quota_per_organisation = IntegerField(
        _l("At most this many people per organisation"),
        validators=[Optional(), NumberRange(min=1, max=1000, message=_RANGE)],
    )
    registration_opens_at = DateTimeLocalField(
        _l("Registration opens"),
        format="%Y-%m-%dT%H:%M",
        validators=[Optional(), within_years],
        description=_l("Empty: at once."),
    )
    registration_closes_at = DateTimeLocalField(_l("Registration closes"), format="%Y-%m-%dT%H:%M",
                                                validators=[Optional(), within_years],
                                                description=_l("Empty: when the event starts."))  # fmt: skip
    reminder_day_before = BooleanField(_l("A reminder the day before (24 hours ahead)"), default=True)
    reminder_hour_before = BooleanField(_l("A reminder an hour before, with the join link"), default=True)
    reminder_note = TextAreaField(
        _l("Your own words in the reminders (optional)"),
        validators=[Optional(), Length(max=2000)],
        description=_l("Added after the standard text: what to bring, where to meet, how to prepare."),
        render_kw={"rows": 4},
    )

    def __init__(self, *args: Any, programmes: Sequence[Any] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.kind.choices = [SelectChoice(k.value, k.label) for k in EventKind]
        self.format.choices = [SelectChoice(f.value, f.label) for f in EventFormat]
        self.programme_id.choices = [SelectChoice("", _l("None"))] + [
            SelectChoice(str(p.id), p.title) for p in programmes
        ]
        self.venue_country.choices = [SelectChoice("", _l("Not given")), *country_choices()]
        self.timezone.choices = [SelectChoice(z, z.replace("_", " ")) for z in TIMEZONES]
        self.language.choices = [SelectChoice(code, language_name(code)) for code in LANGUAGES]
        self.waitlist_mode.choices = [
            SelectChoice(WaitlistMode.AUTOMATIC.value, _l("The first person waiting gets it at once")),
            SelectChoice(WaitlistMode.OFFER.value, _l("It is offered to the first person waiting, who must accept")),
        ]

    @classmethod
    def for_event(cls, event: Any, programmes: list[Any]) -> EventForm:
        form = cls(obj=event, programmes=programmes)
        if not form.is_submitted():
            form.programme_id.data = str(event.programme_id or "")
            for name in ("starts_at", "ends_at", "registration_opens_at", "registration_closes_at"):
                getattr(form, name).data = utc_to_local(getattr(event, name), event.timezone)
            form.kind.data, form.format.data = event.kind.value, event.format.value
            form.waitlist_mode.data = event.waitlist_mode.value
        return form

    def to_data(self) -> EventData | None:
        """The input as instants; None (with messages at the fields) when a time cannot be used."""
        zone = self.timezone.data or "Europe/Oslo"
        instants: dict[str, datetime | None] = {}
        for name in ("starts_at", "ends_at", "registration_opens_at", "registration_closes_at"):
            field = getattr(self, name)
            try:
                instants[name] = local_to_utc(field.data, zone) if field.data else None
            except ValueError:
                field.errors = [*field.errors, _l("This time does not exist in %(zone)s: the clocks go "
                                                  "forward that night.", zone=zone)]  # fmt: skip
        if any(
            getattr(self, name).errors
            for name in ("starts_at", "ends_at", "registration_opens_at", "registration_closes_at")
        ):
            return None
        starts_at, ends_at = instants["starts_at"], instants["ends_at"]
        if starts_at is None or ends_at is None:  # both are required: validate() has said so at the fields
            return None
        return EventData(
            title=self.title.data.strip(),
            slug=(self.slug.data or "").strip() or slugify(self.title.data),
            summary=(self.summary.data or "").strip(),
            description_md=self.description_md.data or "",
            kind=EventKind(self.kind.data),
            format=EventFormat(self.format.data),
            programme_id=int(self.programme_id.data) if self.programme_id.data else None,
            timezone=zone,
            starts_at=starts_at,
            ends_at=ends_at,
            language=self.language.data,
            venue_name=(self.venue_name.data or "").strip(),
            venue_address=(self.venue_address.data or "").strip(),
            city=(self.city.data or "").strip(),
            venue_country=self.venue_country.data or "",
            directions=(self.directions.data or "").strip(),
            latitude=None if self.latitude.data is None else float(self.latitude.data),
            longitude=None if self.longitude.data is None else float(self.longitude.data),
            online_url=(self.online_url.data or "").strip(),
            capacity=self.capacity.data,
            online_capacity=self.online_capacity.data if self.format.data == EventFormat.HYBRID.value else None,
            waitlist_enabled=bool(self.waitlist_enabled.data),
            waitlist_mode=WaitlistMode(self.waitlist_mode.data),
            offer_hours=self.offer_hours.data or 48,
            requires_approval=bool(self.requires_approval.data),
            quota_per_organisation=self.quota_per_organisation.data,
            registration_opens_at=instants["registration_opens_at"],
            registration_closes_at=instants["registration_closes_at"],
            reminder_day_before=bool(self.reminder_day_before.data),
            reminder_hour_before=bool(self.reminder_hour_before.data),
            reminder_note=(self.reminder_note.data or "").strip(),
        )


class CancelEventForm(FlaskForm):
    message = TextAreaField(
        _l("Message to everyone registered"),
        validators=[InputRequired(message=_l("Tell people why, and what happens next.")), Length(max=4000)],
        render_kw={"rows": 5},
    )


# --- agenda and speakers -----------------------------------------------------------------------


class AgendaItemForm(FlaskForm):
    title = StringField(_l("Title"), validators=[InputRequired(message=_l("Give the slot a title.")), Length(max=300)])
    kind = SelectField(_l("Kind"), default=AgendaItemKind.TALK.value)
    starts_at = DateTimeLocalField(
        _l("Starts"),
        format="%Y-%m-%dT%H:%M",
        validators=[InputRequired(message=_l("Give the slot's start time.")), within_years],
    )
    ends_at = DateTimeLocalField(
        _l("Ends"),
        format="%Y-%m-%dT%H:%M",
        validators=[InputRequired(message=_l("Give the slot's end time.")), within_years],
    )
    description = TextAreaField(_l("Description (optional)"), validators=[Optional(), Length(max=5000)],
                                render_kw={"rows": 3})  # fmt: skip
    speaker_ids = MultiCheckboxField(_l("Speakers"), coerce=int, validators=[Optional()])

    def __init__(self, *args: Any, speakers: Sequence[Any] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.kind.choices = [SelectChoice(k.value, k.label) for k in AgendaItemKind]
        self.speaker_ids.choices = [
            SelectChoice(s.id, f"{s.name} ({s.byline})" if s.byline else s.name) for s in speakers
        ]

    def to_data(self, zone: str) -> AgendaItemData | None:
        instants = {}
        for name in ("starts_at", "ends_at"):
            field = getattr(self, name)
            try:
                instants[name] = local_to_utc(field.data, zone)
            except ValueError:
                field.errors = [*field.errors, _l("This time does not exist in %(zone)s: the clocks go "
                                                  "forward that night.", zone=zone)]  # fmt: skip
        if len(instants) < 2:
            return None
        return AgendaItemData(
            title=self.title.data.strip(),
            kind=AgendaItemKind(self.kind.data),
            starts_at=instants["starts_at"],
            ends_at=instants["ends_at"],
            description=(self.description.data or "").strip(),
            speaker_ids=tuple(self.speaker_ids.data or ()),
        )


class SpeakerForm(FlaskForm):
    name = StringField(_l("Name"), validators=[InputRequired(message=_l("Give the speaker's name.")),
                                               Length(max=200)])  # fmt: skip
    job_title = StringField(_l("Job title (optional)"), validators=[Optional(), Length(max=200)])
    organisation = StringField(_l("Organisation"), validators=[Optional(), Length(max=200)])
    email = StringField(_l("Email (optional; never shown publicly)"),
                        validators=[Optional(), Length(max=254), valid_email])  # fmt: skip
    bio = TextAreaField(_l("Short biography (optional)"), validators=[Optional(), Length(max=2000)],
                        render_kw={"rows": 3})  # fmt: skip


class AddPersonForm(FlaskForm):
    """An organiser adds someone by hand (the standard fields; the event's own questions are skipped)."""

    name = RegistrationForm.name
    email = RegistrationForm.email
    organisation = RegistrationForm.organisation
    organisation_type = RegistrationForm.organisation_type
    country = RegistrationForm.country
    job_title = RegistrationForm.job_title
    organisation_number = RegistrationForm.organisation_number
    #: A hybrid event's only (the page shows it there; the service requires it there).
    attendance = RadioField(_l("How will they take part?"), validators=[Optional()], validate_choice=True)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.organisation_type.choices = [SelectChoice(t.value, t.label) for t in OrganisationType]
        self.country.choices = country_choices_to_pick()
        self.attendance.choices = [SelectChoice(m.value, m.label) for m in AttendanceMode]


class ManagerForm(FlaskForm):
    email = StringField(
        _l("Email of an organiser account"),
        validators=[InputRequired(message=_l("Please enter an email address.")), Length(max=254), valid_email],
        render_kw={"autocomplete": "off", "maxlength": 254},
    )
