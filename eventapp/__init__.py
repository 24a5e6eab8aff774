"""eventapp: events and webinars for public-sector innovation-procurement programmes."""

from __future__ import annotations

import hashlib
import logging
import os
import secrets
import sys
from pathlib import Path
from typing import Any

from flask import Flask, g, url_for
from flask_babel import get_locale

from config import Config

ROOT = Path(__file__).resolve().parent.parent


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """Build the app: configuration, extensions, blueprints, error handlers, CLI, Babel. Nothing else."""
    app = Flask(
        __name__,
        template_folder=str(ROOT / "templates"),
        instance_path=os.environ.get("EVENTAPP_INSTANCE_PATH") or str(ROOT / "instance"),
    )
    app.config.update(Config().as_dict())
    if config:
        app.config.update(config)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    _finish_config(app)

    from eventapp import converters, i18n
    from eventapp.security import SessionCookies

    i18n.treat_lazy_strings_as_text()

    app.session_interface = SessionCookies()
    _init_extensions(app)
    converters.install(app)  # before the blueprints: their routes compile with these converters
    _warn_about_per_process_rate_limits(app)
    _register_blueprints(app)
    _init_templates(app)

    from eventapp import cli

    cli.register(app)
    return app


def _finish_config(app: Flask) -> None:
    if not app.config.get("SQLALCHEMY_DATABASE_URI"):
        app.config["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{Path(app.instance_path) / 'eventapp.sqlite'}"
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        app.config["SQLALCHEMY_ENGINE_OPTIONS"] = {}
    if not app.config.get("UPLOAD_FOLDER"):
        app.config["UPLOAD_FOLDER"] = str(Path(app.instance_path) / "uploads")
    if not app.config.get("MAX_CONTENT_LENGTH"):  # the largest upload, plus 1 MB for the rest of the form
        app.config["MAX_CONTENT_LENGTH"] = (int(app.config["MAX_UPLOAD_MB"]) + 1) * 1024 * 1024
    if not app.config.get("SECRET_KEY"):
        if not (app.debug or app.testing):
            raise RuntimeError(
                "SECRET_KEY is not set. Set it in the environment (for example: "
                "export SECRET_KEY=$(python3 -c 'import secrets; print(secrets.token_hex(32))')), "
                "or run with --debug on a development machine."
            )
        app.config["SECRET_KEY"] = _development_secret_key(Path(app.instance_path))
    elif not (app.debug or app.testing):
        _refuse_weak_secret_key(str(app.config["SECRET_KEY"]))


#: Keys people type when they mean "any key": refused outside debug however long they are.
_WEAK_SECRET_KEYS = ("secret", "changeme", "change-me", "password", "development", "dev", "test", "eventapp")


def _refuse_weak_secret_key(key: str) -> None:
    """The session cookies, CSRF tokens and password-reset links are only as strong as the key: ask for
    at least 32 random bytes' worth (32 characters of any kind, 64 if it is hex), with no sign of being
    typed by hand (a known word, a repeated character)."""
    hex_only = all(char in "0123456789abcdefABCDEF" for char in key)
    lowered = key.lower()
    if (
        len(key) < (64 if hex_only else 32)
        or len(set(key)) < 12
        or any(word in lowered for word in _WEAK_SECRET_KEYS if lowered.count(word) * len(word) * 2 >= len(key))
    ):
        raise RuntimeError(
            "SECRET_KEY is too weak: use at least 32 random bytes, for example: "
            "export SECRET_KEY=$(python3 -c 'import secrets; print(secrets.token_hex(32))')"
        )


def _development_secret_key(instance: Path) -> str:
    """A random key made once per checkout and kept in instance/ (mode 0600), for debug runs only."""
    path = instance / "secret_key"
    if not path.exists():
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_hex(32))
    return path.read_text().strip()


def _init_extensions(app: Flask) -> None:
    from eventapp import i18n, models  # noqa: F401 - loads every model before the first query
    from eventapp.db import configure_sqlite, install_request_teardown
    from eventapp.extensions import babel, csrf, db, limiter, login_manager, mail, migrate
    from eventapp.pagecache import store, versions

    db.init_app(app)
    install_request_teardown(app, db)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"), render_as_batch=True, compare_type=True)
    mail.init_app(app)
    limiter.init_app(app)
    # Only routes that carry @limiter.limit are limited, and that decorator checks its limits itself.
    # Flask-Limiter's app-wide before_request hook would only look for limits that do not exist here,
    # on every request (about a sixth of a cached page's time), so it is taken off.
    app.before_request_funcs[None] = [
        hook for hook in app.before_request_funcs.get(None, []) if getattr(hook, "__self__", None) is not limiter
    ]
    login_manager.init_app(app)
    if app.config["EVENTAPP_PROXY_COUNT"]:
        from werkzeug.middleware.proxy_fix import ProxyFix

        count = app.config["EVENTAPP_PROXY_COUNT"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count, x_host=count)  # type: ignore[method-assign]
    csrf.init_app(app)
    babel.init_app(
        app,
        locale_selector=i18n.select_locale,
        default_translation_directories=str(Path(__file__).parent / "translations"),
    )
    with app.app_context():
        configure_sqlite(db.engine)
    app.after_request(i18n.remember_locale)
    versions.install()
    store.init_app(app)
    app.wsgi_app = store.NotModifiedShortcut(app.wsgi_app, app)  # type: ignore[method-assign]


def _warn_about_per_process_rate_limits(app: Flask) -> None:
    """Memory storage counts rate limits in each process: N gunicorn workers allow N times the limit.
    Outside debug and testing that is a mistake in the set-up, so say so loudly: a log WARNING in every
    process, and under gunicorn a banner on stderr once per server (the first worker to start)."""
    uri = str(app.config["RATELIMIT_STORAGE_URI"])
    if not app.config["RATELIMIT_ENABLED"] or not uri.startswith("memory") or app.debug or app.testing:
        return
    message = (
        f"Rate limits are counted in each process's own memory (RATELIMIT_STORAGE_URI={uri}): with several "
        "gunicorn workers, every worker allows the full limit again. Set RATELIMIT_STORAGE_URI=redis://"
        "127.0.0.1:6379/0 (any Redis the app processes share), as in the README's production recipe."
    )
    # A module logger, not app.logger: the latter would attach Flask's own handler to "eventapp" and every
    # eventapp.* record (the mail worker's too) would then be printed twice.
    logging.getLogger(__name__).warning(message)
    if "gunicorn" in os.environ.get("SERVER_SOFTWARE", "") and _first_process_of_this_server(app):
        print(f"WARNING: {message}", file=sys.stderr, flush=True)


def _first_process_of_this_server(app: Flask) -> bool:
    """True in the first process of this gunicorn server to ask (its workers share the parent's id)."""
    marker = Path(app.instance_path) / f".ratelimit-warning-{os.getppid()}"
    try:
        os.close(os.open(marker, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    except FileExistsError:
        return False
    return True


def _register_blueprints(app: Flask) -> None:
    # Importing the views imports every model, so the metadata is complete for Alembic too.
    from eventapp import errors, health
    from eventapp.about import views as about_views
    from eventapp.accounts import views as account_views
    from eventapp.calendar import views as calendar_views
    from eventapp.calls import views as call_views
    from eventapp.events import views as event_views
    from eventapp.manage import (
        accounts_views,  # noqa: F401 - registers its routes on the back office
        mail_problem_views,  # noqa: F401 - registers its routes on the back office
        mailing_views,  # noqa: F401 - registers its routes on the back office
        material_views,  # noqa: F401 - registers its routes on the back office
        privacy_views,  # noqa: F401 - registers its routes on the back office
        questions_views,  # noqa: F401 - registers its routes on the back office
        site_views,  # noqa: F401 - registers its routes on the back office
        speaker_views,  # noqa: F401 - registers its routes on the back office
        statistics_views,  # noqa: F401 - registers its routes on the back office
        translation_views,  # noqa: F401 - registers its routes on the back office
    )
    from eventapp.manage import (
        call_views as manage_call_views,  # noqa: F401 - registers its routes on the back office
    )
    from eventapp.manage import programme_views as manage_programme_views  # noqa: F401 - registers its routes
    from eventapp.manage import views as manage_views
    from eventapp.programmes import views as programme_views
    from eventapp.registrations import views as registration_views
    from eventapp.speakers import download_views as material_downloads
    from eventapp.speakers import views as speaker_portal_views

    app.register_blueprint(errors.bp)
    app.register_blueprint(health.bp)
    app.register_blueprint(event_views.bp)
    app.register_blueprint(programme_views.bp)
    app.register_blueprint(registration_views.bp)
    app.register_blueprint(call_views.bp)
    app.register_blueprint(about_views.bp)
    app.register_blueprint(speaker_portal_views.bp)
    app.register_blueprint(material_downloads.bp)
    app.register_blueprint(calendar_views.bp)
    app.register_blueprint(account_views.bp)
    app.register_blueprint(manage_views.bp)


#: A strict policy: everything comes from this site; no inline scripts, no CDN.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "frame-ancestors 'none'; base-uri 'self'; form-action 'self'; object-src 'none'; "
    # Recordings play in the privacy-friendly players, loaded only when the visitor clicks "Play".
    "frame-src https://www.youtube-nocookie.com https://player.vimeo.com"
)
#: Headers every HTML answer carries (the static error page sets them itself).
SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "X-Frame-Options": "DENY",
}


def _init_templates(app: Flask) -> None:
    from eventapp import formatting, i18n, urls
    from eventapp.about.queries import site_identity
    from eventapp.programmes.contacts import contacts_by_country

    app.jinja_env.filters.update(formatting.TEMPLATE_FILTERS)
    app.jinja_env.globals.update(formatting.TEMPLATE_GLOBALS)
    app.jinja_env.globals["contacts_by_country"] = contacts_by_country
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
    static_hashes: dict[str, str] = {}

    def static_url(filename: str) -> str:
        """URL of a static file with its content hash, so it can be cached for a year."""
        digest = static_hashes.get(filename)
        if digest is None:
            data = (Path(app.static_folder or "") / filename).read_bytes()
            digest = static_hashes[filename] = hashlib.sha256(data).hexdigest()[:12]
        return url_for("static", filename=filename, v=digest)

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
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        return response
