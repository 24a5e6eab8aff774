"""Building an event's agenda: adding, changing, removing and reordering slots, and who presents them.
Each function is one transaction and leaves a line in the audit log."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from itertools import pairwise

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from eventapp.accounts import audit
from eventapp.accounts.models import User
from eventapp.agenda.enums import AgendaItemKind
from eventapp.agenda.models import AgendaItem, AgendaItemSpeaker
from eventapp.errors import NotFound, ValidationFailed
from eventapp.extensions import db


@dataclass(frozen=True)
class AgendaItemData:
    title: str
    kind: AgendaItemKind
    starts_at: datetime
    ends_at: datetime
    description: str = ""
    speaker_ids: tuple[int, ...] = ()


def _check(data: AgendaItemData) -> None:
    if data.ends_at <= data.starts_at:
        raise ValidationFailed("ends_at", str(_l("The slot must end after it starts.")))


def _speaker_ids(event_id: int, ids: tuple[int, ...]) -> list[int]:
    """The ids in ``ids`` that are speakers of this event, in the order given. Read from the speakers
    table: the agenda stands below the speakers package (docs/ARCHITECTURE.md, "Layers") and knows a
    speaker by id."""
    speakers = db.metadata.tables["speakers"]
    stmt = select(speakers.c.id).where(speakers.c.event_id == event_id, speakers.c.id.in_(ids))
    found = set(db.session.scalars(stmt))
    return [i for i in ids if i in found]


def add_item(event_id: int, data: AgendaItemData, *, actor: User) -> AgendaItem:
    """A new slot at the end of the agenda, with its speakers in the order given."""
    _check(data)
    last = db.session.scalar(select(func.max(AgendaItem.position)).where(AgendaItem.event_id == event_id))
    item = AgendaItem(
        event_id=event_id,
        position=0 if last is None else last + 1,
        title=data.title,
        kind=data.kind,
        starts_at=data.starts_at,
        ends_at=data.ends_at,
        description=data.description,
    )
    db.session.add(item)
    for speaker_id in _speaker_ids(event_id, data.speaker_ids):
        item.speaker_links.append(AgendaItemSpeaker(speaker_id=speaker_id))
    db.session.flush()
    audit.record("agenda.added", actor=actor, event_id=event_id, item_id=item.id, title=data.title,
                 starts_at=audit.value(data.starts_at))  # fmt: skip
    db.session.commit()
    return item


def update_item(item_id: int, data: AgendaItemData, *, actor: User) -> None:
    item = db.session.get(AgendaItem, item_id)
    if item is None:
        raise NotFound()
    _check(data)
    before = {"title": item.title, "kind": item.kind, "starts_at": item.starts_at, "ends_at": item.ends_at}  # the log
    item.title, item.kind, item.description = data.title, data.kind, data.description
    item.starts_at, item.ends_at = data.starts_at, data.ends_at
    item.speaker_links.clear()
    db.session.flush()
    for speaker_id in _speaker_ids(item.event_id, data.speaker_ids):
        item.speaker_links.append(AgendaItemSpeaker(speaker_id=speaker_id))
    audit.record("agenda.changed", actor=actor, event_id=item.event_id, item_id=item.id, title=data.title,
                 changes=audit.changes(**{key: (old, getattr(item, key)) for key, old in before.items()}))  # fmt: skip
    db.session.commit()


def remove_item(item_id: int, *, actor: User) -> None:
    item = db.session.get(AgendaItem, item_id)
    if item is None:
        raise NotFound()
    audit.record("agenda.removed", actor=actor, event_id=item.event_id, item_id=item.id, title=item.title)
    db.session.delete(item)
    db.session.commit()


def move_item(item_id: int, *, up: bool, actor: User) -> None:
    """Swap the slot with its neighbour above or below (positions are renumbered 0, 1, 2, …)."""
    item = db.session.get(AgendaItem, item_id)
    if item is None:
        raise NotFound()
    items = list(db.session.scalars(select(AgendaItem).where(AgendaItem.event_id == item.event_id)
                                    .order_by(AgendaItem.position, AgendaItem.starts_at, AgendaItem.id)))  # fmt: skip
    index = items.index(item)
    other = index - 1 if up else index + 1
    if 0 <= other < len(items):
        items[index], items[other] = items[other], items[index]
    for position, each in enumerate(items):
        each.position = position
    audit.record("agenda.moved", actor=actor, event_id=item.event_id, item_id=item.id, title=item.title, up=up)
    db.session.commit()


def warnings(event) -> list[str]:
    """What an organiser should look at: slots outside the event's time, and slots that overlap."""
    found: list[str] = []
    items = sorted(event.agenda_items, key=lambda i: (i.starts_at, i.id))
    for item in items:
        if item.starts_at < event.starts_at or item.ends_at > event.ends_at:
            found.append(str(_l("“%(title)s” is outside the event's time.", title=item.title)))
    for first, second in pairwise(items):
        if second.starts_at < first.ends_at:
            found.append(str(_l("“%(first)s” and “%(second)s” overlap.", first=first.title, second=second.title)))
    return found
