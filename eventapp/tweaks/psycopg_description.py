"""psycopg's ``cursor.description`` made when something reads it, not whenever it is asked for.

psycopg builds the description afresh on every access: a ``Column`` per column of the result, each decoding
its name and looking its type up (about 1 µs a column). SQLAlchemy asks for it after every statement, but
reads it only the first time a compiled statement runs (to build the result's metadata, which it then keeps
with the compiled statement); afterwards it only checks that there is one. The event page's two statements
have 96 columns between them (the event, its translation, programme and contact persons, and the seats):
building their descriptions was about 4 % of the uncached page's CPU, for nothing.

Here the description of a result with columns is a sequence of psycopg's ``Column`` objects, made on the
first look at one of them, from the result it was asked for (a later statement on the same cursor does not
change it). A result without columns gets psycopg's own answer.

The assumptions, about psycopg: a connection makes its cursors with its ``cursor_factory``;
``Column(cursor, index)`` reads only ``cursor.pgresult``, ``cursor._encoding`` and ``cursor.adapters``.
About SQLAlchemy: its psycopg dialect makes its cursors with ``connection.cursor()``. tests/core/test_tweaks.py
checks them, and that the description is psycopg's, column for column.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any, overload

import psycopg
from psycopg import Column
from sqlalchemy import Engine, event


class _Result:
    """What ``Column`` reads of a cursor, for one result."""

    __slots__ = ("_encoding", "adapters", "pgresult")

    def __init__(self, pgresult: Any, encoding: str, adapters: Any) -> None:
        self.pgresult = pgresult
        self._encoding = encoding
        self.adapters = adapters


class Description(Sequence[Column]):
    """The columns of one result, made when one of them is first read."""

    __slots__ = ("_columns", "_cursor", "_length", "_pgresult")

    def __init__(self, cursor: psycopg.Cursor[Any], pgresult: Any, length: int) -> None:
        self._cursor: psycopg.Cursor[Any] | None = cursor
        self._pgresult = pgresult
        self._length = length
        self._columns: list[Column] = []

    def _made(self) -> list[Column]:
        if self._cursor is not None:
            result = _Result(self._pgresult, self._cursor._encoding, self._cursor.adapters)
            self._columns = [Column(result, index) for index in range(self._length)]  # type: ignore[arg-type]  # reads only what _Result keeps
            self._cursor = self._pgresult = None
        return self._columns

    def __len__(self) -> int:
        return self._length

    @overload
    def __getitem__(self, index: int) -> Column: ...

    @overload
    def __getitem__(self, index: slice) -> list[Column]: ...

    def __getitem__(self, index: int | slice) -> Column | list[Column]:
        return self._made()[index]

    def __iter__(self) -> Iterator[Column]:
        return iter(self._made())

    def __repr__(self) -> str:
        return repr(self._made())


class Cursor(psycopg.Cursor[Any]):
    """psycopg's cursor with its description made on demand."""

    @property
    def description(self) -> Sequence[Column] | None:  # type: ignore[override]  # a sequence, not a list
        result = self.pgresult
        if result is not None and result.nfields:
            return Description(self, result, result.nfields)
        return super().description


def install(engine: Engine) -> None:
    """Make every psycopg connection of ``engine`` use ``Cursor`` (nothing for other drivers)."""
    if engine.dialect.driver != "psycopg":
        return

    @event.listens_for(engine, "connect")
    def _cursor_factory(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.cursor_factory = Cursor
