"""Flask-Babel's gettext callables in templates, with the catalogue found once per request and language.

Flask-Babel installs ``_()``, ``ngettext()`` and friends in Jinja as lambdas that ask for the current
translations on every call: its request context is looked up three times, the locale is turned into a
string (``babel.core.get_locale_identifier``) and the catalogue looked up by it. The event page calls
``_()`` about 25 times; that was about a third of its template time. Here the catalogue found is kept in
Flask-Babel's own request context, with the locale object and domain it was found for, and used while
both are the same objects (``force_locale`` and ``refresh`` put another locale object there, a new
domain is another object: then it is looked up afresh). The strings and their translations are the same.

The assumptions, about Flask-Babel: its per-request state is the namespace that
``flask_babel._get_current_context()`` returns, holding the locale as ``babel_locale`` (set by
``get_locale()``) and the domain as ``babel_domain`` (set by ``get_domain()``); ``Babel.init_app``
installs the callables with ``newstyle=True``. tests/core/test_tweaks.py checks them.
"""

from __future__ import annotations

from typing import Any

import flask_babel
from babel import support
from flask import Flask

#: Attribute of Flask-Babel's request context holding (locale, domain, translations).
MEMO = "eventapp_translations"


def current_translations() -> Any:
    """What ``flask_babel.get_translations()`` returns, found once per request, locale and domain."""
    ctx = flask_babel._get_current_context()
    if ctx is None:
        return support.NullTranslations()
    locale = getattr(ctx, "babel_locale", None)
    domain = getattr(ctx, "babel_domain", None)
    memo = getattr(ctx, MEMO, None)
    if memo is not None and locale is not None and memo[0] is locale and memo[1] is domain:
        return memo[2]
    translations = flask_babel.get_translations()  # sets babel_locale and babel_domain when missing
    setattr(ctx, MEMO, (ctx.babel_locale, ctx.babel_domain, translations))
    return translations


def _gettext(string: str) -> str:
    return current_translations().ugettext(string)


def _ngettext(singular: str, plural: str, num: int) -> str:
    return current_translations().ungettext(singular, plural, num)


def _pgettext(context: str, string: str) -> str:
    return current_translations().upgettext(context, string)


def _npgettext(context: str, singular: str, plural: str, num: int) -> str:
    return current_translations().unpgettext(context, singular, plural, num)


def install(app: Flask) -> None:
    """Replace the template callables Flask-Babel installed (after ``babel.init_app``)."""
    app.jinja_env.install_gettext_callables(  # type: ignore[attr-defined]  # added by jinja2.ext.i18n
        gettext=_gettext, ngettext=_ngettext, newstyle=True, pgettext=_pgettext, npgettext=_npgettext
    )
