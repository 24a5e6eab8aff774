"""Creating and changing programmes in the back office. Each use case is one transaction.

A programme's slug is its public address, /programmes/<slug>: links to it are shared in newsletters
and calendars, so changing it once the programme has public events is allowed but is the caller's
deliberate choice (see ``events.queries.programme_has_public_events``).
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, fields, replace
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from eventapp.accounts import audit
from eventapp.accounts.models import User
from eventapp.errors import NotFound, ValidationFailed
from eventapp.extensions import db
from eventapp.programmes.enums import ProgrammeGroup
from eventapp.programmes.models import ContactPerson, Programme
from eventapp.transactions import use_case
from eventapp.urls import slugify

#: What a slug may look like: lower-case letters and digits in groups joined by single hyphens.
SLUG_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
SLUG_MAX = 120
#: The programme's website: a full https:// address (no http://, no other schemes).
WEBSITE_PATTERN = re.compile(r"^https://[^\s/$.?#][^\s]*$", re.IGNORECASE)
#: The zone a programme works in when none is chosen: its language's country's; Europe/Oslo otherwise.
ZONE_OF_LANGUAGE = {"nb": "Europe/Oslo", "nn": "Europe/Oslo", "sv": "Europe/Stockholm", "da": "Europe/Copenhagen",
                    "fi": "Europe/Helsinki", "is": "Atlantic/Reykjavik"}  # fmt: skip
DEFAULT_ZONE = "Europe/Oslo"


@dataclass(frozen=True)
class ProgrammeData:
    """What the programme form holds, trimmed."""

    title: str
    slug: str
    summary: str
    description_md: str
    website_url: str
    language: str
    group: ProgrammeGroup = ProgrammeGroup.OTHER
    #: The programme this one is part of, or None.
    parent_id: int | None = None
    #: What the programme wants to achieve, and whom it is for (Markdown).
    goals_md: str = ""
    target_groups_md: str = ""
    #: IANA zone its calls open and close in; empty: the one its language suggests (or the zone it has).
    timezone: str = ""


def zone_for_language(language: str) -> str:
    """The zone a programme in ``language`` most likely works in (Europe/Oslo when the language says none)."""
    return ZONE_OF_LANGUAGE.get(language, DEFAULT_ZONE)


def _zoned(data: ProgrammeData, current: str | None) -> ProgrammeData:
    """``data`` with its zone: the chosen one (checked), else the programme's current one, else its language's."""
    if not data.timezone:
        return replace(data, timezone=current or zone_for_language(data.language))
    try:
        ZoneInfo(data.timezone)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValidationFailed("timezone", _l("Choose a time zone from the list.")) from exc
    return data


def slug_from_title(title: str) -> str:
    """A slug made from the title ('Innovasjon Øst' → 'innovasjon-ost'); 'programme' if nothing is left."""
    slug = slugify(title).strip("-")
    nothing_left = slug == "event" and "event" not in title.casefold()  # slugify's own fallback
    return "programme" if nothing_left or not slug else slug


def _check(data: ProgrammeData, *, programme_id: int | None) -> None:
    if not data.title:
        raise ValidationFailed("title", _l("Give the programme a title."))
    if not data.slug or len(data.slug) > SLUG_MAX or not SLUG_PATTERN.match(data.slug):
        raise ValidationFailed("slug", _l("Use lower-case letters, digits and hyphens only."))
    if data.website_url and not WEBSITE_PATTERN.match(data.website_url):
        raise ValidationFailed("website_url", _l("Give a full web address starting with https://"))
    taken = db.session.scalars(select(Programme.id).where(Programme.slug == data.slug)).first()
    if taken is not None and taken != programme_id:
        raise ValidationFailed("slug", _l("Another programme already has this address. Choose another."))
    if data.parent_id is not None:
        _check_parent(data.parent_id, programme_id=programme_id)


def _check_parent(parent_id: int, *, programme_id: int | None) -> None:
    """The parent exists, and making it the parent makes no circle (a programme under itself, however far
    up). Reads every programme's parent in one query, then walks up from the chosen parent."""
    parents: dict[int, int | None] = {
        row.id: row.parent_id for row in db.session.execute(select(Programme.id, Programme.parent_id))
    }
    if parent_id not in parents:
        raise ValidationFailed("parent_id", _l("Choose a programme from the list."))
    seen: set[int] = set()
    current: int | None = parent_id
    while current is not None and current not in seen:
        if current == programme_id:
            raise ValidationFailed("parent_id", _l("A programme cannot be part of itself or of one of its own parts."))
        seen.add(current)
        current = parents.get(current)


def _flush_or_slug_taken() -> None:
    try:
        db.session.flush()
    except IntegrityError as exc:  # the same slug saved at the same moment by someone else
        raise ValidationFailed("slug", _l("Another programme already has this address. Choose another.")) from exc


@use_case
def create_programme(data: ProgrammeData, *, actor: User) -> Programme:
    """A new programme, owned by ``actor`` (they and administrators manage it). Its public page
    /programmes/<slug> exists at once. Raises ValidationFailed (title, slug, website_url). Side effects:
    the programme row, an audit entry."""
    _check(data, programme_id=None)
    data = _zoned(data, None)
    programme = Programme(**{f.name: getattr(data, f.name) for f in fields(ProgrammeData)}, created_by_id=actor.id)
    db.session.add(programme)
    _flush_or_slug_taken()
    audit.record("programme.created", actor=actor, event_id=None, programme_id=programme.id, slug=programme.slug)
    db.session.commit()
    return programme


@use_case
def update_programme(programme_id: int, data: ProgrammeData, *, actor: User) -> tuple[str, ...]:
    """Save the programme form; returns the names of the fields that changed. The caller has checked
    that ``actor`` may manage the programme and, if the slug changes on a programme with public
    events, that they mean it. Raises NotFound, ValidationFailed. Side effects: the programme row, an
    audit entry."""
    programme = db.session.get(Programme, programme_id)
    if programme is None:
        raise NotFound()
    _check(data, programme_id=programme.id)
    data = _zoned(data, programme.timezone)
    changed = tuple(f.name for f in fields(ProgrammeData) if getattr(programme, f.name) != getattr(data, f.name))
    old_slug = programme.slug
    before = {name: getattr(programme, name) for name in changed}  # for the change log
    for name in changed:
        setattr(programme, name, getattr(data, name))
    _flush_or_slug_taken()
    audit.record("programme.updated", actor=actor, event_id=None, programme_id=programme.id, slug=programme.slug,
                 changes=audit.changes(**{name: (before[name], getattr(programme, name)) for name in changed}),
                 old_slug=old_slug if "slug" in changed else None)  # fmt: skip
    db.session.commit()
    return changed


@dataclass(frozen=True)
class ContactData:
    """What the contact person form holds, trimmed; the email already checked and normalised."""

    country: str
    name: str
    role: str
    organisation: str
    email: str
    phone: str


@use_case
def add_contact(programme_id: int, data: ContactData, *, actor: User) -> ContactPerson:
    """A new contact person at the end of the programme's list. Raises NotFound. Side effects: the contact
    row, the content version (programme and event pages show contacts), an audit entry."""
    programme = db.session.get(Programme, programme_id)
    if programme is None:
        raise NotFound()
    last = db.session.scalar(select(func.max(ContactPerson.position)).where(ContactPerson.programme_id == programme_id))
    contact = ContactPerson(programme_id=programme_id, position=(last or 0) + 1, **asdict(data))
    db.session.add(contact)
    db.session.flush()
    audit.record("programme.contact_added", actor=actor, event_id=None, programme_id=programme_id,
                 contact_id=contact.id)  # fmt: skip
    db.session.commit()
    return contact


@use_case
def update_contact(contact_id: int, data: ContactData, *, actor: User) -> ContactPerson:
    """Save a contact person's details. Raises NotFound. Side effects: the row, the content version, an audit
    entry."""
    contact = db.session.get(ContactPerson, contact_id)
    if contact is None:
        raise NotFound()
    for name, value in asdict(data).items():
        setattr(contact, name, value)
    audit.record("programme.contact_updated", actor=actor, event_id=None, programme_id=contact.programme_id,
                 contact_id=contact.id)  # fmt: skip
    db.session.commit()
    return contact


@use_case
def remove_contact(contact_id: int, *, actor: User) -> None:
    """Remove a contact person (their details go with the row). Raises NotFound. Side effects: the row, the
    content version, an audit entry."""
    contact = db.session.get(ContactPerson, contact_id)
    if contact is None:
        raise NotFound()
    programme_id = contact.programme_id
    db.session.delete(contact)
    audit.record("programme.contact_removed", actor=actor, event_id=None, programme_id=programme_id,
                 contact_id=contact_id)  # fmt: skip
    db.session.commit()
