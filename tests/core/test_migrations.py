"""The migrations build exactly the schema the models describe, and can be undone, on both databases."""

from __future__ import annotations

import uuid

import flask_migrate
import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import make_url

from eventapp import create_app
from eventapp.extensions import db
from tests.conftest import IN_CI, TEST_CONFIG, ensure_postgres_database, postgres_url


@pytest.fixture(params=["sqlite", "postgres"])
def empty_database_url(request, tmp_path):
    """A database with no tables at all, made for this test and removed after it."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'migrations.sqlite'}"
        return
    base = postgres_url()
    reason = ensure_postgres_database(base)
    if reason:
        if IN_CI:
            pytest.fail(reason, pytrace=False)
        pytest.skip(reason)
    name = f"eventapp_migrations_{uuid.uuid4().hex[:8]}"
    admin = create_engine(make_url(base).set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(base).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def _diff(app) -> list:
    with app.app_context(), db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        return compare_metadata(context, db.metadata)


def _tables(app) -> set[str]:
    with app.app_context():
        return set(inspect(db.engine).get_table_names()) - {"alembic_version"}


def test_migrations_match_models_and_go_down_and_up_again(empty_database_url):
    app = create_app({**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": empty_database_url})
    model_tables = {t.name for t in db.metadata.sorted_tables}

    with app.app_context():
        flask_migrate.upgrade()
    assert _tables(app) == model_tables
    assert _diff(app) == []

    with app.app_context():
        flask_migrate.downgrade(revision="base")
    assert _tables(app) == set()

    with app.app_context():
        flask_migrate.upgrade()
    assert _tables(app) == model_tables
    assert _diff(app) == []
    with app.app_context():
        db.engine.dispose()
