"""PostgreSQL going away during a request, for real (a TCP proxy in front of it cuts the connections or
refuses new ones): a finished page still goes out, and a page that needs the database while it is away
is the app's own error page with a 503 and the security headers, never the WSGI server's bare 500."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import request

from eventapp import create_app
from eventapp.extensions import db
from tests.conftest import TEST_CONFIG
from tests.mail.pg_proxy import PostgresProxy

pytestmark = pytest.mark.postgres_only


@pytest.fixture
def proxy(app, database_url: str) -> Iterator[PostgresProxy]:
    with PostgresProxy(database_url) as running:
        yield running


@pytest.fixture
def proxied_app(app, proxy, tmp_path):
    """A second app on the same database, reached through the proxy."""
    behind = create_app({**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": proxy.url, "UPLOAD_FOLDER": str(tmp_path / "up")})
    yield behind
    with behind.app_context():
        db.engine.dispose()


def test_a_connection_dropped_after_the_page_was_made_does_not_turn_it_into_an_error(proxied_app, proxy, create_event):
    event = create_event(title="Innkjøpsdagen 2027")

    @proxied_app.after_request
    def _database_goes_away(response):
        if request.path == f"/events/{event.slug}":
            proxy.down()  # the page is made; the session is ended after this, on a dead connection
        return response

    response = proxied_app.test_client().get(f"/events/{event.slug}")

    assert response.status_code == 200
    assert "Innkjøpsdagen 2027" in response.get_data(as_text=True)
    assert "Content-Security-Policy" in response.headers
    proxy.up()
    again = proxied_app.test_client().get(f"/events/{event.slug}?lang=nb")
    assert again.status_code == 200  # the broken session was discarded; the next request works


def test_a_page_that_needs_the_database_while_it_is_away_gets_the_apps_503_page(proxied_app, proxy, create_event):
    event = create_event(title="Innkjøpsdagen 2027")
    client = proxied_app.test_client()
    assert client.get(f"/events/{event.slug}").status_code == 200
    proxy.down()

    response = client.get("/events/another-event")
    api = client.get("/events/another-event", headers={"Accept": "application/json"})

    assert response.status_code == 503
    page = response.get_data(as_text=True)
    assert "The service is not available just now" in page
    assert "Our database is not answering. Please try again in a few minutes." in page
    assert "Content-Security-Policy" in response.headers
    assert api.status_code == 503
    assert api.get_json()["error"]["status"] == 503
    proxy.up()
    assert client.get(f"/events/{event.slug}").status_code == 200


@pytest.mark.parametrize("ping_after_idle", [0.0, 3600.0])
def test_a_restart_between_two_pages_costs_no_page(app, proxy, tmp_path, create_event, ping_after_idle):
    """Pooled connections are not pinged before every page (a round trip more on each, ``db.ping_after_idle``):
    only after sitting idle (0 s here: always), or when their socket shows the server went away, which a
    cut connection does whatever the idle time (3600 s here: never by time). Either way the dead
    connection is replaced and the visitor sees the page."""
    event = create_event(title="Innkjøpsdagen 2027")
    behind = create_app({**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": proxy.url, "UPLOAD_FOLDER": str(tmp_path / "up"),
                         "EVENTAPP_DB_PING_AFTER_IDLE_SECONDS": ping_after_idle})  # fmt: skip
    client = behind.test_client()
    try:
        assert client.get(f"/events/{event.slug}").status_code == 200
        proxy.down()  # the pooled connection is cut, as when PostgreSQL restarts
        proxy.up()

        again = client.get(f"/events/{event.slug}?lang=nb")

        assert again.status_code == 200
        assert "Innkjøpsdagen 2027" in again.get_data(as_text=True)
    finally:
        with behind.app_context():
            db.engine.dispose()
