"""The declarative base, the one datetime type, and database helpers shared by every domain.

* ``Base`` carries a naming convention so that Alembic names constraints the same way on SQLite and
  PostgreSQL, and migrations stay stable.
* ``UTCDateTime`` stores instants in UTC and always hands back timezone-aware datetimes, on both
  databases. Naive datetimes are refused: a naive time is a bug waiting for the first DST change.
* ``configure_sqlite`` makes SQLite behave like a serious database (WAL, foreign keys, a busy timeout)
  and lets a use case ask for ``BEGIN IMMEDIATE`` when it must hold the write lock from its first read.
"""

from __future__ import annotations

import enum
import select
import time
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import DateTime, Enum, MetaData, event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.orm import DeclarativeBase
from sqlalchemy.types import TypeDecorator

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def utcnow() -> datetime:
    """Now, as an aware UTC datetime. The only clock the code reads."""
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """An instant in time: aware datetimes in, aware UTC datetimes out, on every database.

    PostgreSQL stores ``timestamp with time zone``; SQLite stores the UTC wall time as text. Either
    way the value read back equals the value written and has ``tzinfo=UTC``.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError(f"naive datetime {value!r} given; use an aware datetime (UTC)")
        value = value.astimezone(UTC)
        if dialect.name == "sqlite":
            return value.replace(tzinfo=None)
        return value

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


def enum_column_type(enum_cls: type[enum.Enum], name: str) -> Enum:
    """A portable enum column: a VARCHAR holding the member's value, guarded by a CHECK constraint.

    Not a native PostgreSQL ENUM: adding a value later is then a plain migration on both databases.
    """
    return Enum(
        enum_cls,
        name=name,
        native_enum=False,
        create_constraint=True,
        length=32,
        values_callable=lambda members: [m.value for m in members],
        validate_strings=True,
    )


def configure_sqlite(engine: Engine) -> None:
    """Pragmas and transaction control for SQLite; a no-op on other databases."""
    if engine.dialect.name != "sqlite":
        return

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        # Let SQLAlchemy emit BEGIN itself (the documented pysqlite recipe), so that a use case can
        # choose BEGIN IMMEDIATE and hold the write lock from its first read.
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA busy_timeout=30000")
        if not _is_memory(engine):
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA synchronous=NORMAL")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        mode = conn.get_execution_options().get("sqlite_begin", "DEFERRED")
        conn.exec_driver_sql(f"BEGIN {mode}")


def ping_after_idle(engine: Engine, seconds: float) -> None:
    """Test a pooled connection with a ``SELECT 1`` before handing it out when it sat unused for at least
    ``seconds``, or when its socket has something to read (a no-op on SQLite, whose connections are files).

    ``pool_pre_ping`` pings before every checkout: a round trip more on every page, which under a sign-up
    rush (connections back in the pool for a few milliseconds) is a fifth of a page's time. An idle
    connection has nothing to read unless the server spoke: a restart, a terminated backend or a cut
    connection leave its socket readable (the server's farewell, or the end of the stream), which a poll
    with no wait sees without a round trip. Such a connection, or one idle for ``seconds``, is pinged, and
    a dead one replaced by a fresh one, as with ``pool_pre_ping``.
    """
    if engine.dialect.name == "sqlite":
        return

    @event.listens_for(engine, "checkin")
    def _checked_in(_dbapi_conn: Any, record: Any) -> None:
        record.info["idle_since"] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _checked_out(dbapi_conn: Any, record: Any, _proxy: Any) -> None:
        idle_since = record.info.get("idle_since")  # None: a new connection, just made
        if idle_since is None or (time.monotonic() - idle_since < seconds and not _has_input(dbapi_conn)):
            return
        try:
            engine.dialect.do_ping(dbapi_conn)
        except engine.dialect.loaded_dbapi.Error as exc:
            if engine.dialect.is_disconnect(exc, dbapi_conn, None):
                raise DisconnectionError() from exc  # the pool makes a new connection and tries again
            raise


def _has_input(dbapi_conn: Any) -> bool:
    """Whether the connection's socket has something to read (or is closed), without waiting."""
    try:
        readable, _, _ = select.select([dbapi_conn.fileno()], [], [], 0)
    except (OSError, ValueError, AttributeError):
        return True  # no usable socket: let the ping find out
    return bool(readable)


def _is_memory(engine: Engine) -> bool:
    database = engine.url.database
    return not database or database == ":memory:"


def begin_write(session: Any) -> None:
    """Make the session's transaction one that may write, holding SQLite's write lock from the start.

    On SQLite the read transaction a request began is ended (views only read before calling a
    service, so nothing is lost) and a new one starts with ``BEGIN IMMEDIATE``: concurrent writers
    queue on the busy timeout instead of failing on a lock upgrade. On PostgreSQL the transaction goes
    on (what the view loaded stays loaded); use ``SELECT ... FOR UPDATE`` on the row that guards the rule.
    """
    if session.new or session.dirty or session.deleted:
        raise RuntimeError("begin_write called with unflushed changes in the session")
    if session.get_bind().dialect.name == "sqlite":
        session.rollback()
        session.connection(execution_options={"sqlite_begin": "IMMEDIATE"})
