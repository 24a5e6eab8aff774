"""Rendered public pages kept in each app process, served again while the content version holds.

A cached page is reused only when (1) the content version read from the database (one small query)
equals the one it was rendered under, and (2) the page's own deadline has not passed (a view that
shows something time-dependent, such as which events are upcoming, says until when its page is true
with ``valid_until``). Every response carries an ETag and answers ``If-None-Match`` with 304.

Nothing another process needs lives here: each process keeps its own pages and checks them against
the database, so any number of gunicorn workers stay correct. Memory is bounded (least recently used
pages go first). A cached view must not depend on the session or the visitor (beyond the language);
as a guard, a page that rendered a CSRF token is never stored.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import wraps
from typing import Any

from flask import Response, current_app, g, request
from flask_babel import get_locale

from eventapp.db import utcnow
from eventapp.extensions import db
from eventapp.pagecache import versions
from eventapp.pagecache.versions import Version, current_version

EXTENSION_KEY = "eventapp.pagecache"
#: However stable the content, a page is rendered afresh at least this often.
MAX_AGE = timedelta(minutes=10)
#: Headers a view may set about its body (a calendar file's name) that are kept with the cached page.
KEPT_HEADERS = ("Content-Disposition",)


@dataclass(frozen=True)
class CachedPage:
    version: Version
    valid_until: datetime
    body: bytes
    etag: str
    mimetype: str
    #: The view's headers about the body (``KEPT_HEADERS``), sent again with every copy.
    headers: tuple[tuple[str, str], ...] = ()


class PageCache:
    """A thread-safe LRU of rendered pages, bounded in bytes."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self._pages: OrderedDict[tuple, CachedPage] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    @property
    def enabled(self) -> bool:
        return self.max_bytes > 0

    def get(self, key: tuple) -> CachedPage | None:
        with self._lock:
            page = self._pages.get(key)
            if page is not None:
                self._pages.move_to_end(key)
            return page

    def put(self, key: tuple, page: CachedPage) -> None:
        if len(page.body) > self.max_bytes // 4:
            return
        with self._lock:
            old = self._pages.pop(key, None)
            if old is not None:
                self._bytes -= len(old.body)
            self._pages[key] = page
            self._bytes += len(page.body)
            while self._bytes > self.max_bytes:
                _, evicted = self._pages.popitem(last=False)
                self._bytes -= len(evicted.body)

    def clear(self) -> None:
        with self._lock:
            self._pages.clear()
            self._bytes = 0

    def __len__(self) -> int:
        return len(self._pages)


class VersionMemo:
    """The content version as last read, reused for ``EVENTAPP_VERSION_CHECK_SECONDS``.

    A change committed in this process is seen at once (it counts in ``versions.local_bumps``); a change
    made by another process is seen within the check interval. 0 reads the version on every request.
    """

    def __init__(self) -> None:
        self._value: Version | None = None
        self._read_at = 0.0
        self._bumps = -1
        self._lock = threading.Lock()

    def trusted(self, max_age: float) -> Version | None:
        """The version as last read if it is still trusted (read within ``max_age`` seconds, nothing
        committed in this process since); None when the database would have to be asked."""
        with self._lock:
            if (
                self._value is not None
                and max_age > 0
                and time.monotonic() - self._read_at < max_age
                and self._bumps == versions.local_bumps
            ):
                return self._value
        return None

    def get(self, max_age: float) -> Version:
        now = time.monotonic()
        with self._lock:
            if (
                self._value is not None
                and max_age > 0
                and now - self._read_at < max_age
                and self._bumps == versions.local_bumps
            ):
                return self._value
        bumps = versions.local_bumps
        value = current_version(db.session)
        with self._lock:
            self._value, self._read_at, self._bumps = value, now, bumps
        return value


def init_app(app: Any) -> PageCache:
    cache = PageCache(max_bytes=int(app.config.get("EVENTAPP_PAGE_CACHE_MB", 32)) * 1024 * 1024)
    app.extensions[EXTENSION_KEY] = cache
    app.extensions[EXTENSION_KEY + ".version"] = VersionMemo()
    return cache


def valid_until(moment: datetime | None) -> None:
    """Tell the page cache that the page being rendered stops being true at ``moment``."""
    if moment is None:
        return
    current = g.get("page_valid_until")
    g.page_valid_until = moment if current is None else min(current, moment)


def _respond(page: CachedPage, *, replayable: bool = False) -> Response:
    if request.headers.get("If-None-Match") == f'"{page.etag}"':
        # The common case of a calendar client polling: no body to build.
        return _not_modified(page, replayable=replayable)
    response = Response(page.body, mimetype=page.mimetype, headers=page.headers)
    response.set_etag(page.etag)
    if page.version.changed_at is not None:
        response.last_modified = page.version.changed_at
    response.headers["Cache-Control"] = "no-cache"  # browsers may keep it, but must ask (and get a 304)
    response.vary.update(("Cookie", "Accept-Language"))
    return response.make_conditional(request)


def _not_modified(page: CachedPage, *, replayable: bool = False) -> Response:
    """304 with the headers a full answer would carry about caching (RFC 9110, 15.4.5). ``replayable``:
    the page depends on nothing but the request line, cookies and language headers, so the shortcut
    below may answer the same question the same way while the content version holds."""
    response = Response(status=304)
    if replayable:
        response.headers[SHORTCUT_HEADER] = f"{page.valid_until.timestamp()} {page.version.number}"
    response.set_etag(page.etag)
    if page.version.changed_at is not None:
        response.last_modified = page.version.changed_at
    response.headers["Cache-Control"] = "no-cache"
    response.vary.update(("Cookie", "Accept-Language"))
    return response


def _is_personal() -> bool:
    """Whether the page carries something made for this visitor (Flask-WTF keeps its token in g)."""
    return "csrf_token" in g


def cached_page(view: Callable[..., Any] | None = None, *, key_extra: Callable[..., Any] | None = None) -> Any:
    """Serve the view's 200 responses from the page cache while they stay true.

    ``key_extra(**view_args)`` adds something the page shows that is not public content, such as an
    event's seat counts: it runs on every request (keep it to one small query), and a page is reused
    only while it returns the same value.
    """
    if view is None:
        return lambda v: cached_page(v, key_extra=key_extra)

    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        cache: PageCache = current_app.extensions[EXTENSION_KEY]
        if not cache.enabled or request.method != "GET":
            return view(*args, **kwargs)
        key = (
            request.endpoint,
            tuple(sorted(kwargs.items())),
            tuple(sorted(request.args.items(multi=True))),
            str(get_locale()),
            key_extra(**kwargs) if key_extra is not None else None,
        )
        memo: VersionMemo = current_app.extensions[EXTENSION_KEY + ".version"]
        version = memo.get(float(current_app.config.get("EVENTAPP_VERSION_CHECK_SECONDS", 0)))
        now = utcnow()
        page = cache.get(key)
        if page is not None and page.version == version and now < page.valid_until:
            return _respond(page, replayable=key_extra is None and "lang" not in request.args)

        g.page_valid_until = None
        response = current_app.make_response(view(*args, **kwargs))
        if response.status_code != 200 or response.direct_passthrough or _is_personal():
            return response
        body = response.get_data()
        deadline = min(g.page_valid_until or now + MAX_AGE, now + MAX_AGE)
        page = CachedPage(
            version=version,
            valid_until=deadline,
            body=body,
            etag=hashlib.sha256(body).hexdigest()[:32],
            mimetype=response.mimetype or "text/html",
            headers=tuple((name, response.headers[name]) for name in KEPT_HEADERS if name in response.headers),
        )
        cache.put(key, page)
        return _respond(page)

    return wrapper


#: Internal header on a replayable 304 (when its page stops being true); the shortcut removes it.
SHORTCUT_HEADER = "X-Eventapp-Replayable-Until"
