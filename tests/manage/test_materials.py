"""An event's materials in the back office: adding, refusing bad input, versions, deleting, reordering, a
fixed number of queries, and publishing with the follow-up mail, which goes once."""

from __future__ import annotations

import re
import threading
from html import unescape
from urllib.parse import urlsplit

import pytest
from sqlalchemy import func, select

from eventapp.accounts.models import User
from eventapp.extensions import db
from eventapp.mail.models import OutboxMessage
from eventapp.materials import services as material_services
from eventapp.materials.enums import MaterialKind
from eventapp.materials.models import Material, MaterialFile
from tests import sample_files
from tests.mail.test_worker import drain
from tests.materials.material_helpers import (
    add_link,
    form_token,
    material_ids,
    materials_of,
    post_form,
    stored_files,
    upload,
)
from tests.registrations.conftest import text_of

pytest_plugins = ["tests.materials.material_fixtures"]  # the webinar and owner_client fixtures


def error_at(html: str, field_id: str) -> str:
    """The message shown under one field."""
    match = re.search(rf'<p class="field__error" id="{field_id}-error">(.*?)</p>', html, re.S)
    assert match, f"no error at {field_id}"
    return text_of(match.group(1)).removeprefix("Error: ")


def rows_in_order(html: str) -> list[str]:
    """The material titles of the list, top to bottom."""
    table = html.split('<table class="data-table materials-table">', 1)[1].split("</table>", 1)[0]
    return [text_of(m) for m in re.findall(r'<th scope="row">.*?<span lang="[a-z]+">(.*?)</span>', table, re.S)]


def test_the_materials_page_is_a_tab_of_the_event_and_closed_to_other_organisers(app, owner_client, webinar,
                                                                                   create_account, log_in):  # fmt: skip
    page = owner_client.get(webinar.materials_url)
    create_account("nils@example.org")
    stranger = app.test_client()
    log_in(stranger, "nils@example.org")

    assert page.status_code == 200
    assert f'<a href="{webinar.materials_url}" aria-current="page">Materials</a>' in page.get_data(as_text=True)
    assert page.headers["Cache-Control"] == "private, no-store"
    assert stranger.get(webinar.materials_url).status_code == 403
    token = form_token(stranger.get("/manage/").get_data(as_text=True))
    refused = stranger.post(f"{webinar.materials_url}/links", data={
        "link-csrf_token": token, "link-kind": "link", "link-title": "x", "link-url": "https://www.example.org",
        "link-visibility": "public"})  # fmt: skip
    assert refused.status_code == 403
    assert materials_of(app, webinar.id) == []


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("http://padlet.com/example/board", "Please use the secure address: it starts with https://, not http://."),
        ("javascript:alert(document.cookie)", "Only web addresses that start with https:// are accepted here."),
        ("data:text/html,<script>alert(1)</script>", "Only web addresses that start with https:// are accepted here."),
        ("https://", "This is not a complete web address."),
        ("https://padlet.com/" + "x" * 1000, "The address is longer than 1000 characters."),
    ],
)
def test_an_address_that_is_not_https_is_refused_at_the_field(app, owner_client, webinar, url, message):
    response = owner_client.post(webinar.materials_url + "/links", data={
        "link-csrf_token": form_token(owner_client.get(webinar.materials_url).get_data(as_text=True)),
        "link-kind": "board", "link-title": "Padlet", "link-url": url, "link-visibility": "public",
    })  # fmt: skip
    html = response.get_data(as_text=True)

    assert response.status_code == 400
    assert error_at(html, "link-url").startswith(message)
    assert 'value="Padlet"' in html  # what was typed stays
    assert materials_of(app, webinar.id) == []


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (sample_files.executable_bytes(), "Rapport.pdf", "This file is not a kind we accept here."),
        (b"", "Tom.pdf", "The file is empty. Please choose the file again."),
        (sample_files.zip_bomb_pptx_bytes(), "Lysark.pptx", "This file unpacks to far more than its size"),
    ],
)
def test_a_refused_upload_gets_a_message_at_the_field_and_leaves_nothing(app, owner_client, webinar, content, name,
                                                                         message):  # fmt: skip
    response = upload(owner_client, webinar.id, content, name, title="Rapport")
    html = response.get_data(as_text=True)

    assert response.status_code == 400
    assert error_at(html, "file-file").startswith(message)
    assert materials_of(app, webinar.id) == []
    assert stored_files(app) == []


def test_a_file_over_the_limit_is_refused_and_leaves_nothing(app, owner_client, webinar, monkeypatch):
    monkeypatch.setitem(app.config, "MAX_UPLOAD_MB", 1)
    pdf = sample_files.pdf_bytes()
    too_big = pdf[:-6] + b" " * (1024 * 1024 - len(pdf) + 1) + pdf[-6:]  # one byte over 1 MB

    response = upload(owner_client, webinar.id, too_big, "Stor.pdf")

    assert response.status_code == 400
    assert error_at(response.get_data(as_text=True), "file-file").startswith("The file is larger than 1 MB.")
    assert materials_of(app, webinar.id) == []
    assert stored_files(app) == []


def test_an_upload_without_a_title_takes_the_files_name(app, owner_client, webinar):
    response = upload(owner_client, webinar.id, sample_files.pdf_bytes(), "../../Veileder for innkjøpere.pdf")

    assert response.status_code == 303
    assert materials_of(app, webinar.id) == [("document", "Veileder for innkjøpere", 1)]


def test_versions_are_listed_for_organisers_and_deleting_removes_rows_then_unused_files(app, owner_client, webinar):
    shared = sample_files.pdf_bytes("Delt")
    upload(owner_client, webinar.id, sample_files.pdf_bytes("Versjon 1"), "Rapport v1.pdf", title="Rapport")
    upload(owner_client, webinar.id, shared, "Vedlegg.pdf", title="Vedlegg")
    material_id = material_ids(app, webinar.id)["Rapport"]
    edit = f"/manage/events/{webinar.id}/materials/{material_id}/edit"
    replaced = owner_client.post(f"/manage/events/{webinar.id}/materials/{material_id}/versions", data={
        "version-csrf_token": form_token(owner_client.get(edit).get_data(as_text=True)),
        "version-file": (_stream(shared), "Rapport v2.pdf"),  # the same bytes as another material's file
    }, content_type="multipart/form-data")  # fmt: skip
    assert replaced.status_code == 303
    listing = owner_client.get(webinar.materials_url).get_data(as_text=True)
    with app.app_context():
        version_ids = list(db.session.scalars(select(MaterialFile.id).where(MaterialFile.material_id == material_id)
                                              .order_by(MaterialFile.id)))  # fmt: skip
    assert len(stored_files(app)) == 2

    confirm = owner_client.get(f"/manage/events/{webinar.id}/materials/{material_id}/remove")
    deleted = post_form(
        owner_client, webinar.materials_url, f"/manage/events/{webinar.id}/materials/{material_id}/remove"
    )

    assert "2 versions" in text_of(listing)
    for version_id in version_ids:  # a download link to every version
        assert f'href="/manage/events/{webinar.id}/materials/files/{version_id}"' in listing
    assert "All 2 versions of its file are deleted for good." in text_of(confirm.get_data(as_text=True))
    assert deleted.status_code == 303
    assert materials_of(app, webinar.id) == [("document", "Vedlegg", 1)]
    assert len(stored_files(app)) == 1  # version 1 went; the bytes "Vedlegg" still uses stayed
    assert "The material and its files were deleted." in text_of(owner_client.get(deleted.headers["Location"])
                                                                 .get_data(as_text=True))  # fmt: skip


def test_editing_keeps_the_rules_and_withdrawing_keeps_the_versions(app, owner_client, webinar):
    add_link(owner_client, webinar.id, kind="board", title="Miro", url="https://miro.com/app/board/abc=/")
    upload(owner_client, webinar.id, sample_files.pdf_bytes(), "Rapport.pdf", title="Rapport")
    ids = material_ids(app, webinar.id)
    board = f"/manage/events/{webinar.id}/materials/{ids['Miro']}/edit"

    refused = post_form(owner_client, board, board, title="Miro-tavle", url="http://miro.com/x", visibility="public")
    saved = post_form(owner_client, board, board, title="Miro-tavle", url="https://miro.com/app/board/def=/",
                      visibility="registered", published="y", agenda_item_id=str(webinar.item_ids[0]))  # fmt: skip
    withdrawn = post_form(owner_client, webinar.materials_url,
                          f"{webinar.materials_url}/{ids['Rapport']}/withdraw")  # fmt: skip
    listing = text_of(owner_client.get(webinar.materials_url).get_data(as_text=True))

    assert refused.status_code == 400
    assert error_at(refused.get_data(as_text=True), "url").startswith("Please use the secure address")
    assert saved.status_code == 303
    with app.app_context():
        board_row = db.session.get(Material, ids["Miro"])
        assert (board_row.title, board_row.url, board_row.visibility.value, board_row.agenda_item_id) == (
            "Miro-tavle", "https://miro.com/app/board/def=/", "registered", webinar.item_ids[0])  # fmt: skip
    assert withdrawn.status_code == 303
    assert "No: file withdrawn" in listing
    assert materials_of(app, webinar.id)[1] == ("document", "Rapport", 1)  # the version stays


def test_moving_changes_the_order_within_a_group_only(app, owner_client, webinar):
    for title in ("First link", "Second link", "Third link"):
        add_link(owner_client, webinar.id, kind="link", title=title, url="https://www.example.org/" + title[:5])
    add_link(owner_client, webinar.id, kind="recording", title="Recording", url="https://vimeo.com/123456")
    ids = material_ids(app, webinar.id)
    move = f"{webinar.materials_url}/{ids['Third link']}/move"

    before = rows_in_order(owner_client.get(webinar.materials_url).get_data(as_text=True))
    post_form(owner_client, webinar.materials_url, move, direction="up")
    post_form(owner_client, webinar.materials_url, move, direction="up")
    post_form(owner_client, webinar.materials_url, move, direction="up")  # already first of the links: stays
    html = owner_client.get(webinar.materials_url).get_data(as_text=True)
    refused = post_form(owner_client, webinar.materials_url, move, direction="sideways")

    assert before == ["Recording", "First link", "Second link", "Third link"]
    assert rows_in_order(html) == ["Recording", "Third link", "First link", "Second link"]
    assert refused.status_code == 400


def test_the_list_costs_the_same_queries_for_2_or_20_materials(app, client, create_event, create_account, log_in,
                                                               count_queries):  # fmt: skip
    owner = create_account("owner@example.org")
    log_in(client, "owner@example.org")
    counts = []
    for size in (2, 20):
        event = create_event(created_by_id=owner.id, agenda=3, speakers_per_item=1)
        with app.app_context():
            actor = db.session.get(User, owner.id)
            for n in range(size):
                data = material_services.MaterialData(kind=MaterialKind.DOCUMENT, title=f"Document {n}")
                material_services.create_file_material(event.id, data, _upload(n), actor=actor)
        with count_queries() as counter:
            html = client.get(f"/manage/events/{event.id}/materials").get_data(as_text=True)
        assert len(rows_in_order(html)) == size
        counts.append(counter.count)

    assert counts[0] == counts[1], counts


def test_publishing_asks_first_and_the_follow_up_mail_goes_once(app, mail_app, smtp_server, owner_client, webinar):
    drain(mail_app)  # the sign-up confirmations
    smtp_server.inbox.messages.clear()
    upload(owner_client, webinar.id, sample_files.pdf_bytes(), "Veileder.pdf", title="Veileder")
    upload(owner_client, webinar.id, sample_files.pdf_bytes("Kun"), "Deltakerliste.pdf", title="For attendees",
           visibility="registered")  # fmt: skip
    add_link(owner_client, webinar.id, kind="recording", title="Opptak", url="https://youtu.be/dQw4w9WgXcQ")
    add_link(owner_client, webinar.id, kind="link", title="Internal notes", url="https://www.example.org/notes",
             visibility="organisers")  # fmt: skip
    publish_url = f"/manage/events/{webinar.id}/materials/publish"

    confirm = text_of(owner_client.get(publish_url).get_data(as_text=True))
    assert "2 confirmed attendees get the follow-up mail with the links, once." in confirm
    assert "Not shown" in confirm
    assert "Internal notes" in confirm
    published = post_form(owner_client, publish_url, publish_url)
    assert published.status_code == 303
    assert "on its way to 2 confirmed attendees" in text_of(owner_client.get(published.headers["Location"])
                                                            .get_data(as_text=True))  # fmt: skip
    drain(mail_app)
    post_form(owner_client, webinar.materials_url, f"{webinar.materials_url}/unpublish")
    post_form(owner_client, publish_url, publish_url)
    post_form(owner_client, publish_url, publish_url)
    drain(mail_app)

    messages = {str(m["To"].addresses[0].addr_spec): m for m in smtp_server.inbox.messages}
    assert sorted(messages) == ["emma@example.org", "ola@example.org"]  # once each, after three publications
    emma = messages["emma@example.org"].get_body(("plain",)).get_content()
    ola = messages["ola@example.org"].get_body(("plain",)).get_content()
    assert messages["emma@example.org"]["Subject"] == f"Materials: {webinar.title}"
    assert emma.startswith("Hello Emma,")
    assert ola.startswith("Hei, Ola!")  # in the attendee's own language
    assert "Påmeldingen din" in ola
    assert "https://youtu.be/dQw4w9WgXcQ" in emma  # the address as the organiser gave it
    assert "Internal notes" not in emma
    # The registered-only file links through Emma's own link, and the link works; public ones need none.
    public_link = re.search(r"http://eventapp\.test(/materials/\d+/Veileder\.pdf)", emma)
    own_link = re.search(r"http://eventapp\.test(/r/[A-Za-z0-9_-]+/materials/\d+/Deltakerliste\.pdf)", emma)
    assert public_link
    assert own_link
    anonymous = app.test_client()
    for path in (public_link.group(1), own_link.group(1)):
        response = anonymous.get(path)
        assert response.status_code == 200, path
        response.close()
    html = messages["emma@example.org"].get_body(("html",)).get_content()
    assert f'href="{unescape(own_link.group(0))}"' in unescape(html)
    listing = text_of(owner_client.get(webinar.materials_url).get_data(as_text=True))
    assert "The follow-up mail went to the confirmed attendees on" in listing
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(OutboxMessage)
                                 .where(OutboxMessage.kind == "materials_followup")) == 2  # fmt: skip


def test_publishing_with_nothing_to_show_is_refused_with_a_reason(app, owner_client, webinar):
    add_link(owner_client, webinar.id, kind="link", title="Draft", url="https://www.example.org/d", published=None)
    publish_url = f"/manage/events/{webinar.id}/materials/publish"

    refused = post_form(owner_client, publish_url, publish_url)

    assert refused.status_code == 409
    assert "No material is ready to show yet." in text_of(refused.get_data(as_text=True))
    with app.app_context():
        from eventapp.events.models import Event

        event = db.session.get(Event, webinar.id)
        assert (event.materials_published_at, event.materials_mail_sent_at) == (None, None)
        assert db.session.scalar(select(func.count()).select_from(OutboxMessage)
                                 .where(OutboxMessage.kind == "materials_followup")) == 0  # fmt: skip


def test_two_organisers_publishing_at_once_send_the_mail_once(app, webinar, create_account):
    with app.app_context():
        owner = db.session.get(User, webinar.owner_id)
        material_services.create_link_material(webinar.id, material_services.MaterialData(
            kind=MaterialKind.BOARD, title="Padlet", url="https://padlet.com/example/board"), actor=owner)  # fmt: skip
    barrier = threading.Barrier(3)
    results, errors = [], []

    def click() -> None:
        try:
            with app.app_context():
                actor = db.session.get(User, webinar.owner_id)
                barrier.wait()
                results.append(material_services.publish_materials(webinar.id, actor=actor).mailed)
                db.session.remove()
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=click) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    assert sorted(results) == [0, 0, 2]
    with app.app_context():
        recipients = db.session.scalars(select(OutboxMessage.recipient_email)
                                        .where(OutboxMessage.kind == "materials_followup"))  # fmt: skip
        assert sorted(recipients) == ["emma@example.org", "ola@example.org"]


def _stream(data: bytes):
    import io

    return io.BytesIO(data)


def _upload(n: int):
    from eventapp.materials.uploads import Upload

    return Upload(_stream(sample_files.pdf_bytes(f"Document {n}")), f"document-{n}.pdf")


def test_links_in_the_list_point_at_their_pages(owner_client, webinar):
    add_link(owner_client, webinar.id, kind="board", title="Padlet", url="https://padlet.com/example/board")

    html = owner_client.get(webinar.materials_url).get_data(as_text=True)
    edit = re.search(r'href="(/manage/events/\d+/materials/\d+/edit)"', html).group(1)

    assert urlsplit(edit).path.endswith("/edit")
    assert owner_client.get(edit).status_code == 200
    assert 'href="https://padlet.com/example/board"' in html
