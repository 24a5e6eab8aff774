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
import unicodedata

from flask import Blueprint, abort, redirect, url_for
from flask_babel import gettext as _

from eventapp.materials import queries as material_queries
from eventapp.materials.downloads import PRIVATE_CACHE, PUBLIC_CACHE, file_response
from eventapp.materials.queries import FOR_ATTENDEES, PUBLIC_ONLY, Download
from eventapp.registrations import queries as registration_queries
from eventapp.registrations.enums import RegistrationStatus

log = logging.getLogger(__name__)

bp = Blueprint("materials", __name__)
bp.add_app_template_filter(material_queries.describe_file, "describe_file")
bp.add_app_template_filter(material_queries.file_size, "file_size")


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
