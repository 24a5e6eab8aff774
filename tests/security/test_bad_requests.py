"""Requests anyone can make by hand: reflected markup, query strings that collide with the language
switcher, NUL characters in the path, ids no INTEGER holds, files where text belongs. Each gets a page a
person understands with the right 4xx status, and the security headers, never a 500."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from flask import render_template_string
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from eventapp import create_app
from eventapp.accounts.enums import Role
from eventapp.extensions import db
from eventapp.registrations.models import Registration
from tests.conftest import TEST_CONFIG, soon
from tests.registrations.conftest import FORM, csrf_token

LINK = "<a href=//evil.example>Sign in again</a>"


@pytest.mark.parametrize("parameter", ["kind", "programme"])
def test_a_catalogue_filter_that_matches_nothing_is_shown_as_text(client, parameter):
    response = client.get("/", query_string={parameter: LINK})
    html = response.get_data(as_text=True)

    assert response.status_code == 400
    assert "<a href=//evil.example>" not in html
    assert "“&lt;a href=//evil.example&gt;Sign in again&lt;/a&gt;”" in html


def test_a_lazy_translation_with_input_is_text_in_a_template(app):
    with app.test_request_context("/"):
        message = _l("There is no programme called “%(value)s”.", value="<script>x</script>")
        html = render_template_string("{{ message }} {{ message|e }} {{ [message]|join(',') }}", message=message)

    assert "<script>" not in html
    assert html.count("&lt;script&gt;x&lt;/script&gt;") == 3


def test_no_translation_carries_markup(app):
    """Lazy strings are escaped as text (eventapp.i18n): that is only right while no translation is
    meant as HTML."""
    from babel.messages.pofile import read_po

    from eventapp.i18n import TRANSLATIONS_DIR

    for po in TRANSLATIONS_DIR.glob("*/LC_MESSAGES/messages.po"):
        with po.open("rb") as source:
            catalog = read_po(source)
        tagged = [m.id for m in catalog if m.id and "<" in str(m.id) + str(m.string)]
        assert tagged == [], f"{po}: {tagged[:3]}"


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/?endpoint=x", 200),
        ("/?_method=x&_external=1&_scheme=javascript&_anchor=x", 200),
        ("/login?_method=x", 200),
        ("/login?endpoint=x&values=1", 200),
        ("/events/{slug}?slug=x", 200),
        ("/events/{slug}/register?slug=x&lang=xx", 200),
        ("/r/not-a-token?token=x", 404),
        ("/events/no-such-event?slug=x", 404),
    ],
)
def test_query_parameters_named_like_url_for_arguments_do_not_break_the_page(client, dummy_event, path, status):
    response = client.get(path.format(slug=dummy_event.slug))
    html = response.get_data(as_text=True)

    assert response.status_code == status
    assert 'class="language-switcher"' in html
    assert response.headers["X-Frame-Options"] == "DENY"


def test_the_language_switcher_keeps_the_page_and_its_query(client, dummy_event):
    html = client.get(f"/events/{dummy_event.slug}?slug=x&q=a+b&q=c&lang=en").get_data(as_text=True)

    assert f'href="/events/{dummy_event.slug}?slug=x&amp;q=a+b&amp;q=c&amp;lang=sv"' in html


def test_an_error_page_links_its_languages_to_the_front_page(client):
    html = client.get("/events/no-such-event?slug=x&endpoint=y").get_data(as_text=True)

    assert 'href="/?lang=sv"' in html
    assert "slug=x" not in html
    assert "endpoint=y" not in html


def test_when_the_error_page_itself_fails_a_static_page_goes_out_with_the_security_headers(database_url, tmp_path):
    app = create_app({**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": database_url, "EVENTAPP_RENDER_500_IN_TESTS": True})
    app.static_folder = str(tmp_path)  # a broken deployment: the stylesheet every page links is missing

    response = app.test_client().get("/no/such/page")
    html = response.get_data(as_text=True)

    assert response.status_code == 404
    assert "<h1>Error 404</h1>" in html
    assert "default-src 'self'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert not list(Path(tmp_path).iterdir())


@pytest.mark.parametrize(
    "path",
    [
        "/events/a%00b",
        "/events/%00.ics",
        "/events/%00/register",
        "/programmes/%00",
        "/programmes/%00.ics",
        "/r/%00",
        "/speaker/%00",
        "/materials/1/a%00.pdf",
    ],
)
def test_a_nul_character_in_the_path_is_not_found(client, path):
    response = client.get(path)

    assert response.status_code == 404
    assert "Page not found" in response.get_data(as_text=True)


@pytest.mark.parametrize(
    "number", ["2147483648", "99999999999999999999", "9" * 5000, "-1", "%D9%A1", "1.5", "0x10", "%2B1"]
)
def test_an_id_no_integer_column_holds_is_not_found_without_asking_the_database(client, count_queries, number):
    with count_queries() as counter:
        response = client.get(f"/materials/{number}/x.pdf")

    assert response.status_code == 404
    assert counter.count == 0


def test_the_largest_integer_id_still_reaches_the_view(client, count_queries):
    with count_queries() as counter:
        response = client.get(f"/materials/{2**31 - 1}/x.pdf")

    assert response.status_code == 404
    assert counter.count >= 1  # looked up, not found


def test_back_office_ids_past_the_integer_range_are_not_found(client, create_account, log_in):
    create_account("admin@example.org", Role.ADMIN)
    log_in(client, "admin@example.org")

    for path in ("/manage/events/2147483648/edit", "/manage/events/2147483648/registrations"):
        assert client.get(path).status_code == 404, path


def test_a_file_sent_as_the_name_field_is_refused_with_a_message(client, dummy_event, in_app):
    page = client.get(f"/events/{dummy_event.slug}/register").get_data(as_text=True)
    data = {**FORM, "csrf_token": csrf_token(page), "name": (io.BytesIO(b"Eve"), "name.txt")}

    response = client.post(f"/events/{dummy_event.slug}/register", data=data, content_type="multipart/form-data")

    assert response.status_code == 400
    assert "The form sent a file where text was expected" in response.get_data(as_text=True)
    with in_app():
        assert db.session.scalar(select(func.count()).select_from(Registration)) == 0


def test_the_upload_form_refuses_a_file_sent_as_its_title(client, create_account, log_in, dummy_event):
    create_account("admin@example.org", Role.ADMIN)
    log_in(client, "admin@example.org")
    page = client.get(f"/manage/events/{dummy_event.id}/materials").get_data(as_text=True)
    title = (io.BytesIO(b"x"), "t.txt")
    token = re.search(r'name="file-csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    data = {"file-csrf_token": token, "file-title": title, "file-file": (io.BytesIO(b"%PDF-1.4"), "a.pdf")}

    response = client.post(
        f"/manage/events/{dummy_event.id}/materials/files", data=data, content_type="multipart/form-data"
    )

    assert response.status_code == 400
    assert "The form sent a file where text was expected" in response.get_data(as_text=True)


def test_the_registration_list_keeps_a_hostile_query_as_a_query_string(client, create_account, log_in, dummy_event):
    create_account("admin@example.org", Role.ADMIN)
    log_in(client, "admin@example.org")

    response = client.get(
        f"/manage/events/{dummy_event.id}/registrations?event_id=7&endpoint=x&_external=1&_scheme=javascript"
    )
    html = response.get_data(as_text=True)

    assert response.status_code == 200
    assert "javascript:" not in html
    expected = f"/manage/events/{dummy_event.id}/registrations.csv?endpoint=x&amp;_external=1&amp;_scheme=javascript"
    assert f'href="{expected}"' in html


def test_the_pager_of_past_events_keeps_a_hostile_query_string_as_a_query_string(client, create_event):
    for days in range(1, 23):  # more past events than one page holds
        create_event(starts_at=soon(-days * 2))

    response = client.get("/?endpoint=x&_anchor=y")

    assert response.status_code == 200
    assert 'href="/?endpoint=x&amp;_anchor=y&amp;page=2"' in response.get_data(as_text=True)
