"""Letters of intent as files: the one place the calls domain uses the upload rules of slides.

Everything about files (bytes sniffed, size limit, stored by hash, never overwritten, nothing left behind
when refused) comes from the speakers package today (it is moving to ``eventapp.materials``): only this
module imports it, so the move changes the imports here and nowhere else in ``eventapp/calls``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import BinaryIO

from flask import Response, current_app, send_file
from sqlalchemy import func, select

from eventapp.calls.models import Application
from eventapp.extensions import db
from eventapp.materials import filetypes
from eventapp.materials.downloads import FILE_POLICY, PDF_POLICY, content_disposition
from eventapp.materials.models import MaterialFile
from eventapp.materials.storage import CHUNK, StoredFile, storage_for
from eventapp.materials.uploads import Upload, clean_filename, store

__all__ = [
    "LETTER_TYPES",
    "StoredLetter",
    "Upload",
    "forget_unless_used",
    "letter_chunks",
    "letter_extension",
    "letter_response",
    "refused_file_types",
    "store_letter",
]  # fmt: skip

#: A letter of intent is a PDF or a Word document (told from its bytes).
LETTER_TYPES = (filetypes.PDF, filetypes.DOCX, filetypes.DOC)


class StoredLetter:
    """An accepted letter in storage: its hash and size, what it is, and its cleaned name."""

    def __init__(self, stored: StoredFile, file_type: filetypes.FileType, name: str) -> None:
        self.sha256 = stored.sha256
        self.size = stored.size
        self.file_type = file_type.key
        self.name = name


def store_letter(upload: Upload) -> StoredLetter:
    """Put the letter into storage if its bytes are PDF or Word and it is within the size limit; else
    ValidationFailed on the ``file`` field (nothing is left behind)."""
    stored, file_type = store(upload, LETTER_TYPES)
    return StoredLetter(stored, file_type, clean_filename(upload.filename, file_type))


def forget_unless_used(sha256: str) -> None:
    """Delete a stored file no letter and no material points to (after a refused or failed change)."""
    letters = db.session.scalar(
        select(func.count()).select_from(Application).where(Application.letter_sha256 == sha256)
    )
    materials = db.session.scalar(select(func.count()).select_from(MaterialFile).where(MaterialFile.sha256 == sha256))
    if not letters and not materials:
        storage_for(current_app).delete(sha256)


def letter_extension(application: Application) -> str:
    found = filetypes.BY_KEY.get(application.letter_file_type)
    return found.extension if found else "bin"


def letter_response(application: Application) -> Response | None:
    """The letter's bytes, inline when a PDF (the browser's viewer), with the headers every download
    carries; None when it is missing from storage."""
    store_ = storage_for(current_app)
    sha256 = application.letter_sha256
    if sha256 is None or not store_.exists(sha256):
        return None
    file_type = filetypes.BY_KEY[application.letter_file_type]
    response = send_file(store_.path(sha256), mimetype=file_type.content_type, conditional=True, etag=sha256,
                         max_age=0)  # fmt: skip
    is_pdf = file_type.key == "pdf"
    response.headers["Content-Disposition"] = content_disposition(application.letter_name, inline=is_pdf)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = PDF_POLICY if is_pdf else FILE_POLICY
    response.headers["Cache-Control"] = "private, no-store"
    response.headers.pop("Expires", None)
    return response


def letter_chunks(sha256: str) -> Iterator[bytes]:
    """A stored letter's bytes in chunks (for the ZIP of letters); nothing when it is missing."""
    store_ = storage_for(current_app)
    if not store_.exists(sha256):
        return
    handle: BinaryIO = store_.open(sha256)
    with handle:
        while chunk := handle.read(CHUNK):
            yield chunk


def refused_file_types() -> str:
    """'PDF, Word' for hints."""
    return ", ".join(dict.fromkeys(t.label.split(" ")[0] for t in LETTER_TYPES))


class _Sink:
    """A write-only, unseekable file for ``zipfile``: what is written waits in a list until taken."""

    def __init__(self) -> None:
        self.parts: list[bytes] = []
        self.written = 0

    def write(self, data: bytes) -> int:
        self.parts.append(bytes(data))
        self.written += len(data)
        return len(data)

    def tell(self) -> int:
        return self.written

    def flush(self) -> None:
        pass

    def take(self) -> bytes:
        data, self.parts = b"".join(self.parts), []
        return data


def zip_of_letters(entries: list[tuple[str, str]]) -> Iterator[bytes]:
    """A ZIP of stored letters, ``entries`` being (name in the ZIP, sha256), made while it is sent: each
    letter is read in chunks and its compressed bytes go out as they are made, so memory does not grow
    with the number or the size of the letters (bench/call_letters_zip.py). Missing files are left out.
    Needs no app context once called (the storage is looked up here)."""
    import zipfile

    store_ = storage_for(current_app)

    def generate() -> Iterator[bytes]:
        sink = _Sink()
        with zipfile.ZipFile(sink, "w", compression=zipfile.ZIP_DEFLATED) as archive:  # type: ignore[call-overload]  # a write-only sink: enough for zipfile, not the IO protocol its stubs ask for
            for name, sha256 in entries:
                if not store_.exists(sha256):
                    continue
                with store_.open(sha256) as source, archive.open(name, "w", force_zip64=True) as target:
                    while chunk := source.read(CHUNK):
                        target.write(chunk)
                        if sink.written and sink.parts:
                            yield sink.take()
                yield sink.take()
        yield sink.take()

    return generate()
