"""Links: absolute ones for mail and calendars, page links that carry the visitor's query string, and slugs.

Absolute links are built from ``EVENTAPP_BASE_URL`` (never from the request): a mail is rendered by a
request, a CLI command or the worker alike; its links must point at the public site whatever the process
that wrote it, so they come from configuration, not from the Host header.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlencode, urlsplit

from flask import current_app, url_for
from werkzeug.datastructures import MultiDict


def absolute_url(endpoint: str, **values: Any) -> str:
    """``url_for`` made absolute with ``EVENTAPP_BASE_URL`` (its scheme, host and any path prefix)."""
    base = urlsplit(current_app.config["EVENTAPP_BASE_URL"])
    adapter = current_app.url_map.bind(
        server_name=base.netloc, url_scheme=base.scheme or "https", script_name=base.path or "/"
    )
    return adapter.build(endpoint, values, force_external=True)


def webcal_url(https_url: str) -> str:
    """The same address with the ``webcal://`` scheme, which calendar apps open as a subscription."""
    return "webcal://" + https_url.split("://", 1)[1]


def url_with_args(endpoint: str, args: Mapping[str, Any], **values: Any) -> str:
    """``url_for(endpoint, **values)`` with the query parameters ``args`` (as they came, for example
    ``request.args``) appended as its query string.

    Query parameters are anyone's to choose: passed to ``url_for`` as keyword arguments they collide with
    its own (``endpoint``, ``_method``; a 500) and the route's (``event_id``), or steer it (``_external``
    with ``_scheme=javascript`` makes a ``javascript:`` link). Here they are only ever a query string.
    """
    base = url_for(endpoint, **values)
    items = args.items(multi=True) if isinstance(args, MultiDict) else args.items()
    query = urlencode([(name, value) for name, value in items if name not in values])
    return f"{base}?{query}" if query else base


def slugify(text: str) -> str:
    """A slug for an address: lower-case ASCII letters, digits and hyphens ('Innovasjon Øst' → 'innovasjon-ost');
    'event' if nothing is left."""
    plain = unicodedata.normalize("NFKD", text.casefold().translate(str.maketrans({"æ": "ae", "ø": "o", "å": "a"})))
    plain = "".join(c for c in plain if not unicodedata.combining(c))
    return re.sub(r"[^a-z0-9]+", "-", plain).strip("-")[:80] or "event"
