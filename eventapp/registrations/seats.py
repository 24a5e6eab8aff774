"""Seat counts that do not grow with the registrations: one row per event, kept by the database.

``seat_counts`` holds, per event, how many registrations are confirmed, waitlisted and pending, and the
same three for the online mode of a hybrid event (``online_*``; on site is the total less online, so a
registration without a mode counts on site, and other events only ever use the totals). Triggers
on ``registrations`` (below; created with the tables and by the migration) keep it exact in the same
transaction as any insert, delete or status change, whoever makes it (a service, a bulk statement, a test
factory, a cascade). Reading the counts is then one primary-key look-up instead of a scan of every
registration of the event, so a sign-up holds the event's lock for the same short time at 10 or 10,000
registrations. Seats on offer (waitlisted, offer not yet lapsed) depend on the clock, so they are counted
when read, through the partial index on live offers (a handful of rows at most).

The migration that made the table runs these same statements: change them only together with a new
migration that re-creates the triggers. A migration that rebuilds ``registrations`` in SQLite's batch
mode drops its triggers: it must call ``create_triggers`` again afterwards.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import DDL, event

#: The statuses that hold or wait for a seat (``enums.ACTIVE_STATUSES``), as stored.
_COUNTED = "('confirmed', 'waitlisted', 'pending')"


_STATUSES = ("confirmed", "waitlisted", "pending")
_COLUMNS = "event_id, confirmed, waitlisted, pending, online_confirmed, online_waitlisted, online_pending"
_ZEROS = "0, 0, 0, 0, 0, 0"


def _add(row: str, sign: str) -> str:
    totals = [
        f"{status} = {status} {sign} CASE WHEN {row}.status = '{status}' THEN 1 ELSE 0 END" for status in _STATUSES
    ]
    online = [
        f"online_{status} = online_{status} {sign} "
        f"CASE WHEN {row}.status = '{status}' AND {row}.attendance = 'online' THEN 1 ELSE 0 END"
        for status in _STATUSES
    ]
    return ", ".join(totals + online)


POSTGRESQL = (
    f"""
CREATE OR REPLACE FUNCTION registrations_count_seats() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND OLD.status = NEW.status AND OLD.event_id = NEW.event_id
     AND OLD.attendance IS NOT DISTINCT FROM NEW.attendance THEN
    RETURN NULL;
  END IF;
  IF TG_OP <> 'INSERT' AND OLD.status IN {_COUNTED} THEN
    UPDATE seat_counts SET {_add("OLD", "-")} WHERE event_id = OLD.event_id;
  END IF;
  IF TG_OP <> 'DELETE' AND NEW.status IN {_COUNTED} THEN
    INSERT INTO seat_counts ({_COLUMNS}) VALUES (NEW.event_id, {_ZEROS})
      ON CONFLICT (event_id) DO NOTHING;
    UPDATE seat_counts SET {_add("NEW", "+")} WHERE event_id = NEW.event_id;
  END IF;
  RETURN NULL;
END $$
""",
    "DROP TRIGGER IF EXISTS registrations_count_seats ON registrations",
    "CREATE TRIGGER registrations_count_seats AFTER INSERT OR DELETE OR UPDATE OF status, event_id, attendance "
    "ON registrations FOR EACH ROW EXECUTE FUNCTION registrations_count_seats()",
)
SQLITE = (
    "DROP TRIGGER IF EXISTS registrations_count_seats_insert",
    "DROP TRIGGER IF EXISTS registrations_count_seats_delete",
    "DROP TRIGGER IF EXISTS registrations_count_seats_update",
    f"""CREATE TRIGGER registrations_count_seats_insert AFTER INSERT ON registrations
WHEN NEW.status IN {_COUNTED}
BEGIN
  INSERT OR IGNORE INTO seat_counts ({_COLUMNS}) VALUES (NEW.event_id, {_ZEROS});
  UPDATE seat_counts SET {_add("NEW", "+")} WHERE event_id = NEW.event_id;
END""",
    f"""CREATE TRIGGER registrations_count_seats_delete AFTER DELETE ON registrations
WHEN OLD.status IN {_COUNTED}
BEGIN
  UPDATE seat_counts SET {_add("OLD", "-")} WHERE event_id = OLD.event_id;
END""",
    f"""CREATE TRIGGER registrations_count_seats_update AFTER UPDATE OF status, event_id, attendance ON registrations
WHEN OLD.status IS NOT NEW.status OR OLD.event_id IS NOT NEW.event_id OR OLD.attendance IS NOT NEW.attendance
BEGIN
  UPDATE seat_counts SET {_add("OLD", "-")} WHERE event_id = OLD.event_id;
  INSERT OR IGNORE INTO seat_counts ({_COLUMNS})
    SELECT NEW.event_id, {_ZEROS} WHERE NEW.status IN {_COUNTED};
  UPDATE seat_counts SET {_add("NEW", "+")} WHERE event_id = NEW.event_id;
END""",
)
#: Fills the table from the registrations (the migration, and a repair if it is ever doubted).
RECOUNT = (
    "DELETE FROM seat_counts",
    f"INSERT INTO seat_counts ({_COLUMNS}) SELECT event_id, "
    + ", ".join(f"sum(CASE WHEN status = '{s}' THEN 1 ELSE 0 END)" for s in _STATUSES)
    + ", "
    + ", ".join(f"sum(CASE WHEN status = '{s}' AND attendance = 'online' THEN 1 ELSE 0 END)" for s in _STATUSES)
    + f" FROM registrations WHERE status IN {_COUNTED} GROUP BY event_id",
)


def create_triggers(execute: Any, dialect: str) -> None:
    """Create (or re-create) the triggers with ``execute(sql)`` on ``dialect`` (postgresql or sqlite)."""
    for statement in POSTGRESQL if dialect == "postgresql" else SQLITE:
        execute(statement)


def install(metadata: Any) -> None:
    """Create the triggers whenever ``metadata.create_all`` made the tables (tests, a new database)."""
    for dialect, statements in (("postgresql", POSTGRESQL), ("sqlite", SQLITE)):
        for statement in statements:
            event.listen(metadata, "after_create", DDL(statement).execute_if(dialect=dialect))
