"""Fixtures shared by every test.

Every test that takes ``app`` (directly or through a factory) runs twice: on SQLite and on PostgreSQL.
PostgreSQL is found at ``TEST_DATABASE_URL`` (default: the local server, database ``eventapp_test``,
created when missing). Where it cannot be reached the PostgreSQL half is skipped with the reason, except
when ``CI`` is set: there a missing PostgreSQL fails the run.

Tests commit for real. Between tests every table is emptied, so each test starts from nothing.
No app context stays pushed while a test makes requests: each request gets a fresh session, as in
production, and the arrange steps (factories) open and close their own.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import make_url

from eventapp import create_app
from eventapp.extensions import db

DEFAULT_PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/eventapp_test"
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def pytest_configure(config: pytest.Config) -> None:
    """Compile the translation catalogues if they are missing or older than their .po files (``make``
    does the same), so that running pytest on its own tests the same app."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    from eventapp.i18n import TRANSLATIONS_DIR

    for po in TRANSLATIONS_DIR.glob("*/LC_MESSAGES/messages.po"):
        mo = po.with_suffix(".mo")
        if not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime:
            with po.open("rb") as source:
                catalog = read_po(source)
            with mo.open("wb") as target:
                write_mo(target, catalog)


def postgres_url() -> str:
    from config import normalise_database_url

    return normalise_database_url(os.environ.get("TEST_DATABASE_URL") or DEFAULT_PG_URL)


def ensure_postgres_database(url: str) -> str | None:
    """Create the database if it is missing. Returns a reason string when PostgreSQL is unreachable."""
    target = make_url(url)
    admin = create_engine(target.set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            exists = conn.scalar(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": target.database})
            if not exists:
                conn.execute(text(f'CREATE DATABASE "{target.database}"'))
    except Exception as exc:  # noqa: BLE001 - any failure to connect means "no PostgreSQL here"
        return f"PostgreSQL at {target.render_as_string(hide_password=True)} unreachable: {exc}"
    finally:
        admin.dispose()
    return None


def require_postgres(url: str) -> None:
    reason = ensure_postgres_database(url)
    if reason:
        if IN_CI or os.environ.get("EVENTAPP_REQUIRE_POSTGRES"):
            pytest.fail(f"{reason} (CI needs PostgreSQL: the suite never skips it there)", pytrace=False)
        pytest.skip(reason)


@pytest.fixture(scope="session", params=["sqlite", "postgres"])
def database_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path_factory.mktemp('sqlite') / 'eventapp-test.sqlite'}"
    url = postgres_url()
    require_postgres(url)
    return url


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark the PostgreSQL half; leave out the SQLite half of tests that only mean something on
    PostgreSQL (``postgres_only``: several workers at once), so nothing is reported as skipped."""
    kept, left_out = [], []
    for item in items:
        callspec = getattr(item, "callspec", None)
        database = callspec.params.get("database_url") if callspec else None
        if database == "postgres":
            item.add_marker(pytest.mark.postgres)
        if database == "sqlite" and item.get_closest_marker("postgres_only"):
            left_out.append(item)
        else:
            kept.append(item)
    if left_out:
        config.hook.pytest_deselected(items=left_out)
        items[:] = kept


TEST_CONFIG = {
    "TESTING": True,
    "SECRET_KEY": "tests-only-not-a-secret-4f9Kq2ZxW7mB1vR8cT5yN3hJ6pL0dS",
    "EVENTAPP_BASE_URL": "http://eventapp.test",
    "EVENTAPP_DEFAULT_LOCALE": "en",
    "SERVER_NAME": None,
    "MAIL_SERVER": None,
    # Tests change content from other app instances and expect to see it at once.
    "EVENTAPP_VERSION_CHECK_SECONDS": 0,
}


@pytest.fixture(scope="session")
def _session_app(database_url: str, tmp_path_factory: pytest.TempPathFactory):
    instance = tmp_path_factory.mktemp("instance")
    os.environ["EVENTAPP_INSTANCE_PATH"] = str(instance)
    app = create_app({**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": database_url, "UPLOAD_FOLDER": str(instance / "up")})
    with app.app_context():
        db.drop_all()
        db.create_all()
    yield app
    with app.app_context():
        db.drop_all()
        db.engine.dispose()


def _empty_all_tables() -> None:
    tables = list(reversed(db.metadata.sorted_tables))
    if db.engine.dialect.name == "postgresql":
        names = ", ".join(f'"{t.name}"' for t in tables)
        db.session.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    else:
        for table in tables:
            db.session.execute(table.delete())
    db.session.commit()


@pytest.fixture
def app(_session_app):
    """The app on one database, with every table empty at the start of the test."""
    from eventapp.about.queries import assume_no_settings

    assume_no_settings(_session_app)  # the tables are empty: no operator settings from an earlier test
    yield _session_app
    _session_app.extensions["eventapp.pagecache"].clear()
    with _session_app.app_context():
        from eventapp.extensions import limiter

        limiter.reset()  # rate limits count per test, not across the suite
    with _session_app.app_context():
        db.session.rollback()
        _empty_all_tables()
        db.session.remove()
    shutil.rmtree(_session_app.config["UPLOAD_FOLDER"], ignore_errors=True)  # uploaded files go with the rows


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def in_app(app) -> Callable[[], Any]:
    """``with in_app(): ...`` runs a block inside an app context (for arranging and checking rows)."""

    @contextmanager
    def _ctx() -> Iterator[None]:
        with app.app_context():
            try:
                yield
            finally:
                db.session.remove()

    return _ctx


class QueryCounter:
    def __init__(self) -> None:
        self.statements: list[str] = []

    @property
    def count(self) -> int:
        return len(self.statements)


@pytest.fixture
def count_queries(app) -> Callable[[], Any]:
    """``with count_queries() as counter: client.get(...)``; ``counter.count`` is the SQL statements run."""

    @contextmanager
    def _count() -> Iterator[QueryCounter]:
        counter = QueryCounter()
        with app.app_context():
            engine = db.engine

        def _before(conn, cursor, statement, *args):
            if not statement.lstrip().upper().startswith(("BEGIN", "COMMIT", "ROLLBACK", "PRAGMA")):
                counter.statements.append(statement)

        event.listen(engine, "before_cursor_execute", _before)
        try:
            yield counter
        finally:
            event.remove(engine, "before_cursor_execute", _before)

    return _count


def at(year: int, month: int, day: int, hour: int = 0, minute: int = 0, tz: str = "UTC") -> datetime:
    """An aware datetime: wall time ``hour:minute`` in zone ``tz`` (the first, if ambiguous)."""
    from zoneinfo import ZoneInfo

    return datetime(year, month, day, hour, minute, tzinfo=ZoneInfo(tz)).astimezone(UTC)


def soon(days: int = 14, hour: int = 9) -> datetime:
    """A moment ``days`` from now, at ``hour``:00 UTC."""
    base = datetime.now(UTC).replace(hour=hour, minute=0, second=0, microsecond=0)
    return base + timedelta(days=days)


pytest_plugins = ["tests.factories", "tests.account_fixtures", "tests.mail_fixtures"]
