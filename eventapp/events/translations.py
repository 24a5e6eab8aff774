"""An event's texts in other languages: its title, summary and description, and its agenda items' titles.

Public pages show the visitor's language where a translation gives it and the event's own language for
anything left empty; every part keeps its ``lang`` so screen readers pronounce it right."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from flask_babel import lazy_gettext as _l

from eventapp.accounts import audit
from eventapp.accounts.models import User
from eventapp.agenda.models import AgendaItem, AgendaItemTranslation
from eventapp.errors import NotFound, ValidationFailed
from eventapp.events.models import Event, EventTranslation
from eventapp.extensions import db
from eventapp.i18n import SUPPORTED_LOCALES
from eventapp.transactions import use_case

ITEM_TITLE_MAX = 300  # AgendaItemTranslation.title


@dataclass(frozen=True)
class TranslationData:
    locale: str
    title: str = ""
    summary: str = ""
    description_md: str = ""
    #: Agenda item id → its title in ``locale`` (empty: not translated).
    item_titles: dict[int, str] = field(default_factory=dict)
    #: The participation requirements and sign-up questions in ``locale``, as stored (``EventTranslation.parts``:
    #: built and checked by ``registrations.wording.translated_parts``, which this layer cannot import).
    parts: dict[str, Any] = field(default_factory=dict)


def languages_to_translate_into(event: Event) -> tuple[str, ...]:
    """Every language the site speaks except the event's own."""
    return tuple(code for code in SUPPORTED_LOCALES if code != event.language)


@use_case
def save_translation(event_id: int, data: TranslationData, *, actor: User) -> EventTranslation | None:
    """Create, change or (when every field is empty) remove the event's translation into ``data.locale``,
    with its agenda item titles and the wording of its requirements and questions. Returns the
    translation, or None when it was removed."""
    event = db.session.get(Event, event_id)
    if event is None:
        raise NotFound()
    if data.locale not in languages_to_translate_into(event):
        raise ValidationFailed("locale", _l("Choose one of the languages in the list."))
    title, summary, description = data.title.strip(), data.summary.strip(), data.description_md.strip()
    translation = next((t for t in event.translations if t.locale == data.locale), None)
    items = {item.id: item for item in event.agenda_items}
    unknown = set(data.item_titles) - set(items)
    if unknown:
        raise ValidationFailed(None, _l("The agenda changed while you were translating. Please try again."))
    for item_id, item in items.items():
        wanted = data.item_titles.get(item_id, "").strip()
        if len(wanted) > ITEM_TITLE_MAX:
            raise ValidationFailed(f"item_{item_id}", _l("At most %(max)d characters.", max=ITEM_TITLE_MAX))
        existing = next((t for t in item.translations if t.locale == data.locale), None)
        if wanted and existing:
            existing.title = wanted
        elif wanted:
            item.translations.append(AgendaItemTranslation(locale=data.locale, title=wanted))
        elif existing:
            item.translations.remove(existing)
    empty = not (title or summary or description or data.parts or any(v.strip() for v in data.item_titles.values()))
    if empty:
        if translation is not None:
            event.translations.remove(translation)
        translation = None
        action = "event.translation_removed"
    else:
        if translation is None:
            translation = EventTranslation(locale=data.locale)
            event.translations.append(translation)
        translation.title, translation.summary, translation.description_md = title, summary, description
        translation.parts = data.parts
        action = "event.translated"
    db.session.flush()
    _refresh_search(event)
    audit.record(action, actor=actor, event_id=event.id, locale=data.locale)
    db.session.commit()
    return translation


def _refresh_search(event: Event) -> None:
    """Words from every translation are found by the catalogue search, too."""
    from eventapp.events.models import _refresh_search_text

    _refresh_search_text(None, None, event)


def load_translations(event: Event) -> None:
    """Load the event's translations and every agenda item's translated titles: two queries, whatever the
    number of items (the translations page shows them all)."""
    from sqlalchemy.orm import selectinload

    db.session.scalars(
        db.select(AgendaItem).where(AgendaItem.event_id == event.id).options(selectinload(AgendaItem.translations))
    ).all()
    _ = event.translations
