"""Errors become friendly pages (or JSON for API clients), with the right status; 500s are logged."""

from __future__ import annotations

import pytest
from flask import abort

from eventapp import create_app
from tests.conftest import TEST_CONFIG


def test_404_is_a_friendly_page_with_a_way_back(client):
    response = client.get("/no/such/page")
    html = response.get_data(as_text=True)

    assert response.status_code == 404
    assert response.mimetype == "text/html"
    assert "Page not found" in html
    assert '<a class="button" href="/">See all events</a>' in html
    assert '<a class="skip-link" href="#main">' in html  # it is a full page in the site's layout


def test_api_clients_get_json_errors(client):
    response = client.get("/no/such/page", headers={"Accept": "application/json"})

    assert response.status_code == 404
    assert response.get_json()["error"]["status"] == 404
    assert response.get_json()["error"]["title"] == "Page not found"


def test_method_not_allowed_keeps_the_allow_header(client):
    response = client.post("/healthz")

    assert response.status_code == 405
    assert "GET" in response.headers["Allow"]
    assert "That action is not allowed here" in response.get_data(as_text=True)


@pytest.fixture
def app_with_broken_route(database_url, tmp_path):
    def build(**extra):
        app = create_app({**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": database_url, **extra})

        @app.get("/boom")
        def boom():
            raise RuntimeError("database exploded")

        @app.get("/teapot")
        def teapot():
            abort(429, "Wait a minute before trying again.")

        return app

    return build


def test_unexpected_error_is_reraised_under_testing(app_with_broken_route):
    client = app_with_broken_route().test_client()

    with pytest.raises(RuntimeError, match="database exploded"):
        client.get("/boom")


def test_unexpected_error_gives_a_500_page_and_is_logged(app_with_broken_route, caplog):
    client = app_with_broken_route(EVENTAPP_RENDER_500_IN_TESTS=True).test_client()

    response = client.get("/boom")

    assert response.status_code == 500
    assert "Something went wrong on our side" in response.get_data(as_text=True)
    assert "database exploded" not in response.get_data(as_text=True)  # no internals shown
    assert "database exploded" in caplog.text


def test_a_message_given_to_abort_is_shown(app_with_broken_route):
    response = app_with_broken_route().test_client().get("/teapot")

    assert response.status_code == 429
    assert "Wait a minute before trying again." in response.get_data(as_text=True)


def test_security_headers_on_every_page(client):
    response = client.get("/")

    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "default-src 'self'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Frame-Options"] == "DENY"


def test_a_domain_errors_message_is_translated_when_shown_not_when_raised(app):
    """Raised outside any request (as the worker or a CLI command would), the message is still rendered in
    the language of whoever reads it later."""
    from flask_babel import lazy_gettext as _l

    from eventapp.errors import ValidationFailed

    with app.app_context():
        refused = ValidationFailed("slug", _l("Use lower-case letters, digits and hyphens only."))
    with app.test_request_context("/?lang=sv"):
        assert str(refused.message) == "Använd bara små bokstäver (a–z), siffror och bindestreck."
        assert str(refused) == "Använd bara små bokstäver (a–z), siffror och bindestreck."
    with app.test_request_context("/?lang=en"):
        assert str(refused.message) == "Use lower-case letters, digits and hyphens only."
