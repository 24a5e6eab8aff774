"""A call's title and texts in other languages: the organiser writes the call in its own language and may
add the others the service speaks.

The same rules as a programme's (eventapp/programmes/translations.py): public pages and the call's mails
show the reader's language where a translation gives it and the call's own language for anything left
empty, every part with its ``lang``; a translation with every field empty is removed."""

from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from eventapp.accounts import audit
from eventapp.accounts.models import User
from eventapp.calls.models import Call, CallTranslation
from eventapp.errors import NotFound, ValidationFailed
from eventapp.extensions import db
from eventapp.i18n import SUPPORTED_LOCALES
from eventapp.registrations.wording import QuestionTranslationData, translated_parts
from eventapp.transactions import use_case

#: Longest values, as the columns allow (the description as the call's own).
LIMITS = {"title": 200, "summary": 500, "description_md": 50_000}


@dataclass(frozen=True)
class CallTranslationData:
    locale: str
    title: str = ""
    summary: str = ""
    description_md: str = ""
    #: Checklist statement id → its text in ``locale`` (empty: the original).
    requirements: dict[int, str] = field(default_factory=dict)
    #: Question id → its label, hint and choices in ``locale``.
    questions: dict[int, QuestionTranslationData] = field(default_factory=dict)


def languages_to_translate_into(call: Call) -> tuple[str, ...]:
    """Every language the site speaks except the call's own."""
    return tuple(code for code in SUPPORTED_LOCALES if code != call.language)


def translations_of(call_id: int) -> list[CallTranslation]:
    """Every translation of the call, by language. One query."""
    stmt = select(CallTranslation).where(CallTranslation.call_id == call_id).order_by(CallTranslation.locale)
    return list(db.session.scalars(stmt))


@use_case
def save_translation(call_id: int, data: CallTranslationData, *, actor: User) -> CallTranslation | None:
    """Create, change or (when every field is empty) remove the call's translation into ``data.locale``.
    Returns the translation, or None when it was removed. Raises NotFound, ValidationFailed. Side effects:
    the translation row, the content version, an audit entry."""
    call = db.session.get(Call, call_id)
    if call is None:
        raise NotFound()
    if data.locale not in languages_to_translate_into(call):
        raise ValidationFailed("locale", _l("Choose one of the languages in the list."))
    values = {name: getattr(data, name).strip() for name in LIMITS}
    for name, limit in LIMITS.items():
        if len(values[name]) > limit:
            raise ValidationFailed(name, _l("At most %(max)d characters.", max=limit))
    parts = translated_parts(call.requirements, call.questions, data.requirements, data.questions)
    translation = db.session.get(CallTranslation, (call.id, data.locale))
    if not any(values.values()) and not parts:
        if translation is not None:
            db.session.delete(translation)
        translation, action = None, "call.translation_removed"
    else:
        if translation is None:
            translation = CallTranslation(call_id=call.id, locale=data.locale)
            db.session.add(translation)
        for name, value in values.items():
            setattr(translation, name, value)
        translation.parts = parts
        action = "call.translated"
    db.session.flush()
    audit.record(action, actor=actor, event_id=None, call_id=call.id, locale=data.locale, call=call.title)
    db.session.commit()
    return translation
