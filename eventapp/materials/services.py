"""What organisers do with an event's materials: add, edit, replace, withdraw, delete, reorder, and publish.

Publishing works on two levels. Each material has its own ``published`` switch (organisers' own
materials start switched on; speakers' uploads start off, so an organiser looks at them first), and the
event has one switch for the whole section: ``publish_materials`` sets ``event.materials_published_at``,
which makes the section appear on the event page, on attendees' own pages and in download links, and the
first time it also writes the follow-up mail to every confirmed attendee. Hiding the section again
(``unpublish_materials``) never leads to a second mail: ``event.materials_mail_sent_at`` is set in the
same transaction as the mails, under the event's row lock, so two clicks or two organisers at once send
it exactly once.

Each use case is one transaction and records an audit entry; uploads follow the rules in
``speakers.uploads`` (checked by content, size-limited, nothing left behind when refused).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from eventapp.accounts import audit
from eventapp.accounts.models import User
from eventapp.agenda.models import AgendaItem
from eventapp.db import utcnow
from eventapp.errors import NotAllowed, NotFound, ValidationFailed
from eventapp.events import signals
from eventapp.events.enums import EventStatus
from eventapp.events.models import Event
from eventapp.extensions import db
from eventapp.mail.services import enqueue
from eventapp.materials import messages, uploads
from eventapp.materials import queries as material_queries
from eventapp.materials.enums import MaterialKind, Visibility
from eventapp.materials.links import check_url
from eventapp.materials.models import Material, MaterialFile
from eventapp.registrations.enums import RegistrationStatus
from eventapp.registrations.models import Registration
from eventapp.registrations.services import lock_event, mint_token

#: The longest title kept (the column's length).
TITLE_MAX = 300


@dataclass(frozen=True)
class MaterialData:
    """What an organiser says about a material. ``url`` only for recordings, boards and links; a file's
    ``title`` may be empty (the file's name is used)."""

    kind: MaterialKind
    title: str = ""
    url: str = ""
    agenda_item_id: int | None = None
    speaker_id: int | None = None
    visibility: Visibility = Visibility.PUBLIC
    published: bool = True


def _event(event_id: int) -> Event:
    event = db.session.get(Event, event_id)
    if event is None:
        raise NotFound()
    return event


def _material(material_id: int, event_id: int | None = None) -> Material:
    material = db.session.get(Material, material_id)
    if material is None or (event_id is not None and material.event_id != event_id):
        raise NotFound()
    return material


def _check(event_id: int, data: MaterialData, *, title_required: bool) -> tuple[str, str]:
    """The title and address to keep, once the rules hold; else ValidationFailed at the field to fix."""
    title = " ".join((data.title or "").split())
    if title_required and not title:
        raise ValidationFailed("title", str(_l("Give the material a title, as the event page should show it.")))
    if len(title) > TITLE_MAX:
        raise ValidationFailed("title", str(_l("The title is longer than %(max)d characters.", max=TITLE_MAX)))
    url = "" if data.kind.has_file else check_url(data.url)
    if data.agenda_item_id is not None:
        item = db.session.get(AgendaItem, data.agenda_item_id)
        if item is None or item.event_id != event_id:
            raise ValidationFailed("agenda_item_id", str(_l("Choose an agenda item of this event.")))
    if data.speaker_id is not None:
        event = db.session.get(Event, event_id)
        if event is None or all(speaker.id != data.speaker_id for speaker in event.speakers):
            raise ValidationFailed("speaker_id", str(_l("Choose a speaker of this event.")))
    return title, url


def _refuse_second_slides(event_id: int, data: MaterialData, *, except_id: int | None = None) -> None:
    """A speaker has one slide deck per agenda item (later uploads are its versions), so the speaker portal
    and the back office always mean the same deck."""
    if data.kind is not MaterialKind.SLIDES or data.speaker_id is None or data.agenda_item_id is None:
        return
    stmt = select(Material.id).where(
        Material.event_id == event_id,
        Material.kind == MaterialKind.SLIDES,
        Material.speaker_id == data.speaker_id,
        Material.agenda_item_id == data.agenda_item_id,
    )
    if except_id is not None:
        stmt = stmt.where(Material.id != except_id)
    if db.session.scalars(stmt).first() is not None:
        raise ValidationFailed("speaker_id", str(_l("This speaker already has slides for this agenda item. Upload "
                                                    "a new version of those slides instead.")))  # fmt: skip


def _next_position(event_id: int) -> int:
    highest = db.session.scalar(select(func.max(Material.position)).where(Material.event_id == event_id))
    return (highest if highest is not None else -1) + 1


def create_link_material(event_id: int, data: MaterialData, *, actor: User) -> Material:
    """Add a recording, digital board or link. Side effects: one material row, an audit entry; commits."""
    if data.kind.has_file:
        raise ValueError("files come through create_file_material")
    _event(event_id)
    title, url = _check(event_id, data, title_required=True)
    material = Material(
        event_id=event_id,
        kind=data.kind,
        title=title,
        url=url,
        agenda_item_id=data.agenda_item_id,
        speaker_id=data.speaker_id,
        visibility=data.visibility,
        published=data.published,
        position=_next_position(event_id),
    )
    db.session.add(material)
    db.session.flush()
    audit.record("material.added", actor=actor, event_id=event_id, material_id=material.id,
                 kind=audit.value(data.kind), title=material.title, url=url)  # fmt: skip
    db.session.commit()
    return material


def create_file_material(event_id: int, data: MaterialData, upload: uploads.Upload, *, actor: User) -> Material:
    """Add a document or slides from an upload (checked by content and size; see ``uploads.store``).
    Without a title the file's name (without extension) is the title. Side effects: the file in storage,
    a material and a file row, an audit entry; commits. A refused upload leaves nothing behind."""
    if not data.kind.has_file:
        raise ValueError("recordings, boards and links come through create_link_material")
    _event(event_id)
    title, _ = _check(event_id, data, title_required=False)
    _refuse_second_slides(event_id, data)
    material = Material(
        event_id=event_id,
        kind=data.kind,
        title=title or "-",
        url="",
        agenda_item_id=data.agenda_item_id,
        speaker_id=data.speaker_id,
        visibility=data.visibility,
        published=data.published,
        position=_next_position(event_id),
    )
    db.session.add(material)
    try:
        version = uploads.add_version(material, upload, by_user=actor)
    except BaseException:
        db.session.rollback()
        raise
    if not title:
        material.title = version.original_name.rsplit(".", 1)[0][:TITLE_MAX]
    db.session.flush()
    audit.record("material.added", actor=actor, event_id=event_id, material_id=material.id,
                 kind=audit.value(data.kind), title=material.title, file=version.original_name)  # fmt: skip
    uploads.commit_with_file(version)
    return material


def edit_material(material_id: int, data: MaterialData, *, actor: User, event_id: int | None = None) -> Material:
    """Change a material's title, address, agenda item, speaker, visibility or published switch (its kind
    stays). Side effects: the row, an audit entry; commits."""
    material = _material(material_id, event_id)
    data = replace(data, kind=material.kind)
    title, url = _check(material.event_id, data, title_required=True)
    _refuse_second_slides(material.event_id, data, except_id=material.id)
    before = (material.title, material.url, material.visibility, material.published)
    material.title = title
    material.url = url
    material.agenda_item_id = data.agenda_item_id
    material.speaker_id = data.speaker_id
    material.visibility = data.visibility
    material.published = data.published
    audit.record("material.edited", actor=actor, event_id=material.event_id, material_id=material.id,
                 kind=audit.value(material.kind), title=title,
                 changes=audit.changes(title=(before[0], title), url=(before[1], url), visibility=(before[2],
                                       data.visibility), published=(before[3], data.published)))  # fmt: skip
    db.session.commit()
    return material


def add_material_version(
    material_id: int, upload: uploads.Upload, *, actor: User, event_id: int | None = None
) -> MaterialFile:
    """A newer version of a document's or slides' file (earlier versions stay for the organisers; a
    withdrawn file comes back with it). Side effects: the file in storage, a file row, an audit entry."""
    material = _material(material_id, event_id)
    if not material.kind.has_file:
        raise ValidationFailed("file", str(_l("A %(kind)s has an address, not a file.", kind=material.kind.label)))
    version = uploads.add_version(material, upload, by_user=actor)
    db.session.flush()
    audit.record("material.uploaded", actor=actor, event_id=material.event_id, material_id=material.id,
                 version=len(material.files), kind=audit.value(material.kind), title=material.title,
                 file=version.original_name)  # fmt: skip
    uploads.commit_with_file(version)
    return version


def withdraw_material(material_id: int, *, actor: User, event_id: int | None = None) -> Material:
    """Take a file off the pages (its versions stay for the organisers; a new upload brings it back)."""
    material = _material(material_id, event_id)
    if not material.kind.has_file:
        raise NotAllowed(str(_l("Only files are withdrawn. To hide an address, switch “Published” off.")))
    return uploads.withdraw(material.id, by_user=actor)


def delete_material(material_id: int, *, actor: User, event_id: int | None = None) -> None:
    """Delete a material with all its versions. After the commit, stored files that no row uses any more
    leave storage (the same bytes uploaded for another material stay). Side effects: rows, audit entry."""
    material = _material(material_id, event_id)
    hashes = {version.sha256 for version in material.files}
    audit.record("material.deleted", actor=actor, event_id=material.event_id, material_id=material.id,
                 kind=audit.value(material.kind), title=material.title, files=len(material.files))  # fmt: skip
    db.session.delete(material)
    db.session.commit()
    for sha256 in sorted(hashes):
        uploads.forget_unless_used(sha256)


def move_material(material_id: int, direction: str, *, actor: User, event_id: int | None = None) -> Material:
    """Move a material one place up or down among those of its group (the recordings, one agenda item's
    materials, the boards, the documents, the links), as the pages show them. At either end nothing
    changes. Side effects: positions renumbered; commits."""
    if direction not in ("up", "down"):
        raise ValidationFailed("direction", str(_l("Choose up or down.")))
    material = _material(material_id, event_id)
    items = list(db.session.scalars(select(AgendaItem).where(AgendaItem.event_id == material.event_id)
                                    .order_by(AgendaItem.position, AgendaItem.starts_at, AgendaItem.id)))  # fmt: skip
    order = material_queries.page_order(
        db.session.scalars(select(Material).where(Material.event_id == material.event_id)), items
    )
    for position, each in enumerate(order):
        each.position = position
    group = material_queries.group_of(material)
    peers = [each for each in order if material_queries.group_of(each) == group]
    index = peers.index(material)
    other = index - 1 if direction == "up" else index + 1
    if 0 <= other < len(peers):
        neighbour = peers[other]
        material.position, neighbour.position = neighbour.position, material.position
    db.session.commit()
    return material


@dataclass(frozen=True)
class Published:
    """What publishing did: how many follow-up mails it wrote (0 when they had gone before)."""

    mailed: int
    mail_sent_before: bool


def publish_materials(event_id: int, *, actor: User) -> Published:
    """Show the event's materials section, and the first time write the follow-up mail to every confirmed
    attendee (in their language, listing what they may see, with their own link).

    Side effects: locks the event row; sets ``materials_published_at`` (if not set) and, once,
    ``materials_mail_sent_at`` with one outbox row and one new personal link per confirmed attendee; an
    audit entry; commits. Refused (ValidationFailed) for a draft event or when no material would show.
    """
    event = lock_event(event_id)
    if event.status is EventStatus.DRAFT:
        raise ValidationFailed(None, str(_l("Publish the event first: its page does not exist yet.")))
    section = material_queries.followup_section(event)
    if not section:
        raise ValidationFailed(None, str(_l("No material is ready to show yet. Add a recording, slides or a link, "
                                            "and make sure it is published and not for organisers only.")))  # fmt: skip
    now = utcnow()
    first_publication = event.materials_published_at is None
    if first_publication:
        event.materials_published_at = now
    mailed = 0
    mail_sent_before = event.materials_mail_sent_at is not None
    if not mail_sent_before:
        people = list(db.session.scalars(
            select(Registration)
            .where(Registration.event_id == event.id, Registration.status == RegistrationStatus.CONFIRMED)
            .order_by(Registration.id)
        ))  # fmt: skip
        for registration in people:
            enqueue(messages.materials_followup(registration, section, token=mint_token(registration)))
        event.materials_mail_sent_at = now
        mailed = len(people)
        signals.materials_published.send(event)  # receivers (interest lists) write in this transaction
    audit.record("materials.published", actor=actor, event_id=event.id, mailed=mailed,
                 mail_sent_before=mail_sent_before or None)  # fmt: skip
    db.session.commit()
    return Published(mailed=mailed, mail_sent_before=mail_sent_before)


def unpublish_materials(event_id: int, *, actor: User) -> None:
    """Hide the materials section again (materials keep their own switches; no mail now or when the
    section is published again). Side effects: locks the event row; an audit entry; commits."""
    event = lock_event(event_id)
    if event.materials_published_at is not None:
        event.materials_published_at = None
        audit.record("materials.unpublished", actor=actor, event_id=event.id)
    db.session.commit()
