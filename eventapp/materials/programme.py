"""The published materials of a programme's past events, for its page: titles linking to the materials,
grouped by event (the rules of what is shown and in which order are those of ``queries``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from eventapp.db import utcnow
from eventapp.events.enums import PUBLIC_STATUSES
from eventapp.events.models import Event
from eventapp.extensions import db
from eventapp.materials.models import Material, MaterialFile
from eventapp.materials.queries import PUBLIC_ONLY, is_shown, page_order


@dataclass(frozen=True)
class MaterialLink:
    """One material as the programme page links to it: a public file, or a link the organisers gave."""

    title: str
    file: MaterialFile | None
    url: str


@dataclass(frozen=True)
class EventMaterials:
    event: Event
    links: list[MaterialLink]


def past_event_materials(programme_id: int, past: list[Event], *, now: datetime | None = None) -> list[EventMaterials]:
    """The public, published materials of the programme's past events, grouped by event in the order of
    ``past`` (newest first), each event's in the order its own page shows them. One query, always."""
    stmt = (
        select(Material)
        .join(Event, Event.id == Material.event_id)
        .where(
            Event.programme_id == programme_id,
            Event.status.in_(PUBLIC_STATUSES),
            Event.materials_published_at.is_not(None),
            Event.ends_at <= (now or utcnow()),
            Material.published.is_(True),
            Material.visibility.in_(PUBLIC_ONLY),
        )
        .options(joinedload(Material.files))
    )
    by_event: dict[int, list[Material]] = {}
    for material in db.session.scalars(stmt).unique():
        if is_shown(material, PUBLIC_ONLY):
            by_event.setdefault(material.event_id, []).append(material)
    groups = []
    for event in past:
        materials = page_order(by_event.get(event.id, ()), ())
        links = [
            MaterialLink(m.title, m.current_file if m.kind.has_file else None, "" if m.kind.has_file else m.url)
            for m in materials
        ]
        if links:
            groups.append(EventMaterials(event, links))
    return groups
