"""Who runs this site: an administrator sets the operator's name, logo and contact details; every page's
header and footer, the contact page and every mail show them."""

from __future__ import annotations

import re
import struct
import zlib
from io import BytesIO

import pytest
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from eventapp.about.models import SiteSettings
from eventapp.accounts.enums import Role
from eventapp.extensions import db
from tests.registrations.conftest import csrf_token, outbox, sign_up, text_of

__all__ = ["outbox", "sign_up"]  # fixtures of the sign-up tests, used here

SETTINGS = {
    "operator_name": "Innovasjonsetaten",
    "contact_email": "kontakt@innovasjon.example.org",
    "contact_phone": "+47 22 00 00 00",
    "postal_address": "Postboks 1\n0101 Oslo",
    "contact_md": "Vi svarer **hverdager** 9–15.",
}


def png_bytes(width: int = 4, height: int = 2) -> bytes:
    """A real, tiny PNG (grey pixels)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    rows = b"".join(b"\0" + b"\x80" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


HOSTILE_SVG = (
    b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" viewBox="0 0 10 10"'
    b' onload="alert(1)"><script>alert(2)</script><rect width="10" height="10" fill="#036" onclick="alert(3)"/>'
    b'<a xlink:href="javascript:alert(4)"><text y="8">E</text></a><image href="https://evil.example/x.png"/></svg>'
)


@pytest.fixture
def admin(create_account, client, log_in):
    user = create_account("admin@example.org", role=Role.ADMIN)
    log_in(client, "admin@example.org")
    return user


def save(client, logo: tuple[bytes, str] | None = None, **fields: str):
    """The settings form sent as a browser sends it, encoded in memory (the test client would spool a
    large body to a temporary file that a refused upload leaves open)."""
    token = csrf_token(client.get("/manage/site").get_data(as_text=True))
    data: dict[str, object] = {"csrf_token": token, **SETTINGS, **fields}
    if logo is not None:
        data["logo"] = FileStorage(BytesIO(logo[0]), filename=logo[1], content_type="application/octet-stream")
    boundary, body = encode_multipart(data)
    return client.post("/manage/site", data=body, content_type=f"multipart/form-data; boundary={boundary}")


def test_before_any_settings_the_site_is_named_by_its_configuration(client):
    page = client.get("/").get_data(as_text=True)
    assert '<a class="site-name" href="/">eventapp</a>' in page
    assert "eventapp runs this site" in text_of(page)
    assert 'href="/contact"' in page
    contact = client.get("/contact")
    assert contact.status_code == 200
    assert "Contact eventapp" in text_of(contact.get_data(as_text=True))


def test_an_administrator_names_the_operator_and_every_page_and_the_contact_page_show_it(app, client, admin):
    saved = save(client, logo=(png_bytes(), "logo.png"))
    assert saved.status_code == 303
    page = client.get("/").get_data(as_text=True)
    assert "Innovasjonsetaten runs this site" in text_of(page)
    header_logo = r'<img class="site-logo" src="(/site/logo\?v=[0-9a-f]{64})" alt="" height="40">Innovasjonsetaten'
    logo = re.search(header_logo, page)
    assert logo, "the header shows the logo beside the name"
    served = client.get(logo.group(1))
    assert served.status_code == 200
    assert served.mimetype == "image/png"
    assert served.data == png_bytes()
    assert "immutable" in served.headers["Cache-Control"]
    contact = client.get("/contact").get_data(as_text=True)
    assert '<a href="mailto:kontakt@innovasjon.example.org">kontakt@innovasjon.example.org</a>' in contact
    assert '<a href="tel:+4722000000">+47 22 00 00 00</a>' in contact
    assert "Postboks 1<br>0101 Oslo" in contact
    assert "<strong>hverdager</strong>" in contact


def test_mails_name_the_operator_and_where_to_ask(app, client, admin, dummy_event, sign_up, outbox):
    save(client)
    sign_up(dummy_event.slug)
    mail = outbox()[-1]
    assert "Innovasjonsetaten · This message was sent automatically." in mail.body_text
    assert "Questions about this site: kontakt@innovasjon.example.org" in mail.body_text
    assert 'href="mailto:kontakt@innovasjon.example.org"' in mail.body_html


def test_a_hostile_svg_logo_is_kept_only_as_the_sanitiser_made_it_and_served_sandboxed(app, client, admin):
    assert save(client, logo=(HOSTILE_SVG, "logo.svg")).status_code == 303
    with app.app_context():
        stored = db.session.get(SiteSettings, 1).logo
    for active in (b"script", b"onload", b"onclick", b"javascript:", b"evil.example"):
        assert active not in stored
    assert b'fill="#036"' in stored  # the drawing itself stays
    page = client.get("/").get_data(as_text=True)
    url = re.search(r'src="(/site/logo\?v=[0-9a-f]{64})"', page).group(1)
    served = client.get(url)
    assert served.mimetype == "image/svg+xml"
    assert "sandbox" in served.headers["Content-Security-Policy"]
    assert served.headers["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize(
    ("data", "name"),
    [(b"MZ\x90\x00 not an image", "logo.png"), (b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR", "logo.png"), (b"<svg", "logo.svg")],
    ids=["executable", "truncated-png", "broken-svg"],
)
def test_a_file_that_is_no_logo_is_refused_and_nothing_is_saved(app, client, admin, data, name):
    answer = save(client, logo=(data, name))
    assert answer.status_code == 400
    assert "The logo must be a PNG or SVG image" in text_of(answer.get_data(as_text=True))
    with app.app_context():
        assert db.session.get(SiteSettings, 1) is None  # not even the name: the form is saved whole or not at all


def test_a_logo_over_the_limit_is_refused_with_the_limit_named(app, client, admin):
    answer = save(client, logo=(png_bytes() + b"\0" * 600_000, "big.png"))
    assert answer.status_code == 400
    assert "The logo is larger than 512 kB" in text_of(answer.get_data(as_text=True))


def test_removing_the_logo(app, client, admin):
    save(client, logo=(png_bytes(), "logo.png"))
    save(client, remove_logo="y")
    assert 'class="site-logo"' not in client.get("/").get_data(as_text=True)
    assert client.get("/site/logo").status_code == 404


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("operator_name", "", "Give the name of the organisation that runs this site."),
        ("contact_email", "not an address", "Please enter an email address"),
        ("contact_phone", "call me maybe", "Give a phone number with digits"),
    ],
)
def test_bad_settings_are_refused_with_a_message_and_the_input_kept(app, client, admin, field, value, message):
    answer = save(client, **{field: value})
    assert answer.status_code == 400
    page = answer.get_data(as_text=True)
    assert message in text_of(page)
    assert "Innovasjonsetaten" in page or field == "operator_name"
    with app.app_context():
        assert db.session.get(SiteSettings, 1) is None


def test_only_administrators_change_who_runs_the_site(app, client, create_account, log_in):
    create_account("organiser@example.org")
    log_in(client, "organiser@example.org")
    assert client.get("/manage/site").status_code == 403
    assert 'href="/manage/site"' not in client.get("/manage/").get_data(as_text=True)


def test_an_error_page_never_asks_the_database_who_runs_the_site(app, client, count_queries):
    """An error page may be about a database that is away: it shows the operator this process knows, or the
    configured name, and asks nothing."""
    from eventapp.about.queries import forget_site_identity

    forget_site_identity(app)
    with count_queries() as counter:
        page = client.get("/no/such/page")
    assert page.status_code == 404
    assert '<a class="site-name" href="/">eventapp</a>' in page.get_data(as_text=True)
    assert counter.count == 0, counter.statements
