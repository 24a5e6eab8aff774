"""The event's lock: the one way a use case serialises with every other change to an event and its seats.

Every use case that reads something it then relies on (the seats left, the capacity, the calendar
SEQUENCE, the questions) starts its transaction with ``lock_event``: on PostgreSQL ``SELECT ... FOR
UPDATE`` on the event row, held until the commit; on SQLite ``BEGIN IMMEDIATE`` (the database's one
write lock, taken before the first read). Events and registrations use this same function, so a sign-up
and an organiser's change of the same event wait for each other on both databases.
"""

from __future__ import annotations

from eventapp.db import begin_write
from eventapp.errors import NotFound
from eventapp.events.models import Event
from eventapp.extensions import db

_EVENT_COLUMNS = [column.key for column in Event.__mapper__.column_attrs]


def lock_event(event_id: int) -> Event:
    """Start the use case's transaction and lock the event row until it commits; NotFound if it is gone.

    The session must have no unflushed changes (on SQLite the request's read transaction is ended
    first). The event's columns are read afresh under the lock; relationships the view loaded stay."""
    begin_write(db.session)
    event = db.session.get(Event, event_id)  # often already loaded by the view: no query
    if event is None:
        raise NotFound()
    db.session.refresh(event, attribute_names=_EVENT_COLUMNS, with_for_update=True)
    return event
