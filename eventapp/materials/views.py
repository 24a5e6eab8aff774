"""Downloading materials' files: publicly from the event page, through an attendee's own link, or (every
version, in the back office) by the event's organisers.

A file is served only while the pages show it: anything else (an unknown id, a withdrawn, older, unpublished
or hidden file, materials not yet published) is a plain 404, so a link does not tell whether a file exists.
Responses carry the stored content type, the original name (RFC 6266 with an ASCII fallback and the UTF-8
name in ``filename*``), ``nosniff``, a CSP that allows nothing, an ETag (the SHA-256) and Last-Modified,
and answer conditional and range requests (304, 206).
"""

from __future__ import annotations

import logging
import re
import unicodedata
from urllib.parse import quote

from flask import Blueprint, Response, abort, current_app, redirect, send_file, url_for
from flask_babel import gettext as _

from eventapp.materials import queries as material_queries
from eventapp.materials.queries import FOR_ATTENDEES, PUBLIC_ONLY, Download
from eventapp.materials.storage import storage_for
from eventapp.registrations import queries as registration_queries
from eventapp.registrations.enums import RegistrationStatus

log = logging.getLogger(__name__)

bp = Blueprint("materials", __name__)
bp.add_app_template_filter(material_queries.describe_file, "describe_file")
bp.add_app_template_filter(material_queries.file_size, "file_size")

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


def _same_name(name: str, found: Download) -> bool:
    return unicodedata.normalize("NFC", name) == found.file.original_name


@bp.get("/materials/<int:file_id>/<path:name>")
def public_file(file_id: int, name: str):
    """The current file of a published public material, once the event's materials are published."""
    found = material_queries.download(file_id)
    if found is None or not found.visible_to(PUBLIC_ONLY):
        abort(404)
    if not _same_name(name, found):
        return redirect(url_for("materials.public_file", file_id=file_id, name=found.file.original_name), code=301)
    return file_response(found, cache=PUBLIC_CACHE)


@bp.get("/r/<token>/materials/<int:file_id>/<path:name>")
def attendee_file(token: str, file_id: int, name: str):
    """Through a person's own link: public and registered-only files for a confirmed attendee of the
    event, public files only for anyone else with a link (a cancelled registration, say)."""
    registration = registration_queries.by_token(token)
    if registration is None:
        abort(404, _("This link is not valid. It may have been mistyped, or replaced by a newer one."))
    found = material_queries.download(file_id)
    visible = FOR_ATTENDEES if registration.status is RegistrationStatus.CONFIRMED else PUBLIC_ONLY
    if found is None or found.event.id != registration.event_id or not found.visible_to(visible):
        abort(404)
    if not _same_name(name, found):
        return redirect(
            url_for("materials.attendee_file", token=token, file_id=file_id, name=found.file.original_name), code=301
        )
    return file_response(found, cache=PRIVATE_CACHE)
