"""eventapp: events and webinars for public-sector innovation-procurement programmes."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from flask import Flask

from config import Config
from eventapp.security import CONTENT_SECURITY_POLICY, SECURITY_HEADERS

__all__ = ["CONTENT_SECURITY_POLICY", "SECURITY_HEADERS", "create_app"]

ROOT = Path(__file__).resolve().parent.parent


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """Build the app: configuration, extensions, blueprints, the hooks between the layers, templates, CLI.
    It only wires: each piece is a call into the module that owns it."""
    app = Flask(
        __name__,
        template_folder=str(ROOT / "templates"),
        instance_path=os.environ.get("EVENTAPP_INSTANCE_PATH") or str(ROOT / "instance"),
    )
    app.config.update(Config().as_dict())
    if config:
        app.config.update(config)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)

    from eventapp import converters, i18n, ratelimits, settings, templating
    from eventapp.tweaks import session_serializer

    settings.finish(app)
    i18n.treat_lazy_strings_as_text()

    session_serializer.install(app)
    _init_extensions(app)
    converters.install(app)  # before the blueprints: their routes compile with these converters
    ratelimits.warn_about_per_process_rate_limits(app)
    _register_blueprints(app)
    _connect_the_layers(app)
    templating.install(app)

    from eventapp import calls, cli, interest

    cli.register(app)
    interest.init_app(app)  # the interest lists: their pages, receivers, chore and command
    calls.init_app(app)  # calls for participation: their pages, the sign-up gate, the programme pages' part
    return app


def _init_extensions(app: Flask) -> None:
    from eventapp import i18n, models  # noqa: F401 - loads every model before the first query
    from eventapp.db import configure_sqlite, ping_after_idle
    from eventapp.extensions import babel, csrf, db, limiter, login_manager, migrate
    from eventapp.pagecache import replay, store, versions
    from eventapp.tweaks import limiter_hook, psycopg_description, session_teardown, template_gettext

    db.init_app(app)
    session_teardown.install(app, db)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"), render_as_batch=True, compare_type=True)
    limiter.init_app(app)
    limiter_hook.install(app, limiter)
    # No context processor: it loads the user for every template rendered, also on public pages that never
    # show one; templates get the lazy ``current_user`` proxy instead (templating.install).
    login_manager.init_app(app, add_context_processor=False)
    if app.config["EVENTAPP_PROXY_COUNT"]:
        from werkzeug.middleware.proxy_fix import ProxyFix

        count = app.config["EVENTAPP_PROXY_COUNT"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count, x_host=count)  # type: ignore[method-assign]  # WSGI middleware wraps wsgi_app, as Flask documents
    csrf.init_app(app)
    babel.init_app(
        app,
        locale_selector=i18n.select_locale,
        default_translation_directories=str(Path(__file__).parent / "translations"),
    )
    template_gettext.install(app)
    with app.app_context():
        configure_sqlite(db.engine)
        psycopg_description.install(db.engine)
        ping_after_idle(db.engine, float(app.config["EVENTAPP_DB_PING_AFTER_IDLE_SECONDS"]))
    app.after_request(i18n.remember_locale)
    versions.install()
    store.init_app(app)
    replay.install(app)


def _register_blueprints(app: Flask) -> None:
    # Importing the views imports every model, so the metadata is complete for Alembic too.
    from eventapp import errors, health, manage
    from eventapp.about import views as about_views
    from eventapp.accounts import views as account_views
    from eventapp.events import calendar_views, programme_views
    from eventapp.events import views as event_views
    from eventapp.materialnews import views as material_news_views
    from eventapp.materials import views as material_downloads
    from eventapp.registrations import views as registration_views
    from eventapp.speakers import views as speaker_portal_views
    from eventapp.surveys import views as survey_views

    app.register_blueprint(errors.bp)
    app.register_blueprint(health.bp)
    app.register_blueprint(event_views.bp)
    app.register_blueprint(programme_views.bp)
    app.register_blueprint(registration_views.bp)
    app.register_blueprint(about_views.bp)
    app.register_blueprint(speaker_portal_views.bp)
    app.register_blueprint(material_downloads.bp)
    app.register_blueprint(survey_views.bp)
    app.register_blueprint(material_news_views.bp)
    app.register_blueprint(calendar_views.bp)
    app.register_blueprint(account_views.bp)
    manage.register(app)  # the back office: every area of it


def _connect_the_layers(app: Flask) -> None:
    """Follow-ups, page parts and chores travel upward through hooks, never by a lower layer importing a
    higher one (docs/ARCHITECTURE.md, "Layers"): the higher layers' receivers are connected here."""
    from eventapp.accounts import audit
    from eventapp.accounts import enums as account_enums
    from eventapp.agenda import enums as agenda_enums
    from eventapp.calls import enums as call_enums
    from eventapp.events import enums as event_enums
    from eventapp.mail.drafts import add_renderer
    from eventapp.mail.worker import add_chore
    from eventapp.materialnews import receivers as material_news_receivers
    from eventapp.materialnews.services import send_new_materials
    from eventapp.materials import enums as material_enums
    from eventapp.materials import receivers as material_receivers
    from eventapp.programmes import enums as programme_enums
    from eventapp.registrations import drafts as registration_drafts
    from eventapp.registrations import enums as registration_enums
    from eventapp.registrations import receivers as registration_receivers
    from eventapp.registrations.chores import WorkerChores
    from eventapp.registrations.questions import KIND_LABELS
    from eventapp.surveys import chores as survey_chores
    from eventapp.surveys import enums as survey_enums
    from eventapp.surveys import receivers as survey_receivers

    audit.describe_enums(
        account_enums, agenda_enums, call_enums, event_enums, material_enums, programme_enums, registration_enums,
        survey_enums, labels={registration_enums.QuestionKind: KIND_LABELS},
    )  # fmt: skip
    registration_receivers.connect()
    material_receivers.connect()
    survey_receivers.connect()
    material_news_receivers.connect()
    add_chore(app, WorkerChores)
    # The registration mails are drafts the worker renders after the commit (mail.drafts).
    add_renderer(app, registration_drafts.DRAFT_KIND, registration_drafts.render, preload=registration_drafts.preload)
    add_chore(app, lambda: survey_chores.run)  # survey links after events, one reminder
    add_chore(app, lambda: send_new_materials)  # at most one "new materials" mail a day per event
