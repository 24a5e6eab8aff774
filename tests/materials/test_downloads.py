"""Downloading materials' files: headers, conditional and range requests, and who may download what."""

from __future__ import annotations

import hashlib
from contextlib import contextmanager
from urllib.parse import quote

import pytest
from werkzeug.http import parse_options_header

from eventapp.extensions import db
from eventapp.materials.downloads import ascii_name, content_disposition
from eventapp.registrations import services as registration_services
from tests import sample_files
from tests.materials.material_helpers import current_file, material_ids, post_form, publish, upload

NAME = "Innlegg – Bærum kommune.pdf"

pytest_plugins = ["tests.materials.material_fixtures"]  # the webinar and owner_client fixtures


@contextmanager
def fetch(client, url: str, **kwargs):
    """A GET whose streamed file is closed afterwards."""
    response = client.get(url, **kwargs)
    try:
        yield response
    finally:
        response.close()


def status_of(client, url: str) -> int:
    with fetch(client, url) as response:
        return response.status_code


@pytest.fixture
def published(app, owner_client, webinar):
    """A public PDF with a Unicode name, a public pptx, a registered-only and an organisers-only PDF;
    materials published. Returns title → (file id, name)."""
    pdf = sample_files.pdf_bytes("Bærum")
    upload(owner_client, webinar.id, pdf, NAME, title="Public PDF")
    upload(owner_client, webinar.id, sample_files.pptx_bytes(), "Lysark.pptx", title="Public slides", kind="slides")
    upload(owner_client, webinar.id, sample_files.pdf_bytes("Deltakere"), "Kun for deltakere.pdf",
           title="Registered PDF", visibility="registered")  # fmt: skip
    upload(owner_client, webinar.id, sample_files.pdf_bytes("Intern"), "Intern.pdf", title="Internal PDF",
           visibility="organisers")  # fmt: skip
    assert publish(owner_client, webinar.id).status_code == 303
    return {title: current_file(app, material_id) for title, material_id in material_ids(app, webinar.id).items()}


def public_url(found: tuple[int, str]) -> str:
    file_id, name = found
    return f"/materials/{file_id}/{quote(name)}"


def test_a_public_pdf_comes_with_its_name_type_and_safety_headers(app, published):
    pdf = sample_files.pdf_bytes("Bærum")
    with fetch(app.test_client(), public_url(published["Public PDF"])) as response:
        body = response.get_data()
        headers = response.headers

    assert response.status_code == 200
    assert body == pdf
    assert headers["Content-Type"] == "application/pdf"
    # RFC 6266: a plain-ASCII name for old clients, the real name in UTF-8 for the rest; PDFs may open inline.
    assert headers["Content-Disposition"] == (
        'inline; filename="Innlegg Baerum kommune.pdf"; '
        "filename*=UTF-8''Innlegg%20%E2%80%93%20B%C3%A6rum%20kommune.pdf"
    )
    assert parse_options_header(headers["Content-Disposition"])[1]["filename"] == NAME
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["ETag"] == f'"{hashlib.sha256(pdf).hexdigest()}"'
    assert headers["Last-Modified"]
    assert headers["Accept-Ranges"] == "bytes"
    assert headers["Cache-Control"] == "public, max-age=3600"
    assert headers["Content-Security-Policy"] == "default-src 'none'"
    assert "Expires" not in headers


def test_other_files_are_attachments_in_a_sandbox(app, published):
    with fetch(app.test_client(), public_url(published["Public slides"])) as response:
        headers = response.headers

    assert response.status_code == 200
    assert headers["Content-Type"] == "application/vnd.openxmlformats-officedocument.presentationml.presentation"
    assert headers["Content-Disposition"] == 'attachment; filename="Lysark.pptx"'
    assert headers["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert headers["X-Content-Type-Options"] == "nosniff"


def test_conditional_and_range_requests(app, published):
    client = app.test_client()
    url = public_url(published["Public PDF"])
    size = len(sample_files.pdf_bytes("Bærum"))
    with fetch(client, url) as first:
        etag = first.headers["ETag"]

    with fetch(client, url, headers={"If-None-Match": etag}) as unchanged:
        assert unchanged.status_code == 304
        assert unchanged.get_data() == b""
    with fetch(client, url, headers={"Range": "bytes=0-99"}) as part:
        assert part.status_code == 206
        assert part.get_data() == sample_files.pdf_bytes("Bærum")[:100]
        assert part.headers["Content-Range"] == f"bytes 0-99/{size}"
        assert part.headers["Content-Length"] == "100"
    with fetch(client, url, headers={"Range": f"bytes={size + 10}-"}) as beyond:
        assert beyond.status_code == 416


def test_a_wrong_name_redirects_to_the_right_one_and_an_unknown_id_is_not_found(app, published):
    client = app.test_client()
    file_id, name = published["Public PDF"]

    with fetch(client, f"/materials/{file_id}/old-name.pdf") as renamed:
        assert renamed.status_code == 301
        assert renamed.headers["Location"] == f"/materials/{file_id}/{quote(name)}"
    assert status_of(client, f"/materials/{file_id + 1000}/{quote(name)}") == 404


def test_who_may_download_what(app, client, published, webinar, create_account, log_in):
    tokens = webinar.tokens
    with app.app_context():
        from eventapp.registrations.queries import by_token

        registration_services.cancel_registration(by_token(tokens["ola@example.org"]).id)
    confirmed, cancelled = tokens["emma@example.org"], tokens["ola@example.org"]
    anonymous = app.test_client()

    def attendee_url(token: str, title: str) -> str:
        file_id, name = published[title]
        return f"/r/{token}/materials/{file_id}/{quote(name)}"

    # Anyone: public files only; the others are "not found" rather than "forbidden".
    assert status_of(anonymous, public_url(published["Public PDF"])) == 200
    assert status_of(anonymous, public_url(published["Registered PDF"])) == 404
    assert status_of(anonymous, public_url(published["Internal PDF"])) == 404
    # A confirmed attendee through their own link: public and registered-only files, never cached by proxies.
    with fetch(anonymous, attendee_url(confirmed, "Registered PDF")) as theirs:
        assert theirs.status_code == 200
        assert theirs.headers["Cache-Control"] == "private, no-store"
        assert theirs.get_data() == sample_files.pdf_bytes("Deltakere")
    assert status_of(anonymous, attendee_url(confirmed, "Public PDF")) == 200
    assert status_of(anonymous, attendee_url(confirmed, "Internal PDF")) == 404
    # A cancelled registration's link: public files only. A link that never was: an explanation, 404.
    assert status_of(anonymous, attendee_url(cancelled, "Public PDF")) == 200
    assert status_of(anonymous, attendee_url(cancelled, "Registered PDF")) == 404
    with fetch(anonymous, attendee_url("A" * 32, "Public PDF")) as unknown:
        assert unknown.status_code == 404
        assert "This link is not valid." in unknown.get_data(as_text=True)
    # The event's organisers: every file, private. Another owner_client: forbidden.
    for title in ("Public PDF", "Registered PDF", "Internal PDF"):
        file_id, _ = published[title]
        with fetch(client, f"/manage/events/{webinar.id}/materials/files/{file_id}") as mine:
            assert mine.status_code == 200, title
            assert mine.headers["Cache-Control"] == "private, no-store"
    create_account("nils@example.org")
    stranger = app.test_client()
    log_in(stranger, "nils@example.org")
    file_id, _ = published["Internal PDF"]
    assert status_of(stranger, f"/manage/events/{webinar.id}/materials/files/{file_id}") == 403


def test_only_the_current_version_is_public_but_organisers_get_every_version(app, owner_client, webinar, published):
    material_id = material_ids(app, webinar.id)["Public PDF"]
    old = published["Public PDF"]
    page = f"/manage/events/{webinar.id}/materials/{material_id}/edit"
    from tests.materials.material_helpers import form_token

    token = form_token(owner_client.get(page).get_data(as_text=True))
    replaced = owner_client.post(f"/manage/events/{webinar.id}/materials/{material_id}/versions",
                              data={"version-csrf_token": token,
                                    "version-file": (_bytes(sample_files.pdf_bytes("Ny")), "Ny versjon.pdf")},
                              content_type="multipart/form-data")  # fmt: skip
    new = current_file(app, material_id)
    anonymous = app.test_client()

    assert replaced.status_code == 303
    assert status_of(anonymous, public_url(old)) == 404
    assert status_of(anonymous, public_url(new)) == 200
    for file_id, _ in (old, new):
        assert status_of(owner_client, f"/manage/events/{webinar.id}/materials/files/{file_id}") == 200


def test_withdrawn_unpublished_and_hidden_sections_are_not_found(app, owner_client, webinar, published):
    ids = material_ids(app, webinar.id)
    anonymous = app.test_client()
    slides = public_url(published["Public slides"])
    pdf = public_url(published["Public PDF"])
    edit = f"/manage/events/{webinar.id}/materials/{ids['Public PDF']}/edit"

    post_form(owner_client, webinar.materials_url, f"{webinar.materials_url}/{ids['Public slides']}/withdraw")
    post_form(owner_client, edit, edit, title="Public PDF", visibility="public")  # "published" switched off
    assert status_of(anonymous, slides) == 404
    assert status_of(anonymous, pdf) == 404
    post_form(owner_client, edit, edit, title="Public PDF", visibility="public", published="y")
    assert status_of(anonymous, pdf) == 200
    post_form(owner_client, webinar.materials_url, f"{webinar.materials_url}/unpublish")
    assert status_of(anonymous, pdf) == 404


def test_files_of_a_draft_event_are_not_served(app, owner_client, webinar, published):
    with app.app_context():
        from eventapp.events.enums import EventStatus
        from eventapp.events.models import Event

        db.session.get(Event, webinar.id).status = EventStatus.DRAFT
        db.session.commit()

    assert status_of(app.test_client(), public_url(published["Public PDF"])) == 404


@pytest.mark.parametrize(
    ("name", "fallback"),
    [
        ("Lysark.pptx", "Lysark.pptx"),
        ("Åpning og velkommen.pdf", "Apning og velkommen.pdf"),
        ("Презентация.pdf", "download.pdf"),
        ('Rapport "endelig"; v2.pdf', "Rapport endelig v2.pdf"),
    ],
)
def test_the_ascii_name_for_old_clients(name, fallback):
    assert ascii_name(name) == fallback
    header = content_disposition(name, inline=False)
    assert header.startswith(f'attachment; filename="{fallback}"')
    assert parse_options_header(header)[1]["filename"] == name


def _bytes(data: bytes):
    import io

    return io.BytesIO(data)
