"""The back-office forms for materials used as an organiser's browser uses them, and reads for checking."""

from __future__ import annotations

import io
import re

from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from eventapp.extensions import db
from eventapp.materials.models import Material, MaterialFile
from eventapp.materials.storage import storage_for


def form_token(html: str) -> str:
    """The CSRF token of any form on the page (forms with a prefix name it ``<prefix>-csrf_token``)."""
    match = re.search(r'name="(?:[a-z]+-)?csrf_token" type="hidden" value="([^"]+)"', html)
    assert match, "the page has no CSRF token"
    return match.group(1)


def add_link(client, event_id: int, **fields: str):
    """Send the "add a recording, board or link" form."""
    url = f"/manage/events/{event_id}/materials"
    values = {"kind": "link", "visibility": "public", "published": "y", **fields}
    body = {f"link-{k}": v for k, v in values.items() if v is not None}
    body["link-csrf_token"] = form_token(client.get(url).get_data(as_text=True))
    return client.post(f"{url}/links", data=body)


def upload(client, event_id: int, content: bytes, name: str, **fields: str):
    """Send the "upload a document or slides" form with a file (multipart, as a browser does). The body is
    encoded in memory: the test client would spool a large one to a temporary file it never closes."""
    url = f"/manage/events/{event_id}/materials"
    values = {"kind": "document", "visibility": "public", "published": "y", **fields}
    body: dict = {f"file-{k}": v for k, v in values.items() if v is not None}
    body["file-csrf_token"] = form_token(client.get(url).get_data(as_text=True))
    body["file-file"] = FileStorage(io.BytesIO(content), filename=name, content_type="application/octet-stream")
    boundary, data = encode_multipart(body)
    return client.post(f"{url}/files", data=data, content_type=f"multipart/form-data; boundary={boundary}")


def post_form(client, page_url: str, action: str, **fields: str):
    """A POST of a back-office form, with the CSRF token from ``page_url``."""
    token = form_token(client.get(page_url).get_data(as_text=True))
    return client.post(action, data={"csrf_token": token, **fields})


def publish(client, event_id: int):
    url = f"/manage/events/{event_id}/materials/publish"
    return post_form(client, url, url)


def materials_of(app, event_id: int) -> list[tuple[str, str, int]]:
    """(kind, title, number of file versions) of the event's materials, oldest first."""
    with app.app_context():
        rows = db.session.scalars(db.select(Material).where(Material.event_id == event_id).order_by(Material.id))
        return [(m.kind.value, m.title, len(m.files)) for m in rows]


def material_ids(app, event_id: int) -> dict[str, int]:
    """Title → id of the event's materials."""
    with app.app_context():
        rows = db.session.execute(db.select(Material.title, Material.id).where(Material.event_id == event_id))
        return dict(rows.all())


def current_file(app, material_id: int) -> tuple[int, str]:
    """(file id, original name) of a material's newest version."""
    with app.app_context():
        file = db.session.scalars(
            db.select(MaterialFile).where(MaterialFile.material_id == material_id).order_by(MaterialFile.id.desc())
        ).first()
        return file.id, file.original_name


def stored_files(app) -> list[str]:
    with app.app_context():
        store = storage_for(app)
        leftovers = list(store.tmp.iterdir()) if store.tmp.exists() else []
        assert leftovers == [], leftovers  # no temporary file left behind either
        return sorted(store.all_hashes())
