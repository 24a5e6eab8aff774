"""A programme's texts in other languages: title, summary, description, goals and target groups.

The same rules as an event's (eventapp/events/translations.py): public pages show the visitor's language
where a translation gives it and the programme's own language for anything left empty, every part with its
``lang``; a translation with every field empty is removed."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from eventapp.accounts import audit
from eventapp.accounts.models import User
from eventapp.errors import NotFound, ValidationFailed
from eventapp.extensions import db
from eventapp.i18n import SUPPORTED_LOCALES
from eventapp.programmes.models import Programme, ProgrammeTranslation
from eventapp.transactions import use_case

#: Longest values, as the columns allow (Markdown texts as the programme's own).
LIMITS = {"title": 200, "summary": 500, "description_md": 50_000, "goals_md": 20_000, "target_groups_md": 20_000}


@dataclass(frozen=True)
class ProgrammeTranslationData:
    locale: str
    title: str = ""
    summary: str = ""
    description_md: str = ""
    goals_md: str = ""
    target_groups_md: str = ""


def languages_to_translate_into(programme: Programme) -> tuple[str, ...]:
    """Every language the site speaks except the programme's own."""
    return tuple(code for code in SUPPORTED_LOCALES if code != programme.language)


def translations_of(programme_id: int) -> list[ProgrammeTranslation]:
    """Every translation of the programme, by language. One query."""
    stmt = select(ProgrammeTranslation).where(ProgrammeTranslation.programme_id == programme_id)
    return list(db.session.scalars(stmt.order_by(ProgrammeTranslation.locale)))


@use_case
def save_translation(programme_id: int, data: ProgrammeTranslationData, *, actor: User) -> ProgrammeTranslation | None:
    """Create, change or (when every field is empty) remove the programme's translation into
    ``data.locale``. Returns the translation, or None when it was removed. Raises NotFound,
    ValidationFailed. Side effects: the translation row, the content version, an audit entry."""
    programme = db.session.get(Programme, programme_id)
    if programme is None:
        raise NotFound()
    if data.locale not in languages_to_translate_into(programme):
        raise ValidationFailed("locale", _l("Choose one of the languages in the list."))
    values = {name: getattr(data, name).strip() for name in LIMITS}
    for name, limit in LIMITS.items():
        if len(values[name]) > limit:
            raise ValidationFailed(name, _l("At most %(max)d characters.", max=limit))
    translation = db.session.get(ProgrammeTranslation, (programme.id, data.locale))
    if not any(values.values()):
        if translation is not None:
            db.session.delete(translation)
        translation, action = None, "programme.translation_removed"
    else:
        if translation is None:
            translation = ProgrammeTranslation(programme_id=programme.id, locale=data.locale)
            db.session.add(translation)
        for name, value in values.items():
            setattr(translation, name, value)
        action = "programme.translated"
    db.session.flush()
    audit.record(action, actor=actor, event_id=None, programme_id=programme.id, locale=data.locale,
                 slug=programme.slug)  # fmt: skip
    db.session.commit()
    return translation
