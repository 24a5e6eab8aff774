"""Reads of programmes."""

from __future__ import annotations

from sqlalchemy import select

from eventapp.extensions import db
from eventapp.programmes.models import Programme


def programme_by_slug(slug: str) -> Programme | None:
    return db.session.scalars(select(Programme).where(Programme.slug == slug)).one_or_none()


def all_programmes() -> list[Programme]:
    """Every programme, by title (for the catalogue's filter). One query."""
    return list(db.session.scalars(select(Programme).order_by(Programme.title)))
