"""The 304 replay: a conditional GET that this process has just answered with 304 is answered the same
way again by WSGI middleware, without running Flask at all.

The assumptions, about Flask and Werkzeug: the app is reached through ``app.wsgi_app`` (the middleware
wraps it), a 304 from the page cache passes its headers to ``start_response`` as a list of (name, value)
pairs with the marker ``store.SHORTCUT_HEADER``, and carries no body. tests/core/test_tweaks.py checks that
a repeated question is answered without the app.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from flask import Flask

from eventapp.pagecache.store import EXTENSION_KEY, SHORTCUT_HEADER, VersionMemo


class NotModifiedShortcut:
    """WSGI middleware: answers a conditional GET that this process has just answered with 304, the same
    way again, without running the app, while the content version is still trusted (see ``VersionMemo``).

    A calendar client polls its feed every few minutes with If-None-Match; the app answers 304 from the
    page cache, but the request still costs the whole framework. The shortcut remembers the exact 304
    (status and headers) for the exact question (path, query, If-None-Match, cookies, Accept-Language)
    and replays it. It never decides anything itself: an entry exists only after the app answered 304 to
    that question, and it is used only while the app would answer it the same (the content version as
    last read is still trusted and the page's own deadline has not passed). Pages whose answer depends on
    more (an event page's seat counts, a ``?lang=`` that sets a cookie) are never replayed.
    """

    MAX_ENTRIES = 4096

    def __init__(self, wsgi_app: Any, flask_app: Any) -> None:
        self.wsgi_app = wsgi_app
        self.flask_app = flask_app
        self.entries: dict[tuple, tuple[float, int, list[tuple[str, str]]]] = {}

    def __call__(self, environ: dict, start_response: Callable) -> Any:
        if environ.get("REQUEST_METHOD") != "GET" or not environ.get("HTTP_IF_NONE_MATCH"):
            return self.wsgi_app(environ, start_response)
        key = (
            environ.get("PATH_INFO"),
            environ.get("QUERY_STRING"),
            environ.get("HTTP_IF_NONE_MATCH"),
            environ.get("HTTP_COOKIE"),
            environ.get("HTTP_ACCEPT_LANGUAGE"),
        )
        entry = self.entries.get(key)
        if entry is not None:
            until, number, headers = entry
            memo: VersionMemo = self.flask_app.extensions[EXTENSION_KEY + ".version"]
            trusted = memo.trusted(float(self.flask_app.config.get("EVENTAPP_VERSION_CHECK_SECONDS", 0)))
            if trusted is not None and trusted.number == number and time.time() < until:
                start_response("304 NOT MODIFIED", list(headers))
                return []
            self.entries.pop(key, None)

        def remember(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            marker = next((value for name, value in headers if name == SHORTCUT_HEADER), None)
            if marker is not None:
                headers = [(name, value) for name, value in headers if name != SHORTCUT_HEADER]
                if status.startswith("304"):
                    until, number = marker.split()
                    if len(self.entries) >= self.MAX_ENTRIES:
                        self.entries.clear()
                    self.entries[key] = (float(until), int(number), headers)
            return start_response(status, headers, exc_info) if exc_info else start_response(status, headers)

        return self.wsgi_app(environ, remember)


def install(app: Flask) -> None:
    """Wrap the app (after ``store.init_app``)."""
    app.wsgi_app = NotModifiedShortcut(app.wsgi_app, app)  # type: ignore[method-assign]  # WSGI middleware, as Flask documents
