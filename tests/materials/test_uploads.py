"""Uploading slides: versions kept, refusals leave nothing behind on disk or in the database."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from eventapp.errors import ValidationFailed
from eventapp.extensions import db
from eventapp.materials import filetypes, uploads
from eventapp.materials.models import Material, MaterialFile
from eventapp.materials.storage import storage_for
from eventapp.speakers import slides
from eventapp.speakers.models import Speaker
from tests import sample_files


@pytest.fixture
def speaker(app, create_event):
    """(speaker id, their agenda item id) on an event with one item and one speaker."""
    event = create_event(agenda=1, speakers_per_item=1)
    with app.app_context():
        person = db.session.scalars(db.select(Speaker).where(Speaker.event_id == event.id)).one()
        return person.id, person.agenda_links[0].agenda_item_id


def kept_files(app) -> list[str]:
    with app.app_context():
        return sorted(storage_for(app).all_hashes())


def leftovers(app) -> list[Path]:
    with app.app_context():
        tmp = storage_for(app).tmp
    return list(tmp.iterdir()) if tmp.exists() else []


def counts(app) -> tuple[int, int]:
    with app.app_context():
        return (
            db.session.scalar(db.select(db.func.count()).select_from(Material)),
            db.session.scalar(db.select(db.func.count()).select_from(MaterialFile)),
        )


def upload(app, speaker, data: bytes, name: str):
    speaker_id, item_id = speaker
    with app.app_context():
        version = slides.upload_slides(speaker_id, item_id, uploads.Upload(io.BytesIO(data), name))
        return version.id, version.original_name, version.file_type, version.sha256


def test_a_speaker_uploads_then_replaces_and_every_version_is_kept(app, speaker):
    first = upload(app, speaker, sample_files.pdf_bytes("Versjon 1"), "Innlegg Bergen.pdf")
    second = upload(app, speaker, sample_files.pptx_bytes(), "Innlegg Bergen v2.pptx")
    assert first[1:3] == ("Innlegg Bergen.pdf", "pdf")
    assert second[1:3] == ("Innlegg Bergen v2.pptx", "pptx")
    assert counts(app) == (1, 2)  # one material, two versions
    with app.app_context():
        material = db.session.scalars(db.select(Material)).one()
        assert material.current_file.id == second[0]
        assert material.published is False  # organisers publish after the event
    assert kept_files(app) == sorted([first[3], second[3]])


def test_the_name_comes_from_the_person_but_the_extension_from_the_bytes(app, speaker):
    _, name, file_type, _ = upload(app, speaker, sample_files.pdf_bytes(), "../../etc/passwd")
    assert (name, file_type) == ("passwd.pdf", "pdf")
    long_name = "Презентация-" + "æøå" * 100 + ".pptx"
    _, name, _, _ = upload(app, speaker, sample_files.pdf_bytes("to"), long_name)
    assert len(name) <= 200
    assert name.endswith(".pdf")  # the bytes are a PDF, whatever the name said
    assert name.startswith("Презентация-æøå")


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (sample_files.executable_bytes(), "slides.pdf", "This file is not a kind we accept here."),
        (sample_files.zip_bomb_pptx_bytes(), "slides.pptx", "unpacks to far more than its size"),
        (b"", "slides.pdf", "The file is empty."),
    ],
)
def test_a_refused_file_leaves_nothing_behind(app, speaker, data, name, message):
    with pytest.raises(ValidationFailed) as refused:
        upload(app, speaker, data, name)
    assert refused.value.field == "file"
    assert message in refused.value.message
    assert counts(app) == (0, 0)
    assert kept_files(app) == []
    assert leftovers(app) == []


def test_a_file_one_byte_over_the_limit_is_refused_and_at_the_limit_accepted(app, speaker):
    limit = app.config["MAX_UPLOAD_MB"] * 1024 * 1024
    pdf = sample_files.pdf_bytes()
    padded = pdf[:-6] + b" " * (limit - len(pdf)) + pdf[-6:]  # a PDF of exactly the limit
    assert len(padded) == limit
    with pytest.raises(ValidationFailed) as refused:
        upload(app, speaker, padded[:-6] + b" " + padded[-6:], "big.pdf")
    assert f"larger than {app.config['MAX_UPLOAD_MB']} MB" in refused.value.message
    assert counts(app) == (0, 0)
    assert kept_files(app) == []
    assert upload(app, speaker, padded, "big.pdf")[2] == "pdf"


def test_a_failed_commit_takes_the_stored_file_away_again(app, speaker, monkeypatch):
    def broken_commit():
        raise RuntimeError("database went away")

    with app.app_context():
        monkeypatch.setattr(db.session, "commit", broken_commit)
        with pytest.raises(RuntimeError):
            slides.upload_slides(*speaker, uploads.Upload(io.BytesIO(sample_files.pdf_bytes()), "a.pdf"))
        monkeypatch.undo()
    assert counts(app) == (0, 0)
    assert kept_files(app) == []


def test_withdrawn_slides_leave_the_page_but_the_versions_stay(app, speaker):
    upload(app, speaker, sample_files.pdf_bytes(), "a.pdf")
    with app.app_context():
        material_id = db.session.scalars(db.select(Material.id)).one()
        uploads.withdraw(material_id)
        assert db.session.get(Material, material_id).current_file is None
    assert counts(app) == (1, 1)
    upload(app, speaker, sample_files.pdf_bytes("ny"), "b.pdf")
    with app.app_context():
        assert db.session.get(Material, material_id).current_file.original_name == "b.pdf"


def test_only_the_speakers_own_agenda_items_take_their_slides(app, speaker, create_event):
    speaker_id, _ = speaker
    other = create_event(agenda=1)
    with app.app_context():
        from eventapp.agenda.models import AgendaItem

        foreign_item = db.session.scalars(db.select(AgendaItem.id).where(AgendaItem.event_id == other.id)).one()
    with pytest.raises(ValidationFailed):
        upload(app, (speaker_id, foreign_item), sample_files.pdf_bytes(), "a.pdf")
    assert kept_files(app) == []


def test_slide_types_do_not_include_spreadsheets(app):
    assert filetypes.XLSX not in filetypes.SLIDE_TYPES


@pytest.mark.postgres_only
def test_two_first_uploads_at_once_make_one_deck_with_two_versions(app, speaker):
    """A speaker on a slow connection presses Upload twice, or a colleague uploads for them at the same
    moment: both files are kept, as versions of one deck."""
    import threading

    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def upload_one(text: str) -> None:
        try:
            with app.app_context():
                barrier.wait()
                slides.upload_slides(*speaker, uploads.Upload(io.BytesIO(sample_files.pdf_bytes(text)), f"{text}.pdf"))
                db.session.remove()
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=upload_one, args=(text,)) for text in ("first", "second")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    assert counts(app) == (1, 2)
    assert len(kept_files(app)) == 2
