"""A material's file as a download: the headers every download carries, whoever serves it (the public and
attendee downloads in ``views.py``, the back office's versions in ``manage/material_views.py``)."""

from __future__ import annotations

import logging
import re
import unicodedata
from urllib.parse import quote

from flask import Response, abort, current_app, send_file

from eventapp.materials.queries import Download
from eventapp.materials.storage import storage_for

log = logging.getLogger(__name__)

#: A file's own policy: it is a document, never a page of this site, so it may load and run nothing.
FILE_POLICY = "default-src 'none'; sandbox"
#: PDFs open in the browser's viewer, which Safari does not start inside a sandbox (the page stays empty)
#: and Chrome runs apart from the page's policy anyway; the bytes were checked to be a PDF, and nosniff
#: keeps any browser from reading them as anything else.
PDF_POLICY = "default-src 'none'"
PUBLIC_CACHE = "public, max-age=3600"
PRIVATE_CACHE = "private, no-store"

#: Letters that Unicode does not decompose, written the way Nordic names are in plain ASCII.
_ASCII_LETTERS = str.maketrans({"æ": "ae", "Æ": "AE", "ø": "o", "Ø": "O", "ß": "ss", "þ": "th", "Þ": "Th",
                                "ð": "d", "Ð": "D", "đ": "d", "Đ": "D", "ł": "l", "Ł": "L", "œ": "oe",
                                "Œ": "OE"})  # fmt: skip


def ascii_name(name: str) -> str:
    """A plain-ASCII stand-in for ``name`` for clients that do not read ``filename*``."""

    def simple(part: str) -> str:
        part = unicodedata.normalize("NFKD", part.translate(_ASCII_LETTERS)).encode("ascii", "ignore").decode()
        return re.sub(r"\s+", " ", re.sub(r"[^A-Za-z0-9._()+-]+", " ", part)).strip(" .")

    stem, dot, extension = name.rpartition(".")
    if not dot:
        stem, extension = name, ""
    stem, extension = simple(stem), simple(extension)
    if not re.search(r"[A-Za-z0-9]", stem):
        stem = "download"
    return f"{stem}.{extension}" if extension else stem


def content_disposition(name: str, *, inline: bool) -> str:
    """``attachment`` (or ``inline``) with the file's name per RFC 6266 and RFC 8187 (ex 5987)."""
    kind = "inline" if inline else "attachment"
    fallback = ascii_name(name)
    if fallback == name:
        return f'{kind}; filename="{fallback}"'
    return f"{kind}; filename=\"{fallback}\"; filename*=UTF-8''{quote(name, safe='!#$&+-.^_`|~')}"


def file_response(found: Download, *, cache: str) -> Response:
    """The file's bytes with the headers every download carries."""
    file = found.file
    store = storage_for(current_app)
    if not store.exists(file.sha256):
        log.error("material file %s (sha256 %s) is missing from storage", file.id, file.sha256)
        abort(404)
    response = send_file(
        store.path(file.sha256),
        mimetype=file.content_type,
        conditional=True,
        etag=file.sha256,
        last_modified=file.uploaded_at,
        max_age=0,
    )
    is_pdf = file.file_type == "pdf"
    response.headers["Content-Disposition"] = content_disposition(file.original_name, inline=is_pdf)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = PDF_POLICY if is_pdf else FILE_POLICY
    response.headers["Cache-Control"] = cache
    response.headers.pop("Expires", None)
    return response
