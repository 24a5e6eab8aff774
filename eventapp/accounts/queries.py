"""Reads of organiser accounts, for the administrators' pages."""

from __future__ import annotations

from sqlalchemy import or_, select

from eventapp.accounts.models import User
from eventapp.extensions import db

#: Longest search text used; the form refuses longer input.
MAX_QUERY_LENGTH = 100


def _like_pattern(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def accounts(q: str = "") -> list[User]:
    """Every account (or those whose name or address contains ``q``, any case), active ones first, then
    by name. One query."""
    stmt = select(User).order_by(User.active.desc(), User.name, User.email)
    text = q.strip()[:MAX_QUERY_LENGTH]
    if text:
        pattern = _like_pattern(text.lower())
        stmt = stmt.where(
            or_(db.func.lower(User.name).like(pattern, escape="\\"), User.email.like(pattern, escape="\\"))
        )
    return list(db.session.scalars(stmt))
