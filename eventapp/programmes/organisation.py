"""Who is behind a programme: its partners and funders, and its people (project lead, board, steering
group). Each use case is one transaction; the programme page shows the rows at once (content version)."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from eventapp.accounts import audit
from eventapp.accounts.models import User
from eventapp.errors import NotFound, ValidationFailed
from eventapp.extensions import db
from eventapp.programmes.enums import PartnerKind, PersonGroup
from eventapp.programmes.models import Programme, ProgrammePartner, ProgrammePerson
from eventapp.transactions import use_case

#: A partner's website: a full http:// or https:// address with a host, and no spaces.
PARTNER_URL_PATTERN = re.compile(r"^https?://[^\s/$.?#@][^\s]*$", re.IGNORECASE)
NAME_MAX, URL_MAX, POSITION_MAX = 200, 500, 9999


@dataclass(frozen=True)
class PartnerData:
    """What the partner form holds, trimmed. ``position`` None: after the others."""

    kind: PartnerKind
    name: str
    url: str = ""
    position: int | None = None


@dataclass(frozen=True)
class PersonData:
    """What the person form holds, trimmed. ``position`` None: after the others."""

    group: PersonGroup
    name: str
    role: str = ""
    organisation: str = ""
    position: int | None = None


def _check_name(name: str) -> None:
    if not name.strip():
        raise ValidationFailed("name", _l("Give the name."))
    if len(name) > NAME_MAX:
        raise ValidationFailed("name", _l("At most %(max)d characters.", max=NAME_MAX))


def _check_position(position: int | None) -> None:
    if position is not None and not 0 <= position <= POSITION_MAX:
        raise ValidationFailed("position", _l("Give a whole number from 0 to %(max)d.", max=POSITION_MAX))


def check_partner(data: PartnerData) -> None:
    """The rules the form checks too, so no other caller stores a bad row: a name, an http(s) address."""
    _check_name(data.name)
    if data.url and (len(data.url) > URL_MAX or not PARTNER_URL_PATTERN.match(data.url)):
        raise ValidationFailed("url", _l("Give a full web address starting with https:// or http://"))
    _check_position(data.position)


def check_person(data: PersonData) -> None:
    _check_name(data.name)
    for name in ("role", "organisation"):
        if len(getattr(data, name)) > NAME_MAX:
            raise ValidationFailed(name, _l("At most %(max)d characters.", max=NAME_MAX))
    _check_position(data.position)


def _programme(programme_id: int) -> Programme:
    programme = db.session.get(Programme, programme_id)
    if programme is None:
        raise NotFound()
    return programme


def _next_position(model: type[ProgrammePartner] | type[ProgrammePerson], programme_id: int) -> int:
    last = db.session.scalar(select(func.max(model.position)).where(model.programme_id == programme_id))
    return min((last or 0) + 1, POSITION_MAX)


@use_case
def add_partner(programme_id: int, data: PartnerData, *, actor: User) -> ProgrammePartner:
    """A partner or funder of the programme; with no position, after the others. Raises NotFound,
    ValidationFailed. Side effects: the row, the content version, an audit entry."""
    _programme(programme_id)
    check_partner(data)
    values = asdict(data)
    if data.position is None:
        values["position"] = _next_position(ProgrammePartner, programme_id)
    partner = ProgrammePartner(programme_id=programme_id, **values)
    db.session.add(partner)
    db.session.flush()
    audit.record("programme.partner_added", actor=actor, event_id=None, programme_id=programme_id,
                 partner_id=partner.id, kind=audit.value(data.kind), name=partner.name)  # fmt: skip
    db.session.commit()
    return partner


@use_case
def update_partner(partner_id: int, data: PartnerData, *, actor: User) -> ProgrammePartner:
    """Save a partner's details (no position keeps its place). Raises NotFound, ValidationFailed. Side
    effects: the row, the content version, an audit entry."""
    partner = db.session.get(ProgrammePartner, partner_id)
    if partner is None:
        raise NotFound()
    check_partner(data)
    for name, value in asdict(data).items():
        if not (name == "position" and value is None):
            setattr(partner, name, value)
    audit.record("programme.partner_updated", actor=actor, event_id=None, programme_id=partner.programme_id,
                 partner_id=partner.id, kind=audit.value(partner.kind), name=partner.name)  # fmt: skip
    db.session.commit()
    return partner


@use_case
def remove_partner(partner_id: int, *, actor: User) -> None:
    """Remove a partner or funder. Raises NotFound. Side effects: the row, the content version, an audit
    entry."""
    partner = db.session.get(ProgrammePartner, partner_id)
    if partner is None:
        raise NotFound()
    programme_id, kind, name = partner.programme_id, partner.kind, partner.name
    db.session.delete(partner)
    audit.record("programme.partner_removed", actor=actor, event_id=None, programme_id=programme_id,
                 partner_id=partner_id, kind=audit.value(kind), name=name)  # fmt: skip
    db.session.commit()


@use_case
def add_person(programme_id: int, data: PersonData, *, actor: User) -> ProgrammePerson:
    """Someone in the programme's project management, board or steering group; with no position, after the
    others. Raises NotFound, ValidationFailed. Side effects: the row, the content version, an audit entry."""
    _programme(programme_id)
    check_person(data)
    values = asdict(data)
    if data.position is None:
        values["position"] = _next_position(ProgrammePerson, programme_id)
    person = ProgrammePerson(programme_id=programme_id, **values)
    db.session.add(person)
    db.session.flush()
    audit.record("programme.person_added", actor=actor, event_id=None, programme_id=programme_id,
                 person_id=person.id, group=audit.value(data.group), name=person.name)  # fmt: skip
    db.session.commit()
    return person


@use_case
def update_person(person_id: int, data: PersonData, *, actor: User) -> ProgrammePerson:
    """Save a person's details (no position keeps their place). Raises NotFound, ValidationFailed. Side
    effects: the row, the content version, an audit entry."""
    person = db.session.get(ProgrammePerson, person_id)
    if person is None:
        raise NotFound()
    check_person(data)
    for name, value in asdict(data).items():
        if not (name == "position" and value is None):
            setattr(person, name, value)
    audit.record("programme.person_updated", actor=actor, event_id=None, programme_id=person.programme_id,
                 person_id=person.id, group=audit.value(person.group), name=person.name)  # fmt: skip
    db.session.commit()
    return person


@use_case
def remove_person(person_id: int, *, actor: User) -> None:
    """Remove someone from the programme's people (their details go with the row). Raises NotFound. Side
    effects: the row, the content version, an audit entry."""
    person = db.session.get(ProgrammePerson, person_id)
    if person is None:
        raise NotFound()
    programme_id, group, name = person.programme_id, person.group, person.name
    db.session.delete(person)
    audit.record("programme.person_removed", actor=actor, event_id=None, programme_id=programme_id,
                 person_id=person_id, group=audit.value(group), name=name)  # fmt: skip
    db.session.commit()
