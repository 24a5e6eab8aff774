"""What every template sees (filters, globals, the site's identity, hashed static URLs) and the headers
every answer carries. Installed by the app factory; it reads the site's identity (about) and programme
contacts, so it stands in the app layer."""

from __future__ import annotations

import enum
import hashlib
from pathlib import Path
from typing import Any

from flask import Flask, g, has_request_context, request, url_for
from flask_babel import get_locale
from flask_login import current_user
from jinja2 import TemplateRuntimeError

from eventapp import formatting, i18n, urls
from eventapp.about.queries import site_identity
from eventapp.agenda.enums import AgendaItemKind
from eventapp.calls.enums import ApplicationStatus, CallKind, LetterPolicy
from eventapp.events.contacts import contacts_by_country
from eventapp.events.enums import AttendanceMode, EventStatus
from eventapp.materials.enums import Visibility
from eventapp.registrations.enums import RegistrationStatus
from eventapp.registrations.queries import RegistrationState
from eventapp.security import SECURITY_HEADERS
from eventapp.speakers.queries import LinkProblem

#: The enums templates compare with (``registration.status == RegistrationStatus.CONFIRMED``), as globals
#: named after their classes; add one here before comparing with it in a template (never with its value
#: as a string: tests/core/test_template_enums.py looks for those).
TEMPLATE_ENUMS: tuple[type[enum.Enum], ...] = (
    AgendaItemKind,
    ApplicationStatus,
    AttendanceMode,
    CallKind,
    EventStatus,
    LetterPolicy,
    LinkProblem,
    RegistrationState,
    RegistrationStatus,
    Visibility,
)


class Members:
    """An enum's members by name, for templates. A name that is not a member raises when the template runs
    (``TemplateRuntimeError`` is neither an ``AttributeError`` nor a ``LookupError``, which Jinja would turn
    into an undefined value that compares unequal to everything): a renamed member breaks loudly."""

    def __init__(self, cls: type[enum.Enum]) -> None:
        self._cls = cls

    def __getattr__(self, name: str) -> Any:
        try:
            return self._cls[name]
        except KeyError:
            raise TemplateRuntimeError(f"{self._cls.__name__} has no member {name!r}") from None

    def __repr__(self) -> str:
        return f"<members of {self._cls.__name__}>"


def enum_globals() -> dict[str, Members]:
    return {cls.__name__: Members(cls) for cls in TEMPLATE_ENUMS}


def install(app: Flask) -> None:
    """Filters, globals and the context every template sees; the security headers of every answer."""
    app.jinja_env.filters.update(formatting.TEMPLATE_FILTERS)
    app.jinja_env.globals.update(formatting.TEMPLATE_GLOBALS)
    app.jinja_env.globals["contacts_by_country"] = contacts_by_country
    app.jinja_env.globals.update(enum_globals())
    # Flask-Login's own context processor (turned off in create_app) loads the user for every render: its
    # session check hashes the address and browser, about 35 µs of a public page's CPU, on pages that never
    # show a user. The proxy loads the user when a template reads it (the back office's bar), as views do.
    app.jinja_env.globals["current_user"] = current_user
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
    static_hashes: dict[str, str] = {}
    static_urls: dict[tuple[str, str], str] = {}

    def static_url(filename: str) -> str:
        """URL of a static file with its content hash, so it can be cached for a year. Made once per file and
        script root (the same for every request: every page asks for the same three)."""
        key = (request.script_root if has_request_context() else "", filename)
        url = static_urls.get(key)
        if url is None:
            digest = static_hashes.get(filename)
            if digest is None:
                data = (Path(app.static_folder or "") / filename).read_bytes()
                digest = static_hashes[filename] = hashlib.sha256(data).hexdigest()[:12]
            url = url_for("static", filename=filename, v=digest)
            if has_request_context():
                static_urls[key] = url
        return url

    fixed_urls: dict[tuple[str, str], str] = {}

    def template_url_for(endpoint: str, **values: Any) -> str:
        """Flask's ``url_for`` in templates; the URL of an endpoint without arguments is made once per script
        root (every page's header and footer link to the same seven, about 7 µs each through Werkzeug's URL
        builder). Not while the app has ``url_defaults`` functions, which may add arguments per request."""
        if values or endpoint.startswith(".") or not has_request_context() or app.url_default_functions:
            return url_for(endpoint, **values)
        key = (request.script_root, endpoint)
        url = fixed_urls.get(key)
        if url is None:
            url = fixed_urls[key] = url_for(endpoint)
        return url

    app.jinja_env.globals["url_for"] = template_url_for

    @app.context_processor
    def _globals() -> dict[str, Any]:
        site = site_identity(may_ask_the_database=not g.get("error_page"))
        return {
            "current_locale": str(get_locale() or i18n.SOURCE_LOCALE),
            "site": site,
            "site_name": site.name,
            "static_url": static_url,
            "available_locales": i18n.available_locales(),
            "locale_names": i18n.LOCALE_NAMES,
            "switch_language_url": i18n.switch_language_url,
            "url_with_args": urls.url_with_args,
        }

    @app.after_request
    def _security_headers(response):
        # The names present, read once: ``Headers.setdefault`` (and ``in``) look a name up by raising and
        # catching a KeyError for each one missing: about 10 µs of every answer for the four.
        present = {name.lower() for name, _value in response.headers}
        response.headers.extend(
            (name, value) for name, value in SECURITY_HEADERS.items() if name.lower() not in present
        )
        return response
