"""Reads of programmes."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from eventapp.accounts.models import User
from eventapp.extensions import db
from eventapp.programmes.enums import ProgrammeGroup
from eventapp.programmes.models import Programme
from eventapp.programmes.permissions import manageable_programmes


def programme_by_slug(slug: str) -> Programme | None:
    """The programme, with the programme it is part of, the programmes under it and its contact persons.
    Three queries."""
    stmt = (
        select(Programme)
        .where(Programme.slug == slug)
        .options(
            joinedload(Programme.parent).load_only(Programme.slug, Programme.title, Programme.language),
            selectinload(Programme.children).load_only(Programme.slug, Programme.title, Programme.language),
            selectinload(Programme.contacts),
        )
    )
    return db.session.scalars(stmt).unique().one_or_none()


def programmes_by_group() -> list[tuple[ProgrammeGroup, list[Programme]]]:
    """Every programme with the one it is part of, under its group in the order of ``ProgrammeGroup`` (groups
    without programmes left out), by title within a group. One query."""
    stmt = (
        select(Programme)
        .options(joinedload(Programme.parent).load_only(Programme.slug, Programme.title, Programme.language))
        .order_by(Programme.title, Programme.id)
    )
    programmes = list(db.session.scalars(stmt).unique())
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
