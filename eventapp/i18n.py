"""Which language a page is shown in.

Order: ``?lang=`` (remembered in a cookie), then the cookie, then the browser's Accept-Language, then
``EVENTAPP_DEFAULT_LOCALE``. Only languages with a translation catalogue are offered; English, the
language of the source strings, always is. Until a catalogue exists for a language, asking for it gives
English rather than a page that mixes English text with, say, Norwegian month names.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from urllib.parse import quote, urlencode

from babel import Locale
from flask import current_app, g, has_request_context, request, url_for
from flask_babel.speaklater import LazyString
from markupsafe import Markup, escape

#: The languages eventapp is written for, in the order the switcher shows them.
SUPPORTED_LOCALES = ("nb", "nn", "sv", "da", "fi", "en")
#: Each language's own name for itself, for the switcher.
LOCALE_NAMES = {
    "nb": "Norsk bokmål",
    "nn": "Norsk nynorsk",
    "sv": "Svenska",
    "da": "Dansk",
    "fi": "Suomi",
    "en": "English",
}
SOURCE_LOCALE = "en"
#: The country a person most likely writes from, by the interface language they read (sign-up forms start
#: from it, contact persons of that country come first). English gives none: it is read everywhere.
COUNTRY_OF_LANGUAGE = {"nb": "NO", "nn": "NO", "sv": "SE", "da": "DK", "fi": "FI"}
LOCALE_COOKIE = "lang"
TRANSLATIONS_DIR = Path(__file__).parent / "translations"


@cache
def available_locales() -> tuple[str, ...]:
    """Supported languages that have a compiled catalogue, plus English."""
    return tuple(
        code
        for code in SUPPORTED_LOCALES
        if code == SOURCE_LOCALE or (TRANSLATIONS_DIR / code / "LC_MESSAGES" / "messages.mo").is_file()
    )


def _normalise(code: str | None) -> str | None:
    if not code:
        return None
    code = code.strip().lower().replace("_", "-").split("-")[0]
    if code == "no":  # "Norwegian" without a written standard: Bokmål is what most people read
        code = "nb"
    return code if code in available_locales() else None


def select_locale() -> Locale:
    """Flask-Babel's locale selector: ``?lang=``, then the cookie, then Accept-Language, then the default.

    Returns a Babel ``Locale`` (Flask-Babel takes it as it is, without parsing a string again), and
    remembers the decision for each combination of the three inputs, so the headers are parsed once.
    """
    if not has_request_context():  # the worker, a CLI command: mail sets its locale with force_locale
        return _locale(_normalise(current_app.config["EVENTAPP_DEFAULT_LOCALE"]) or SOURCE_LOCALE)
    default = current_app.config["EVENTAPP_DEFAULT_LOCALE"]
    key = (
        request.args.get("lang"),
        request.cookies.get(LOCALE_COOKIE),
        request.headers.get("Accept-Language"),
        default,
    )
    code = _decisions.get(key)
    if code is None:
        code = (
            _normalise(key[0])
            or _normalise(key[1])
            or _normalise(request.accept_languages.best_match(_accept_language_options()))
            or _normalise(default)
            or SOURCE_LOCALE
        )
        if len(_decisions) > 1024:
            _decisions.clear()
        _decisions[key] = code
    return _locale(code)


#: (lang argument, cookie, Accept-Language, default) → the language chosen for them.
_decisions: dict[tuple[str | None, ...], str] = {}


@cache
def _locale(code: str) -> Locale:
    return Locale.parse(code)


def _accept_language_options() -> list[str]:
    options = list(available_locales())
    if "nb" in options:
        options.append("no")
    return options


def remember_locale(response):
    """After a ``?lang=`` choice, keep it in a cookie for a year."""
    chosen = _normalise(request.args.get("lang"))
    if chosen and request.cookies.get(LOCALE_COOKIE) != chosen:
        response.set_cookie(LOCALE_COOKIE, chosen, max_age=365 * 24 * 3600, samesite="Lax", httponly=True)
    return response


def switch_language_url(code: str) -> str:
    """The page being shown, in language ``code``: the same path and query string with ``lang`` set.

    Built from the path and the query string as they came, never through ``url_for``: query parameters
    are anyone's to choose, and as keyword arguments of ``url_for`` they collide with its own
    (``?endpoint=``, ``?_method=``) and with the route's (``/events/<slug>?slug=``). An error page
    (``g.error_page``) depends on no request data: its links go to the front page in that language.
    """
    if not has_request_context() or g.get("error_page"):
        return url_for("events.index", lang=code)
    start = g.get("language_url_start")
    if start is None:  # the same for every language of the switcher: made once per request
        query = urlencode([(name, value) for name, value in request.args.items(multi=True) if name != "lang"])
        start = g.language_url_start = f"{request.script_root}{quote(request.path)}?{query}{'&' if query else ''}"
    return start + urlencode([("lang", code)])


def _lazy_string_as_text(self: LazyString) -> Markup:
    return escape(str(self))


def treat_lazy_strings_as_text() -> None:
    """Make a lazily translated string escaped text in templates, never trusted markup.

    Flask-Babel's ``LazyString.__html__`` returns the string as it is, so Jinja (and ``escape``,
    WTForms widgets, ``Markup.format``) trust it as HTML. A lazy string formatted with user input, such
    as "There is no kind of event called “%(value)s”" with ``?kind=<a href=...>``, put the input on
    the page as markup. No translation of ours carries markup (tests/security checks the catalogues), so
    escaping every lazy string is always right. Called once by ``create_app``.
    """
    LazyString.__html__ = _lazy_string_as_text
