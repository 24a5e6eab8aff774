"""Who is behind a programme: its partners and funders, and its people (project lead, board, steering
group). Each use case is one transaction; the programme page shows the rows at once (content version)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import Any, Generic, TypeVar

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


Row = TypeVar("Row", ProgrammePartner, ProgrammePerson)


@dataclass(frozen=True)
class _Part(Generic[Row]):
    """A kind of row of a programme's organisation: its model, its rules, and how the change log names it
    (``programme.<noun>_added``, with ``<noun>_id`` and its ``label``: the partner's kind, the person's group)."""

    model: type[Row]
    noun: str
    label: str
    check: Callable[[Any], None]


_PARTNERS = _Part(ProgrammePartner, "partner", "kind", check_partner)
_PEOPLE = _Part(ProgrammePerson, "person", "group", check_person)


def _record(part: _Part[Row], verb: str, row: Row, *, actor: User) -> None:
    audit.record(f"programme.{part.noun}_{verb}", actor=actor, event_id=None, programme_id=row.programme_id,
                 **{f"{part.noun}_id": row.id, part.label: audit.value(getattr(row, part.label))},
                 name=row.name)  # fmt: skip


def _add(part: _Part[Row], programme_id: int, data: PartnerData | PersonData, *, actor: User) -> Row:
    _programme(programme_id)
    part.check(data)
    values = asdict(data)
    if data.position is None:
        values["position"] = _next_position(part.model, programme_id)
    row = part.model(programme_id=programme_id, **values)
    db.session.add(row)
    db.session.flush()
    _record(part, "added", row, actor=actor)
    db.session.commit()
    return row


def _row(part: _Part[Row], row_id: int) -> Row:
    row = db.session.get(part.model, row_id)
    if row is None:
        raise NotFound()
    return row


def _update(part: _Part[Row], row_id: int, data: PartnerData | PersonData, *, actor: User) -> Row:
    row = _row(part, row_id)
    part.check(data)
    for name, value in asdict(data).items():
        if not (name == "position" and value is None):
            setattr(row, name, value)
    _record(part, "updated", row, actor=actor)
    db.session.commit()
    return row


def _remove(part: _Part[Row], row_id: int, *, actor: User) -> None:
    row = _row(part, row_id)
    _record(part, "removed", row, actor=actor)  # its values before it goes
    db.session.delete(row)
    db.session.commit()


@use_case
def add_partner(programme_id: int, data: PartnerData, *, actor: User) -> ProgrammePartner:
    """A partner or funder of the programme; with no position, after the others. Raises NotFound,
    ValidationFailed. Side effects: the row, the content version, an audit entry."""
    return _add(_PARTNERS, programme_id, data, actor=actor)


@use_case
def update_partner(partner_id: int, data: PartnerData, *, actor: User) -> ProgrammePartner:
    """Save a partner's details (no position keeps its place). Raises NotFound, ValidationFailed. Side
    effects: the row, the content version, an audit entry."""
    return _update(_PARTNERS, partner_id, data, actor=actor)


@use_case
def remove_partner(partner_id: int, *, actor: User) -> None:
    """Remove a partner or funder. Raises NotFound. Side effects: the row, the content version, an audit
    entry."""
    _remove(_PARTNERS, partner_id, actor=actor)


@use_case
def add_person(programme_id: int, data: PersonData, *, actor: User) -> ProgrammePerson:
    """Someone in the programme's project management, board or steering group; with no position, after the
    others. Raises NotFound, ValidationFailed. Side effects: the row, the content version, an audit entry."""
    return _add(_PEOPLE, programme_id, data, actor=actor)


@use_case
def update_person(person_id: int, data: PersonData, *, actor: User) -> ProgrammePerson:
    """Save a person's details (no position keeps their place). Raises NotFound, ValidationFailed. Side
    effects: the row, the content version, an audit entry."""
    return _update(_PEOPLE, person_id, data, actor=actor)


@use_case
def remove_person(person_id: int, *, actor: User) -> None:
    """Remove someone from the programme's people (their details go with the row). Raises NotFound. Side
    effects: the row, the content version, an audit entry."""
    _remove(_PEOPLE, person_id, actor=actor)
