"""URL converters that refuse, at routing, values no row can have.

They replace Werkzeug's ``int``, ``string`` (the default) and ``path`` converters app-wide, so every
route gets them without saying so, and a path that does not fit is a plain 404 before any view runs
or the database is asked:

* ``int``: ASCII digits only, from 0 to 2**31 - 1, the range of an SQL ``INTEGER`` primary key.
  PostgreSQL answers a larger number with "integer out of range" (a 500 before this), and a string of
  thousands of digits is more than Python converts to an int.
* ``string`` and ``path``: no NUL character. It cannot be typed into an address bar, and PostgreSQL
  refuses it in any text parameter (``/events/a%00b`` was a 500).
"""

from __future__ import annotations

from typing import Any

from flask import Flask
from werkzeug.routing import BaseConverter, IntegerConverter, PathConverter, UnicodeConverter

#: The largest value of an SQL INTEGER (a 32-bit signed number): no id is above it.
MAX_ID = 2**31 - 1


class IdConverter(IntegerConverter):
    """``<int:...>``: a whole number that fits an INTEGER column (0 to ``MAX_ID``); anything else is a 404."""

    regex = r"[0-9]{1,10}"

    def __init__(self, map: Any, fixed_digits: int = 0, min: int | None = None, max: int | None = None) -> None:
        top = MAX_ID if max is None or max > MAX_ID else max
        super().__init__(map, fixed_digits=fixed_digits, min=0 if min is None else min, max=top)


class TextConverter(UnicodeConverter):
    """``<name>`` and ``<string:name>``: one path segment without a NUL character."""

    def __init__(self, map: Any, minlength: int = 1, maxlength: int | None = None, length: int | None = None) -> None:
        super().__init__(map, minlength=minlength, maxlength=maxlength, length=length)
        self.regex = self.regex.replace("[^/]", r"[^/\x00]", 1)


class NoNulPathConverter(PathConverter):
    """``<path:name>``: the rest of the path, slashes included, without a NUL character."""

    regex = r"[^/\x00][^\x00]*?"


CONVERTERS: dict[str, type[BaseConverter]] = {
    "int": IdConverter,
    "default": TextConverter,
    "string": TextConverter,
    "path": NoNulPathConverter,
}


def install(app: Flask) -> None:
    """Use these converters for every route registered after this call (call it before the blueprints)."""
    app.url_map.converters.update(CONVERTERS)
