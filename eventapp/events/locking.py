"""The event's lock: the one way a use case serialises with every other change to an event and its seats.

Every use case that reads something it then relies on (the seats left, the capacity, the calendar
SEQUENCE, the questions) starts its transaction with ``lock_event``: on PostgreSQL ``SELECT ... FOR
UPDATE`` on the event row, held until the commit; on SQLite ``BEGIN IMMEDIATE`` (the database's one
write lock, taken before the first read). Events and registrations use this same function, so a sign-up
and an organiser's change of the same event wait for each other on both databases.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import bindparam, inspect, select
from sqlalchemy.orm.attributes import set_committed_value

from eventapp.db import begin_write
from eventapp.errors import NotFound
from eventapp.events.models import Event
from eventapp.extensions import db

_EVENT_COLUMNS = [(attr.key, attr.columns[0]) for attr in Event.__mapper__.column_attrs]
#: The event's columns under the lock: one Core statement, built once. (``Session.refresh`` builds and
#: compiles its query on every call: about 0.6 ms more CPU per sign-up, bench/signup_profile.py.)
_LOCK = (
    select(*(column for _key, column in _EVENT_COLUMNS))
    .where(Event.__table__.c.id == bindparam("event_id"))
    .with_for_update()
)
_MISSING: Any = object()


def lock_event(event_id: int) -> Event:
    """Start the use case's transaction and lock the event row until it commits; NotFound if it is gone.

    The session must have no unflushed changes (on SQLite the request's read transaction is ended
    first). The event's columns are read afresh under the lock; relationships the view loaded stay."""
    begin_write(db.session)
    row = db.session.connection().execute(_LOCK, {"event_id": event_id}).one_or_none()
    if row is None:
        raise NotFound()
    event = db.session.get(Event, event_id)  # often already loaded by the view: no query
    if event is None:  # deleted between the two statements: not possible under the lock, but say so
        raise NotFound()
    loaded = inspect(event).dict
    for (key, _column), value in zip(_EVENT_COLUMNS, row, strict=True):
        if loaded.get(key, _MISSING) != value:  # as ``refresh``: the column as it is now, not a change
            set_committed_value(event, key, value)
    return event
