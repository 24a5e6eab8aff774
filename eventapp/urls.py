"""Absolute links for mail and calendars, built from ``EVENTAPP_BASE_URL`` (never from the request).

A mail is rendered by a request, a CLI command or the worker alike; its links must point at the public
site whatever the process that wrote it, so they come from configuration, not from the Host header.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from flask import current_app


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
