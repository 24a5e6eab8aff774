"""What every template sees and every answer carries (eventapp/templating.py)."""

from __future__ import annotations

from flask import Response, g, render_template_string, url_for

from eventapp.security import SECURITY_HEADERS


def _endpoints_without_arguments(app) -> list[str]:
    return sorted({rule.endpoint for rule in app.url_map.iter_rules() if not rule.arguments and "GET" in rule.methods})


def test_templates_url_for_gives_flasks_url_under_each_script_root(app):
    endpoints = _endpoints_without_arguments(app)
    assert "events.index" in endpoints
    assert "manage.dashboard" in endpoints
    source = "{% for e in endpoints %}{{ url_for(e) }} {% endfor %}"
    for script_root in ("", "/events-site", "", "/other"):  # each script root its own URLs, also when asked again
        with app.test_request_context("/", base_url=f"http://eventapp.test{script_root}"):
            expected = " ".join(url_for(endpoint) for endpoint in endpoints) + " "
            assert expected.startswith(f"{script_root}/")
            assert render_template_string(source, endpoints=endpoints) == expected
    with app.test_request_context("/"):
        assert render_template_string("{{ url_for('events.detail', slug='a b') }}") == url_for(
            "events.detail", slug="a b"
        )
        assert render_template_string("{{ url_for('events.index', _anchor='x') }}") == "/#x"


def test_templates_read_the_user_only_when_they_show_it(app):
    with app.test_request_context("/"):
        render_template_string("{{ site_name }}")
        assert "_login_user" not in g  # Flask-Login never asked: no session check for a page without a user
        assert render_template_string("{{ current_user.is_authenticated }}") == "False"
        assert "_login_user" in g


def test_security_headers_are_added_without_replacing_a_views_own(app):
    with app.test_request_context("/"):
        plain = app.process_response(Response("x"))
        own = app.process_response(Response("x", headers={"X-Frame-Options": "SAMEORIGIN"}))
    for name, value in SECURITY_HEADERS.items():
        assert plain.headers.getlist(name) == [value]
    assert own.headers.getlist("X-Frame-Options") == ["SAMEORIGIN"]
    assert own.headers.getlist("Content-Security-Policy") == [SECURITY_HEADERS["Content-Security-Policy"]]
