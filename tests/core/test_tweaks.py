"""The adjustments to libraries' internals (eventapp/tweaks/, pagecache/replay.py, i18n's lazy strings):
each rests on an assumption about a library's inside. These tests check the assumption on the installed
library and that the adjustment took effect, so an upgrade that breaks one fails here."""

from __future__ import annotations

import inspect
import re

import psycopg
import pytest
from flask import Flask
from flask.sessions import SecureCookieSessionInterface
from flask_babel import lazy_gettext
from flask_babel.speaklater import LazyString
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_sqlalchemy import SQLAlchemy
from itsdangerous import BadSignature
from markupsafe import escape
from sqlalchemy import event, text

from eventapp.extensions import db, limiter
from eventapp.pagecache.replay import NotModifiedShortcut
from eventapp.tweaks import (
    limiter_hook,
    psycopg_description,
    session_serializer,
    session_teardown,
    template_gettext,
)


def _bare_app() -> Flask:
    app = Flask(__name__)
    app.config.update(SECRET_KEY="k" * 64, SQLALCHEMY_DATABASE_URI="sqlite://", RATELIMIT_STORAGE_URI="memory://")
    return app


def test_flask_asks_for_the_session_serializer_through_one_method():
    """Assumption: Flask's cookie sessions get their serializer from ``get_signing_serializer(app)``, both
    when a session is opened and when it is saved."""
    for method in (SecureCookieSessionInterface.open_session, SecureCookieSessionInterface.save_session):
        assert "self.get_signing_serializer(app)" in inspect.getsource(method)


def test_the_session_serializer_is_made_once_per_secret_key(app):
    assert isinstance(app.session_interface, session_serializer.SessionCookies)
    interface = app.session_interface
    first = interface.get_signing_serializer(app)
    assert interface.get_signing_serializer(app) is first
    assert first.loads(first.dumps({"user": 1})) == {"user": 1}

    other = _bare_app()
    session_serializer.install(other)
    made = other.session_interface.get_signing_serializer(other)
    other.secret_key = "j" * 64  # a new key: a new serializer, and the old cookies no longer pass
    remade = other.session_interface.get_signing_serializer(other)
    assert remade is not made
    with pytest.raises(BadSignature):
        remade.loads(made.dumps({"user": 1}))


def test_flask_limiter_adds_its_hook_and_the_tweak_takes_it_off(app):
    """Assumption: ``Limiter.init_app`` adds one app-wide ``before_request`` hook, a method bound to the
    limiter. The app keeps none (the ``@limiter.limit`` decorators check their limits themselves)."""
    bare = _bare_app()
    own = Limiter(key_func=get_remote_address, default_limits=[])
    own.init_app(bare)
    assert any(getattr(hook, "__self__", None) is own for hook in bare.before_request_funcs[None])
    limiter_hook.install(bare, own)
    assert not any(getattr(hook, "__self__", None) is own for hook in bare.before_request_funcs.get(None, []))

    assert not any(getattr(hook, "__self__", None) is limiter for hook in app.before_request_funcs.get(None, []))


def test_flask_sqlalchemy_teardown_is_replaced(app):
    """Assumption: Flask-SQLAlchemy ends the request's session with its bound ``_teardown_session``, added
    to ``teardown_appcontext``. The app runs its own instead, which never raises."""
    bare = _bare_app()
    own = SQLAlchemy()
    own.init_app(bare)
    assert own._teardown_session in bare.teardown_appcontext_funcs
    session_teardown.install(bare, own)
    assert own._teardown_session not in bare.teardown_appcontext_funcs
    assert [f.__name__ for f in bare.teardown_appcontext_funcs] == ["_remove_session"]

    assert "_remove_session" in [f.__name__ for f in app.teardown_appcontext_funcs]
    assert "_teardown_session" not in [f.__name__ for f in app.teardown_appcontext_funcs]


def test_the_304_replay_wraps_the_app(app):
    """The replay itself is proved in tests/pagecache/test_not_modified_shortcut.py; here: it is the
    outermost WSGI layer, so it can answer without Flask."""
    assert isinstance(app.wsgi_app, NotModifiedShortcut)


def test_lazy_strings_are_text_not_markup(app):
    """Assumption: Flask-Babel's ``LazyString`` has ``__html__`` (so markupsafe would trust it as markup);
    i18n.treat_lazy_strings_as_text makes it escape instead."""
    assert hasattr(LazyString, "__html__")
    with app.test_request_context():
        assert str(escape(lazy_gettext("<b>%(x)s</b>", x="y"))) == "&lt;b&gt;y&lt;/b&gt;"


def test_flask_babel_keeps_its_request_state_where_the_template_gettext_looks(app):
    """Assumption: Flask-Babel's per-request state is ``_get_current_context()``, holding the locale as
    ``babel_locale`` and the domain as ``babel_domain`` once the translations were asked for; its template
    callables are installed new-style (the tweak installs its own the same way)."""
    import flask_babel

    assert app.jinja_env.newstyle_gettext is True
    with app.test_request_context(headers={"Accept-Language": "nb"}):
        translations = flask_babel.get_translations()
        ctx = flask_babel._get_current_context()
        assert str(ctx.babel_locale) == "nb"
        assert ctx.babel_domain is flask_babel.get_domain()
        assert template_gettext.current_translations() is translations


_GETTEXT_TEMPLATES = (
    "{{ _('Events') }}|{{ gettext('Events') }}|{{ _('<b>%(x)s</b>', x='<i>') }}|{{ _('100%% sure') }}",
    "{{ ngettext('%(num)d day', '%(num)d days', 3) }}",
    "{{ ngettext('%(num)d day of %(x)s', '%(num)d days of %(x)s', 1, x=y) }}",
    "{{ pgettext('ctx', 'Events') }}|{{ npgettext('ctx', '%(num)d day', '%(num)d days', 2) }}|{{ _('%(x)s', x=y) }}",
    "{% trans %}Events{% endtrans %}|{% trans n=2 %}{{ n }} day{% pluralize %}{{ n }} days{% endtrans %}",
    "{% trans x=y %}Contact {{ x }}{% endtrans %}",
)


def _jinja_reference(app, autoescape: bool):
    """An environment with Jinja's own new-style wrappers around Flask-Babel's callables (what the app had)."""
    import flask_babel
    from jinja2 import Environment

    env = Environment(extensions=["jinja2.ext.i18n"], autoescape=autoescape)  # noqa: S701 - text mails: both ways
    env.install_gettext_callables(  # type: ignore[attr-defined]  # added by jinja2.ext.i18n
        gettext=lambda s: flask_babel.get_translations().ugettext(s),
        ngettext=lambda s, p, n: flask_babel.get_translations().ungettext(s, p, n),
        newstyle=True,
        pgettext=lambda c, s: flask_babel.get_translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: flask_babel.get_translations().unpgettext(c, s, p, n),
    )
    return env


@pytest.mark.parametrize("autoescape", [True, False])
def test_template_gettext_gives_what_jinja_and_flask_babel_gave(app, autoescape):
    """The same text and the same escaping as Jinja's wrappers around Flask-Babel's callables, with and
    without autoescape (pages and text mails), in the request's language, inside ``force_locale`` and after it."""
    import flask_babel

    reference = _jinja_reference(app, autoescape)
    ours = app.jinja_env.overlay(autoescape=autoescape)
    values = {"y": "<script>&"}

    def both(source: str) -> tuple[str, str]:
        return ours.from_string(source).render(values), reference.from_string(source).render(values)

    with app.test_request_context(headers={"Accept-Language": "nb"}):
        seen = []
        for source in _GETTEXT_TEMPLATES:
            mine, theirs = both(source)
            assert mine == theirs
            seen.append(mine)
        with flask_babel.force_locale("en"):
            for source in _GETTEXT_TEMPLATES:
                mine, theirs = both(source)
                assert mine == theirs
            english = ours.from_string(_GETTEXT_TEMPLATES[0]).render(values)
        assert [ours.from_string(source).render(values) for source in _GETTEXT_TEMPLATES] == seen
    assert seen[0] != english  # "Events" is translated into nb
    assert ("&lt;script&gt;&amp;" in seen[2]) is autoescape


def test_psycopg_column_reads_only_what_the_lazy_description_keeps():
    """Assumption: ``psycopg.Column(cursor, index)`` reads the result, the encoding and the adapters of the
    cursor, nothing else (the description made on demand hands it those, kept for its result)."""
    source = inspect.getsource(psycopg.Column.__init__)
    assert set(re.findall(r"cursor\.(\w+)", source)) == {"pgresult", "_encoding", "adapters"}


@pytest.mark.postgres_only
def test_psycopg_descriptions_are_made_on_demand_and_are_psycopgs(app):
    """On PostgreSQL the app's connections make ``psycopg_description.Cursor``s (through SQLAlchemy too), and
    their description is psycopg's, column for column, also when read after the next statement."""
    with app.app_context():
        cursors: list[object] = []

        def _seen(_conn, cursor, *_args):
            cursors.append(cursor)

        event.listen(db.engine, "before_cursor_execute", _seen)
        try:
            assert db.session.execute(text("SELECT 1 AS one")).scalar() == 1
        finally:
            event.remove(db.engine, "before_cursor_execute", _seen)
        assert isinstance(cursors[-1], psycopg_description.Cursor)
        raw = db.engine.raw_connection()
        try:
            ours, plain = raw.cursor(), psycopg.Cursor(raw.driver_connection)
            query = "SELECT 1 AS one, 'x'::varchar(5) AS two, now() AS three, NULL::numeric(8, 2) AS four"
            ours.execute(query)
            plain.execute(query)
            description = ours.description
            assert isinstance(description, psycopg_description.Description)
            ours.execute("SELECT 'other' AS five")  # the earlier description stays that of its result
            expected = [tuple(column) for column in plain.description]
            assert [tuple(column) for column in description] == expected
            assert [column.name for column in description[1:3]] == ["two", "three"]
            assert len(description) == 4
            ours.execute("SET application_name = 'tweak-test'")  # no columns: psycopg's own answer
            assert ours.description is None
        finally:
            raw.close()
        db.session.remove()
