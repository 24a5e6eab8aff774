"""Moving the public content version forward whenever public content changes, and reading it.

A model opts in with the class attribute ``__public_content__ = True``. Any flush that inserts, changes
or deletes such a row, and any bulk UPDATE or DELETE aimed at such a model, bumps the version once
per transaction, in that transaction: the new content and the new version become visible together.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, NamedTuple

from sqlalchemy import event, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import ORMExecuteState, Session

from eventapp.db import utcnow
from eventapp.pagecache.models import ContentVersion

_BUMPED = "eventapp_content_version_bumped"
_TABLE = ContentVersion.__table__
_READ = select(_TABLE.c.version, _TABLE.c.changed_at).where(_TABLE.c.id == 1)


class Version(NamedTuple):
    number: int
    changed_at: datetime | None


def is_public_content(obj: Any) -> bool:
    return getattr(type(obj), "__public_content__", False)


def bump(session: Session) -> None:
    """Move the version forward (once per transaction; later calls in it do nothing)."""
    if session.info.get(_BUMPED):
        return
    session.info[_BUMPED] = True
    connection = session.connection()
    dialect = postgresql if connection.dialect.name == "postgresql" else sqlite
    now = utcnow()
    upsert = dialect.insert(_TABLE).values(id=1, version=1, changed_at=now)
    upsert = upsert.on_conflict_do_update(
        index_elements=[_TABLE.c.id], set_={"version": _TABLE.c.version + 1, "changed_at": now}
    )
    connection.execute(upsert)


def current_version(session: Session) -> Version:
    """The version now: one small query."""
    row = session.connection().execute(_READ).first()
    return Version(0, None) if row is None else Version(row[0], row[1])


def _before_flush(session: Session, _context: Any, _instances: Any) -> None:
    if session.info.get(_BUMPED):
        return
    changed = any(is_public_content(o) for o in session.new) or any(is_public_content(o) for o in session.deleted)
    if not changed:
        changed = any(is_public_content(o) and session.is_modified(o) for o in session.dirty)
    if changed:
        bump(session)


def _on_orm_execute(state: ORMExecuteState) -> None:
    if (state.is_update or state.is_delete) and any(
        getattr(m.class_, "__public_content__", False) for m in state.all_mappers
    ):
        bump(state.session)


#: Commits in this process that moved the version (read by the page cache's version memo).
local_bumps = 0


def _committed(session: Session) -> None:
    global local_bumps
    if session.info.get(_BUMPED):
        local_bumps += 1


def _transaction_ended(session: Session, transaction: Any) -> None:
    if transaction.parent is None:
        session.info.pop(_BUMPED, None)


def install() -> None:
    """Listen on every session (idempotent)."""
    if not event.contains(Session, "before_flush", _before_flush):
        event.listen(Session, "before_flush", _before_flush)
        event.listen(Session, "do_orm_execute", _on_orm_execute)
        event.listen(Session, "after_commit", _committed)
        event.listen(Session, "after_transaction_end", _transaction_ended)
