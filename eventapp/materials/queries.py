"""Reads of materials: the order pages show them in, who sees which, and the file behind a download link.

Every page shows materials in one order, the order of the real webinar pages: the recording first, then
each agenda item with its speakers' slides (and any other file or link attached to that item), then the
digital board, then documents, then other links. Within each group the organisers' own order (``position``)
holds. Each function issues a fixed number of queries, whatever the number of materials.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import IntEnum
from typing import TYPE_CHECKING

from babel.numbers import format_decimal
from sqlalchemy import func, select
from sqlalchemy.orm import aliased, contains_eager, joinedload

from eventapp.accounts.models import User
from eventapp.agenda.models import AgendaItem, AgendaItemSpeaker
from eventapp.events.models import Event
from eventapp.extensions import db
from eventapp.formatting import format_locale
from eventapp.materials import filetypes
from eventapp.materials.enums import MaterialKind, Visibility
from eventapp.materials.links import VideoEmbed, video_embed
from eventapp.materials.models import Material, MaterialFile
from eventapp.registrations.enums import RegistrationStatus
from eventapp.registrations.models import Registration

if TYPE_CHECKING:
    # Material.speaker and Event.speakers are Speakers:
    from eventapp.speakers.models import Speaker  # type-only: relationship annotation

#: Who sees what: anyone on the event page; a confirmed attendee through their own link.
PUBLIC_ONLY = frozenset({Visibility.PUBLIC})
FOR_ATTENDEES = frozenset({Visibility.PUBLIC, Visibility.REGISTERED})


class Section(IntEnum):
    """The groups of the materials section, in the order they are shown."""

    RECORDINGS = 0
    AGENDA = 1
    BOARDS = 2
    DOCUMENTS = 3
    LINKS = 4


def section_of(material: Material) -> Section:
    if material.kind is MaterialKind.RECORDING:
        return Section.RECORDINGS
    if material.kind is MaterialKind.BOARD:
        return Section.BOARDS
    if material.agenda_item_id is not None:
        return Section.AGENDA
    if material.kind.has_file:
        return Section.DOCUMENTS
    return Section.LINKS


def group_of(material: Material) -> tuple[Section, int | None]:
    """Materials are reordered among those of the same group: a section, and in the agenda section the
    same agenda item."""
    section = section_of(material)
    return section, material.agenda_item_id if section is Section.AGENDA else None


def page_order(materials: Iterable[Material], agenda_items: Sequence[AgendaItem]) -> list[Material]:
    """``materials`` in the order every page shows them (``agenda_items`` in agenda order)."""
    item_index = {item.id: index for index, item in enumerate(agenda_items)}

    def key(material: Material) -> tuple[int, int, int, int]:
        section = section_of(material)
        at = item_index.get(material.agenda_item_id or 0, len(item_index)) if section is Section.AGENDA else 0
        return section, at, material.position, material.id

    return sorted(materials, key=key)


def file_size(size: int) -> str:
    """A size as people read it, in the page's language: "820 B", "56 kB", "2.3 MB" ("2,3 MB" in nb)."""
    locale = format_locale()
    if size < 1024:
        return f"{size} B"
    if size < 1024 * 1024:
        return f"{format_decimal(round(size / 1024), locale=locale)} kB"
    return f"{format_decimal(round(size / (1024 * 1024), 1), format='#,##0.#', locale=locale)} MB"


def describe_file(file: MaterialFile) -> str:
    """ "PDF, 2.3 MB": the kind of file (told from its bytes) and its size."""
    kind = filetypes.BY_KEY.get(file.file_type)
    return f"{kind.label if kind else file.file_type.upper()}, {file_size(file.size)}"


@dataclass(frozen=True)
class ShownMaterial:
    """One material as a page shows it: with its current file, or its embeddable video."""

    material: Material
    file: MaterialFile | None
    video: VideoEmbed | None

    @property
    def id(self) -> int:
        return self.material.id

    @property
    def kind(self) -> MaterialKind:
        return self.material.kind

    @property
    def title(self) -> str:
        return self.material.title

    @property
    def url(self) -> str:
        return self.material.url

    @property
    def speaker(self) -> Speaker | None:
        return self.material.speaker

    @property
    def is_public(self) -> bool:
        return self.material.visibility is Visibility.PUBLIC


@dataclass(frozen=True)
class AgendaMaterials:
    item: AgendaItem
    materials: list[ShownMaterial]


@dataclass(frozen=True)
class MaterialsSection:
    """What the materials section shows, group by group (empty groups stay out of the page)."""

    recordings: list[ShownMaterial] = field(default_factory=list)
    agenda: list[AgendaMaterials] = field(default_factory=list)
    boards: list[ShownMaterial] = field(default_factory=list)
    documents: list[ShownMaterial] = field(default_factory=list)
    links: list[ShownMaterial] = field(default_factory=list)

    def all(self) -> list[ShownMaterial]:
        agenda = [shown for group in self.agenda for shown in group.materials]
        return [*self.recordings, *agenda, *self.boards, *self.documents, *self.links]

    def __bool__(self) -> bool:
        return bool(self.all())

    @property
    def has_video(self) -> bool:
        return any(shown.video for shown in self.recordings)


def is_shown(material: Material, visible: frozenset[Visibility]) -> bool:
    """Published, seen by this audience, and (for a file) with a file that was not withdrawn."""
    if not material.published or material.visibility not in visible:
        return False
    return material.current_file is not None if material.kind.has_file else bool(material.url)


def arrange(
    materials: Iterable[Material], agenda_items: Sequence[AgendaItem], *, visible: frozenset[Visibility]
) -> MaterialsSection:
    """The section for an audience that sees ``visible`` materials (no queries: all is loaded)."""
    section = MaterialsSection()
    items = {item.id: item for item in agenda_items}
    groups: dict[int, AgendaMaterials] = {}
    for material in page_order((m for m in materials if is_shown(m, visible)), agenda_items):
        shown = ShownMaterial(
            material=material,
            file=material.current_file if material.kind.has_file else None,
            video=video_embed(material.url) if material.kind is MaterialKind.RECORDING else None,
        )
        where = section_of(material)
        if where is Section.AGENDA and material.agenda_item_id in items:
            if material.agenda_item_id not in groups:
                groups[material.agenda_item_id] = AgendaMaterials(items[material.agenda_item_id], [])
                section.agenda.append(groups[material.agenda_item_id])
            groups[material.agenda_item_id].materials.append(shown)
        elif where is Section.RECORDINGS:
            section.recordings.append(shown)
        elif where is Section.BOARDS:
            section.boards.append(shown)
        elif material.kind.has_file:
            section.documents.append(shown)
        else:
            section.links.append(shown)
    return section


def _materials(event_id: int, visible: frozenset[Visibility] | None) -> list[Material]:
    """An event's materials with their files and speakers: one query."""
    stmt = (
        select(Material)
        .where(Material.event_id == event_id)
        .options(joinedload(Material.files), joinedload(Material.speaker))
    )
    if visible is not None:
        stmt = stmt.where(Material.published.is_(True), Material.visibility.in_(visible))
    return list(db.session.scalars(stmt).unique())


def public_section(event: Event) -> MaterialsSection | None:
    """The materials section of the public event page (``event.agenda_items`` loaded), or None while the
    materials are not published. One query once they are published, none before (whether they are is no
    secret: the page shows it; most pages, those before the event, save a round trip)."""
    if event.materials_published_at is None or not event.is_public:
        return None
    return arrange(_materials(event.id, PUBLIC_ONLY), event.agenda_items, visible=PUBLIC_ONLY)


def agenda_with_speakers(event_id: int) -> list[AgendaItem]:
    """An event's agenda items with their speakers, in agenda order: one query."""
    stmt = (
        select(AgendaItem)
        .where(AgendaItem.event_id == event_id)
        .order_by(AgendaItem.position, AgendaItem.starts_at, AgendaItem.id)
        .options(joinedload(AgendaItem.speaker_links).joinedload(AgendaItemSpeaker.speaker))
    )
    return list(db.session.scalars(stmt).unique())


def attendee_section(registration: Registration) -> MaterialsSection | None:
    """What a person sees on their own page: the public and registered-only materials, once published,
    if their place is confirmed; None otherwise. Two queries, or none."""
    event = registration.event
    if registration.status is not RegistrationStatus.CONFIRMED or event.materials_published_at is None:
        return None
    materials = _materials(event.id, FOR_ATTENDEES)
    return arrange(materials, agenda_with_speakers(event.id), visible=FOR_ATTENDEES)


def followup_section(event: Event) -> MaterialsSection:
    """What the follow-up mail lists for confirmed attendees (two queries)."""
    materials = _materials(event.id, FOR_ATTENDEES)
    return arrange(materials, agenda_with_speakers(event.id), visible=FOR_ATTENDEES)


@dataclass(frozen=True)
class ManagedMaterials:
    """The back office's list: every material in page order, and who uploaded each version."""

    materials: list[Material]
    uploaders: dict[int, User]
    speakers: dict[int, Speaker]
    shown_to_attendees: int  #: how many the follow-up mail and the pages would show attendees
    drafts: list[Material]  #: not published (the organisers see them only)


def managed_materials(event: Event) -> ManagedMaterials:
    """For the back office: ``event`` has its agenda and speakers loaded. Two queries, always."""
    materials = page_order(_materials(event.id, None), event.agenda_items)
    user_ids = {f.uploaded_by_user_id for m in materials for f in m.files if f.uploaded_by_user_id}
    uploaders = {u.id: u for u in db.session.scalars(select(User).where(User.id.in_(user_ids)))}
    return ManagedMaterials(
        materials=materials,
        uploaders=uploaders,
        speakers={s.id: s for s in event.speakers},
        shown_to_attendees=sum(1 for m in materials if is_shown(m, FOR_ATTENDEES)),
        drafts=[m for m in materials if not m.published],
    )


def confirmed_count(event_id: int) -> int:
    """How many confirmed attendees the follow-up mail would go to."""
    return int(
        db.session.scalar(
            select(func.count())
            .select_from(Registration)
            .where(Registration.event_id == event_id, Registration.status == RegistrationStatus.CONFIRMED)
        )
        or 0
    )


@dataclass(frozen=True)
class Download:
    """A file behind a download link, with its material and event, and whether it is the version shown."""

    file: MaterialFile
    material: Material
    event: Event
    is_current: bool

    def visible_to(self, visible: frozenset[Visibility]) -> bool:
        """May someone who sees ``visible`` materials download it from the pages?"""
        material, event = self.material, self.event
        return (
            event.is_public
            and event.materials_published_at is not None
            and material.published
            and material.visibility in visible
            and material.withdrawn_at is None
            and self.is_current
        )


def download(file_id: int) -> Download | None:
    """The file ``file_id`` with its material and event: one query."""
    newer = aliased(MaterialFile)
    latest = select(func.max(newer.id)).where(newer.material_id == MaterialFile.material_id).scalar_subquery()
    stmt = (
        select(MaterialFile, Event, latest)
        .join(MaterialFile.material)
        .join(Event, Event.id == Material.event_id)
        .where(MaterialFile.id == file_id)
        .options(contains_eager(MaterialFile.material))
    )
    row = db.session.execute(stmt).one_or_none()
    if row is None:
        return None
    file, event, latest_id = row
    return Download(file=file, material=file.material, event=event, is_current=file.id == latest_id)
