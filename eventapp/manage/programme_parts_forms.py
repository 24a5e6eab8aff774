"""Back-office forms for a programme's partners and funders, its people, its texts in other languages, and an
event's choice of contact persons."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import Field, IntegerField, RadioField, SelectField, StringField, TextAreaField, URLField, ValidationError
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from eventapp.formatting import country_name
from eventapp.forms import FlaskForm
from eventapp.programmes.enums import PartnerKind, PersonGroup
from eventapp.programmes.models import ContactPerson
from eventapp.programmes.organisation import (
    NAME_MAX,
    PARTNER_URL_PATTERN,
    POSITION_MAX,
    URL_MAX,
    PartnerData,
    PersonData,
)
from eventapp.programmes.translations import LIMITS, ProgrammeTranslationData
from eventapp.registrations.forms import MultiCheckboxField


def _strip(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


def _web_address(_form: Any, field: Field) -> None:
    value = field.data or ""
    if value and not PARTNER_URL_PATTERN.match(value):
        raise ValidationError(str(_l("Give a full web address starting with https:// or http://")))


def _position_field() -> IntegerField:
    return IntegerField(
        _l("Order (optional)"),
        validators=[
            Optional(),
            NumberRange(
                min=0, max=POSITION_MAX, message=_l("Give a whole number from 0 to %(max)d.", max=POSITION_MAX)
            ),
        ],
        description=_l(
            "Lower numbers come first. Left empty, a new entry comes last and an existing one keeps its place."
        ),
        render_kw={"inputmode": "numeric", "min": 0, "max": POSITION_MAX},
    )


class PartnerForm(FlaskForm):
    """An organisation that takes part in or funds the programme."""

    kind = RadioField(_l("Kind"), default=PartnerKind.PARTNER.value)
    name = StringField(
        _l("Name of the organisation"),
        filters=[_strip],
        validators=[InputRequired(message=_l("Give the name.")), Length(max=NAME_MAX)],
        render_kw={"maxlength": NAME_MAX},
    )
    url = URLField(
        _l("Website (optional)"),
        filters=[_strip],
        validators=[Optional(), Length(max=URL_MAX), _web_address],
        description=_l("A full address starting with https:// or http://"),
        render_kw={"maxlength": URL_MAX},
    )
    position = _position_field()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.kind.choices = [SelectChoice(kind.value, kind.label) for kind in PartnerKind]

    def to_data(self) -> PartnerData:
        return PartnerData(
            kind=PartnerKind(self.kind.data),
            name=self.name.data or "",
            url=self.url.data or "",
            position=self.position.data,
        )


class PersonForm(FlaskForm):
    """Someone in the programme's project management, board or steering group."""

    group = SelectField(_l("Group"), default=PersonGroup.PROJECT_LEAD.value)
    name = StringField(
        _l("Name"),
        filters=[_strip],
        validators=[InputRequired(message=_l("Give the name.")), Length(max=NAME_MAX)],
        render_kw={"maxlength": NAME_MAX, "autocomplete": "off"},
    )
    role = StringField(
        _l("Role (optional)"),
        filters=[_strip],
        validators=[Optional(), Length(max=NAME_MAX)],
        description=_l("For example Chair, Member or Project lead."),
        render_kw={"maxlength": NAME_MAX},
    )
    organisation = StringField(
        _l("Organisation (optional)"),
        filters=[_strip],
        validators=[Optional(), Length(max=NAME_MAX)],
        render_kw={"maxlength": NAME_MAX},
    )
    position = _position_field()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.group.choices = [SelectChoice(group.value, group.label) for group in PersonGroup]

    def to_data(self) -> PersonData:
        return PersonData(
            group=PersonGroup(self.group.data),
            name=self.name.data or "",
            role=self.role.data or "",
            organisation=self.organisation.data or "",
            position=self.position.data,
        )


class ProgrammeTranslationForm(FlaskForm):
    """The programme's texts in one other language; an empty field shows the original."""

    title = StringField(_l("Title"), validators=[Optional(), Length(max=LIMITS["title"])],
                        render_kw={"maxlength": LIMITS["title"]})  # fmt: skip
    summary = StringField(_l("Summary"), validators=[Optional(), Length(max=LIMITS["summary"])],
                          render_kw={"maxlength": LIMITS["summary"]})  # fmt: skip
    description_md = TextAreaField(
        _l("Description"),
        validators=[Optional(), Length(max=LIMITS["description_md"])],
        description=_l("Markdown, as in the programme's own texts. Leave a field empty to show the original."),
        render_kw={"rows": 10},
    )
    goals_md = TextAreaField(_l("Goals"), validators=[Optional(), Length(max=LIMITS["goals_md"])],
                             render_kw={"rows": 5})  # fmt: skip
    target_groups_md = TextAreaField(
        _l("Target groups"), validators=[Optional(), Length(max=LIMITS["target_groups_md"])], render_kw={"rows": 5}
    )

    def to_data(self, locale: str) -> ProgrammeTranslationData:
        return ProgrammeTranslationData(
            locale=locale,
            title=self.title.data or "",
            summary=self.summary.data or "",
            description_md=self.description_md.data or "",
            goals_md=self.goals_md.data or "",
            target_groups_md=self.target_groups_md.data or "",
        )


#: The two answers to "whom does the event name as its contact persons?"
INHERIT, CHOSEN = "programme", "chosen"


class EventContactsForm(FlaskForm):
    """Whether the event shows all of its programme's contact persons, or only those ticked."""

    source = RadioField(_l("Contact persons shown on the event page and sign-up form"), default=INHERIT)
    contacts = MultiCheckboxField(
        _l("Contact persons of the event"),
        coerce=int,
        description=_l("Only these are shown, the visitor's country first."),
    )

    def __init__(self, contacts: list[ContactPerson], *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.source.choices = [
            SelectChoice(INHERIT, _l("All the programme's contact persons (they follow the programme's list)")),
            SelectChoice(CHOSEN, _l("Only the ones ticked below")),
        ]
        self.contacts.choices = [
            SelectChoice(c.id, f"{c.name} ({country_name(c.country)}{', ' + c.role if c.role else ''})")
            for c in contacts
        ]

    def validate_contacts(self, field: Field) -> None:
        if self.source.data == CHOSEN and not field.data:
            raise ValidationError(str(_l("Tick at least one contact person, or show all the programme's.")))

    def chosen_ids(self) -> list[int]:
        return list(self.contacts.data or []) if self.source.data == CHOSEN else []
