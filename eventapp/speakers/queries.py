"""Reads about speakers: whom a personal link opens the portal for, their agenda items, and which of
them have slides. Each function runs a fixed number of queries, whatever the number of speakers."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from eventapp.agenda.models import AgendaItem, AgendaItemSpeaker
from eventapp.db import utcnow
from eventapp.events.models import Event
from eventapp.extensions import db
from eventapp.materials.enums import MaterialKind
from eventapp.materials.models import Material, MaterialFile
from eventapp.security import hash_token, looks_like_token
from eventapp.speakers.models import Speaker, SpeakerToken


class LinkProblem(StrEnum):
    UNKNOWN = "unknown"  #: no such link (mistyped, or never made): 404
    REVOKED = "revoked"  #: an organiser revoked it: 410
    EXPIRED = "expired"  #: past its expiry, some weeks after the event: 410


@dataclass(frozen=True)
class LinkCheck:
    """What a speaker link opens: the speaker, or the reason it does not (with the event, when known)."""

    speaker: Speaker | None
    problem: LinkProblem | None = None
    event: Event | None = None


def speaker_for_token(token: str, *, now: datetime | None = None) -> LinkCheck:
    """The speaker a valid link opens the portal for (with their event), or why it does not. One query."""
    if not looks_like_token(token):
        return LinkCheck(None, LinkProblem.UNKNOWN)
    row = db.session.scalars(
        select(SpeakerToken)
        .where(SpeakerToken.token_hash == hash_token(token))
        .options(joinedload(SpeakerToken.speaker).joinedload(Speaker.event))
    ).one_or_none()
    if row is None:
        return LinkCheck(None, LinkProblem.UNKNOWN)
    if row.revoked_at is not None:
        return LinkCheck(None, LinkProblem.REVOKED, row.speaker.event)
    if row.expires_at <= (now or utcnow()):
        return LinkCheck(None, LinkProblem.EXPIRED, row.speaker.event)
    return LinkCheck(row.speaker)


def agenda_links(speaker_id: int) -> list[AgendaItemSpeaker]:
    """The speaker's agenda items (in time order), each with its item loaded. One query."""
    return list(
        db.session.scalars(
            select(AgendaItemSpeaker)
            .join(AgendaItem, AgendaItem.id == AgendaItemSpeaker.agenda_item_id)
            .where(AgendaItemSpeaker.speaker_id == speaker_id)
            .options(joinedload(AgendaItemSpeaker.agenda_item))
            .order_by(AgendaItem.starts_at, AgendaItem.position, AgendaItem.id)
        )
    )


@dataclass(frozen=True)
class ItemSlides:
    """One agenda item of a speaker, and their slides for it (None: never uploaded)."""

    item: AgendaItem
    material: Material | None

    @property
    def current(self) -> MaterialFile | None:
        """The version shown (None: none uploaded, or withdrawn)."""
        return self.material.current_file if self.material is not None else None

    @property
    def versions(self) -> int:
        return len(self.material.files) if self.material is not None else 0

    @property
    def last_uploaded_at(self) -> datetime | None:
        if self.material is None or not self.material.files:
            return None
        return self.material.files[-1].uploaded_at


def _slides(event_id: int, speaker_id: int | None = None) -> dict[tuple[int, int], Material]:
    """Slides materials of the event (or of one speaker) by (speaker id, agenda item id), with every
    version loaded. Two queries."""
    stmt = (
        select(Material)
        .where(
            Material.event_id == event_id,
            Material.kind == MaterialKind.SLIDES,
            Material.speaker_id.is_not(None),
            Material.agenda_item_id.is_not(None),
        )
        .options(selectinload(Material.files))
        .order_by(Material.id)
    )
    if speaker_id is not None:
        stmt = stmt.where(Material.speaker_id == speaker_id)
    found: dict[tuple[int, int], Material] = {}
    for material in db.session.scalars(stmt):
        if material.speaker_id is not None and material.agenda_item_id is not None:  # always, by the query
            found.setdefault((material.speaker_id, material.agenda_item_id), material)
    return found


def portal_items(speaker: Speaker) -> list[ItemSlides]:
    """The speaker's agenda items in time order, each with their slides. Three queries."""
    slides = _slides(speaker.event_id, speaker.id)
    return [
        ItemSlides(link.agenda_item, slides.get((speaker.id, link.agenda_item_id))) for link in agenda_links(speaker.id)
    ]


@dataclass(frozen=True)
class SpeakerRow:
    """A line of the organisers' speakers page."""

    speaker: Speaker
    items: list[ItemSlides]
    #: Whether at least one of the speaker's links still works (not revoked, not expired).
    has_working_link: bool

    @property
    def missing_items(self) -> list[AgendaItem]:
        """Agenda items the speaker has no slides for (never uploaded, or withdrawn)."""
        return [entry.item for entry in self.items if entry.current is None]

    @property
    def has_all_slides(self) -> bool:
        return bool(self.items) and not self.missing_items

    @property
    def is_due_a_reminder(self) -> bool:
        """Invited, reachable, with a link not revoked, and slides still missing."""
        return bool(
            self.speaker.email and self.speaker.invited_at is not None and self.has_working_link and self.missing_items
        )


def speaker_rows(event_id: int, *, now: datetime | None = None) -> list[SpeakerRow]:
    """Every speaker of the event (by name) with their agenda items, slides and link state. Five queries."""
    speakers = list(
        db.session.scalars(
            select(Speaker)
            .where(Speaker.event_id == event_id)
            .options(selectinload(Speaker.agenda_links).joinedload(AgendaItemSpeaker.agenda_item))
            .order_by(Speaker.name, Speaker.id)
        )
    )
    slides = _slides(event_id)
    working = set(
        db.session.scalars(
            select(SpeakerToken.speaker_id)
            .join(Speaker, Speaker.id == SpeakerToken.speaker_id)
            .where(
                Speaker.event_id == event_id,
                SpeakerToken.revoked_at.is_(None),
                SpeakerToken.expires_at > (now or utcnow()),
            )
            .distinct()
        )
    )
    rows = []
    for speaker in speakers:
        links = sorted(speaker.agenda_links, key=lambda ln: (ln.agenda_item.starts_at, ln.agenda_item.position))
        items = [ItemSlides(ln.agenda_item, slides.get((speaker.id, ln.agenda_item_id))) for ln in links]
        rows.append(SpeakerRow(speaker, items, speaker.id in working))
    return rows


def event_speaker(event_id: int, speaker_id: int) -> Speaker | None:
    """One speaker of the event (None when there is no such speaker at this event)."""
    speaker = db.session.get(Speaker, speaker_id)
    return speaker if speaker is not None and speaker.event_id == event_id else None
