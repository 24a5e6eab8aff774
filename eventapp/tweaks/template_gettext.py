"""The templates' ``_()``, ``gettext()``, ``ngettext()`` and friends, with the catalogue found once per request
and language, and without Jinja's wrappers around them.

Flask-Babel installs them in Jinja as lambdas that ask for the current translations on every call: its
request context is looked up three times, the locale is turned into a string
(``babel.core.get_locale_identifier``) and the catalogue looked up by it; Jinja wraps each in a function
that reaches it through ``Context.call``, and ``_()`` reaches that one through another (``_gettext_alias``).
The event page calls ``_()`` about 25 times, at about 13 µs each (a third of its template time); here 2-3 µs.
The functions below do what Jinja's new-style wrappers do (the translation is markup when the template
autoescapes, and is always formatted with the variables, which are escaped). The catalogue is kept in
Flask-Babel's own request context, with the locale object and domain it was found for, and used while
both are the same objects (``force_locale`` and ``refresh`` put another locale object there, a new
domain is another object: then it is looked up afresh). The strings and their translations are the same.

The assumptions, about Flask-Babel: its per-request state is the namespace that
``flask_babel._get_current_context()`` returns, holding the locale as ``babel_locale`` (set by
``get_locale()``) and the domain as ``babel_domain`` (set by ``get_domain()``); ``Babel.init_app``
installs the callables with ``newstyle=True``; about Jinja: its i18n extension makes ``_`` a global that
calls the global ``gettext``, and templates reach both as globals. tests/core/test_tweaks.py checks them, and
that the templates' translations and escaping are Jinja's.
"""

from __future__ import annotations

from typing import Any

import flask_babel
from babel import support
from flask import Flask, g
from jinja2.nodes import EvalContext
from jinja2.utils import pass_eval_context
from markupsafe import Markup

#: Attribute of Flask-Babel's request context holding (locale, domain, translations).
MEMO = "eventapp_translations"


def current_translations() -> Any:
    """What ``flask_babel.get_translations()`` returns, found once per request, locale and domain."""
    ctx = g.get("_flask_babel") if g else None  # one look-up through ``g`` (once Flask-Babel made it)
    if ctx is None:
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


# The template callables, with Jinja's new-style semantics (``jinja2.ext._make_new_gettext`` and its
# siblings: the translation is markup when the template autoescapes, and always a format string, the
# variables escaped into it). Jinja's own wrappers reach them through two ``Context.call`` each and ``_()``
# through a third (``_gettext_alias`` resolving ``gettext``): about 10 µs a call, against 1-2 µs here.


def _formatted(eval_ctx: EvalContext, translation: str, variables: dict[str, Any]) -> str:
    if eval_ctx.autoescape:
        # As Jinja's own wrappers do: the catalogue's text is the template's (no translation carries markup:
        # tests/security checks the catalogues); the variables are escaped as they are formatted in.
        translation = Markup(translation)  # noqa: S704 - the template's own text, as in jinja2.ext
    if variables or "%" in translation:
        return translation % variables
    return translation  # what formatting a text without a "%" with no variables gives: itself (most of them)


@pass_eval_context
def _gettext(eval_ctx: EvalContext, string: str, /, **variables: Any) -> str:
    rv = current_translations().ugettext(string)
    return _formatted(eval_ctx, rv, variables)


@pass_eval_context
def _ngettext(eval_ctx: EvalContext, singular: str, plural: str, num: int, /, **variables: Any) -> str:
    variables.setdefault("num", num)
    rv = current_translations().ungettext(singular, plural, num)
    return _formatted(eval_ctx, rv, variables)


@pass_eval_context
def _pgettext(eval_ctx: EvalContext, context: str, string: str, /, **variables: Any) -> str:
    variables.setdefault("context", context)
    rv = current_translations().upgettext(context, string)
    return _formatted(eval_ctx, rv, variables)


@pass_eval_context
def _npgettext(eval_ctx: EvalContext, context: str, singular: str, plural: str, num: int, /, **variables: Any) -> str:
    variables.setdefault("context", context)
    variables.setdefault("num", num)
    rv = current_translations().unpgettext(context, singular, plural, num)
    return _formatted(eval_ctx, rv, variables)


def install(app: Flask) -> None:
    """Replace the template callables Flask-Babel installed (after ``babel.init_app``), ``_`` included."""
    assert app.jinja_env.newstyle_gettext  # type: ignore[attr-defined]  # set by jinja2.ext.i18n
    app.jinja_env.globals.update(
        _=_gettext, gettext=_gettext, ngettext=_ngettext, pgettext=_pgettext, npgettext=_npgettext
    )
