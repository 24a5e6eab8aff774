"""Uploads: the rules every file follows on its way in, whoever sends it (a speaker through their link,
or an organiser), and the versions of a material's file. The organisers' other work on materials
(links, publishing, the follow-up mail) is in ``services.py``; reads in ``queries.py``. A speaker's own
slides (the portal's uploads) are in ``speakers/slides.py``, which uses these rules.

An upload is streamed into storage under its hash; it is kept only if its bytes are a type allowed for
the material (told from the bytes), it is not empty and not over ``MAX_UPLOAD_MB``. A refused upload, and
an accepted one whose database row cannot be written, leave nothing behind: no row, and no file that no
row points to.
"""

from __future__ import annotations

import logging
import unicodedata
from dataclasses import dataclass
from typing import BinaryIO, Protocol

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from eventapp.accounts import audit
from eventapp.accounts.models import User
from eventapp.db import utcnow
from eventapp.errors import NotFound, ValidationFailed
from eventapp.extensions import db
from eventapp.materials import filetypes
from eventapp.materials.enums import MaterialKind
from eventapp.materials.models import Material, MaterialFile
from eventapp.materials.storage import Empty, StoredFile, TooLarge, storage_for

log = logging.getLogger(__name__)


class Uploader(Protocol):
    """A speaker, as uploads see one: speakers stand above materials (docs/ARCHITECTURE.md, "Layers")."""

    @property
    def id(self) -> int: ...

    @property
    def name(self) -> str: ...


#: The longest file name kept (the extension is kept whole).
NAME_MAX = 200


@dataclass(frozen=True)
class Upload:
    """A file as it arrives: its bytes (a stream, read once) and the name the person's computer gave it."""

    stream: BinaryIO
    filename: str


def clean_filename(name: str, file_type: filetypes.FileType) -> str:
    """A name to show and to offer in downloads: no folders, no control characters, at most ``NAME_MAX``
    characters, ending in the extension of the type the bytes really are. Never used on disk."""
    name = unicodedata.normalize("NFC", name or "")
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C" and ch not in '"<>|:*?').strip(" .")
    stem = name.rsplit(".", 1)[0] if "." in name else name
    stem = stem.strip(" .") or "file"
    suffix = "." + file_type.extension
    return stem[: NAME_MAX - len(suffix)].rstrip(" .") + suffix


def max_upload_bytes() -> int:
    return int(current_app.config["MAX_UPLOAD_MB"]) * 1024 * 1024


def too_large_message() -> str:
    return str(_l("The file is larger than %(mb)s MB. Please make it smaller (for example, export the slides as "
                  "PDF, or compress the pictures) and try again.", mb=current_app.config["MAX_UPLOAD_MB"]))  # fmt: skip


def store(upload: Upload, allowed: tuple[filetypes.FileType, ...]) -> tuple[StoredFile, filetypes.FileType]:
    """Put the upload into storage if it is acceptable; else ValidationFailed on the ``file`` field."""
    found: list[filetypes.FileType] = []

    def check(path) -> None:
        found.append(filetypes.identify(path, allowed))

    try:
        stored = storage_for(current_app).save(upload.stream, max_bytes=max_upload_bytes(), check=check)
    except TooLarge as exc:
        raise ValidationFailed("file", too_large_message()) from exc
    except Empty as exc:
        raise ValidationFailed("file", str(_l("The file is empty. Please choose the file again."))) from exc
    except filetypes.Refused as exc:
        raise ValidationFailed("file", exc.message) from exc
    except OSError as exc:  # the disk is full, read-only, or the upload folder cannot be written
        log.error("upload could not be stored in %s: %s", current_app.config["UPLOAD_FOLDER"], exc)
        raise ValidationFailed("file", str(_l("The file was NOT saved: the server cannot store files at the moment. "
                                              "Please try again later."))) from exc  # fmt: skip
    return stored, found[0]


def forget_unless_used(sha256: str) -> None:
    """Delete a stored file that no row points to (after a failed transaction, or a purge)."""
    used = db.session.scalar(select(func.count()).select_from(MaterialFile).where(MaterialFile.sha256 == sha256))
    if not used:
        storage_for(current_app).delete(sha256)


def add_version(
    material: Material,
    upload: Upload,
    *,
    by_user: User | None = None,
    by_speaker: Uploader | None = None,
) -> MaterialFile:
    """Store ``upload`` as the newest version of ``material``'s file (a withdrawn file comes back with it).
    The caller commits; if the commit fails, call ``forget_unless_used`` with the returned hash."""
    allowed = filetypes.SLIDE_TYPES if material.kind is MaterialKind.SLIDES else filetypes.DOCUMENT_TYPES
    stored, file_type = store(upload, allowed)
    return new_version(material, stored, file_type, upload.filename, by_user=by_user, by_speaker=by_speaker)


def new_version(
    material: Material,
    stored: StoredFile,
    file_type: filetypes.FileType,
    filename: str,
    *,
    by_user: User | None,
    by_speaker: Uploader | None,
) -> MaterialFile:
    version = MaterialFile(
        sha256=stored.sha256,
        size=stored.size,
        file_type=file_type.key,
        content_type=file_type.content_type,
        original_name=clean_filename(filename, file_type),
        uploaded_by_user_id=by_user.id if by_user else None,
        uploaded_by_speaker_id=by_speaker.id if by_speaker else None,
    )
    material.files.append(version)
    material.withdrawn_at = None
    return version


def commit_with_file(version: MaterialFile) -> None:
    """Commit the transaction that added ``version``; if that fails, its file leaves storage too."""
    try:
        db.session.commit()
    except BaseException:
        db.session.rollback()
        forget_unless_used(version.sha256)
        raise


def withdraw(material_id: int, *, by_user: User | None = None, by_speaker: Uploader | None = None) -> Material:
    """Take a material's file off the pages; its versions stay for the organisers."""
    material = db.session.get(Material, material_id)
    if material is None or (by_speaker is not None and material.speaker_id != by_speaker.id):
        raise NotFound()
    if material.withdrawn_at is None:
        material.withdrawn_at = utcnow()
        audit.record("material.withdrawn", actor=by_user, event_id=material.event_id, material_id=material.id,
                     role=None if by_user else audit.AuditRole.SPEAKER, speaker=by_speaker.name if by_speaker else None,
                     kind=audit.value(material.kind), title=material.title)  # fmt: skip
    db.session.commit()
    return material
