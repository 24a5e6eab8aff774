"""An upload folder that cannot be written (a real OSError from the file system: a file stands where the
folder must be) gives an honest answer: the file was NOT saved, try again later. Nothing half-stored."""

from __future__ import annotations

import pytest

from eventapp.extensions import db
from eventapp.materials.models import Material
from tests import sample_files
from tests.materials.material_helpers import upload
from tests.registrations.conftest import text_of

pytest_plugins = ["tests.materials.material_fixtures"]  # the webinar and owner_client fixtures


@pytest.fixture
def broken_upload_folder(app, tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the upload folder should be")
    saved = app.config["UPLOAD_FOLDER"]
    app.config["UPLOAD_FOLDER"] = str(blocker / "uploads")
    app.extensions.pop("eventapp_storage", None)  # the app keeps its storage once made: make it again here
    yield
    app.config["UPLOAD_FOLDER"] = saved
    app.extensions.pop("eventapp_storage", None)


def test_an_upload_the_disk_cannot_take_says_the_file_was_not_saved(app, owner_client, webinar, broken_upload_folder):
    response = upload(owner_client, webinar.id, sample_files.pdf_bytes("Agenda"), "Agenda.pdf", title="Agenda")

    assert response.status_code == 400
    page = text_of(response.get_data(as_text=True))
    assert "The file was NOT saved: the server cannot store files at the moment. Please try again later." in page
    assert "nothing you sent has been lost" not in page
    assert 'value="Agenda"' in response.get_data(as_text=True)  # what the organiser typed is kept
    with app.app_context():
        assert db.session.scalars(db.select(Material)).all() == []  # nothing half-written
    health = owner_client.get("/healthz").get_json()
    assert health["uploads"] == "not writable"
