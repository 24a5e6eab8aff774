"""Reads of programmes."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from eventapp.accounts.models import User
from eventapp.extensions import db
from eventapp.programmes.enums import ProgrammeGroup
from eventapp.programmes.models import Programme, ProgrammeTranslation
from eventapp.programmes.permissions import manageable_programmes

_LINKED = (Programme.slug, Programme.title, Programme.language)


def _translated(locale: str | None, under: Any = None) -> Any:
    """Loader option: the translation into ``locale`` only (at most one row), in the same query; ``under``
    another loader option (the parent's, the children's)."""
    relation = Programme.translations.and_(ProgrammeTranslation.locale == (locale or ""))
    return under.joinedload(relation) if under is not None else joinedload(relation)


def programme_by_slug(slug: str) -> Programme | None:
    """The programme, with the programme it is part of, the programmes under it and its contact persons.
    Three queries."""
    stmt = (
        select(Programme)
        .where(Programme.slug == slug)
        .options(
            joinedload(Programme.parent).load_only(*_LINKED),
            selectinload(Programme.children).load_only(*_LINKED),
            selectinload(Programme.contacts),
        )
    )
    return db.session.scalars(stmt).unique().one_or_none()


def programme_for_page(slug: str, locale: str | None = None) -> Programme | None:
    """The programme with its translation into ``locale``, the programme it is part of and the programmes
    under it (each with its translated title), its contact persons, partners and people. Five queries."""
    parent, children = joinedload(Programme.parent), selectinload(Programme.children)
    stmt = (
        select(Programme)
        .where(Programme.slug == slug)
        .options(
            _translated(locale),
            parent.load_only(*_LINKED),
            _translated(locale, parent),
            children.load_only(*_LINKED),
            _translated(locale, children),
            selectinload(Programme.contacts),
            selectinload(Programme.partners),
            selectinload(Programme.people),
        )
    )
    return db.session.scalars(stmt).unique().one_or_none()


def programmes_by_group(locale: str | None = None) -> list[tuple[ProgrammeGroup, list[Programme]]]:
    """Every programme with the one it is part of, each with its translation into ``locale``, under its
    group in the order of ``ProgrammeGroup`` (groups without programmes left out), by title in the
    visitor's language within a group. One query."""
    parent = joinedload(Programme.parent)
    stmt = select(Programme).options(
        _translated(locale),
        parent.load_only(*_LINKED),
        _translated(locale, parent),
    )
    programmes = list(db.session.scalars(stmt).unique())
    programmes.sort(key=lambda p: (p.content(locale or "").title.casefold(), p.id))
    return [(g, members) for g in ProgrammeGroup if (members := [p for p in programmes if p.group == g])]


def all_programmes() -> list[Programme]:
    """Every programme, by title (for the catalogue's filter). One query."""
    return list(db.session.scalars(select(Programme).order_by(Programme.title)))


def programmes_for_event_form(user: User, *, current_id: int | None = None) -> list[Programme]:
    """The programmes ``user`` may attach an event to, by title (admins: all; organisers: those they
    manage), plus the event's current programme so that saving the event keeps it. One query."""
    stmt = manageable_programmes(user)
    if current_id is not None and not user.is_admin:
        stmt = select(Programme).where((Programme.created_by_id == user.id) | (Programme.id == current_id))
    return list(db.session.scalars(stmt.order_by(Programme.title)))
