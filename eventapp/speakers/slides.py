"""A speaker's slides: one deck per agenda item they present, uploaded through their link or by an
organiser on their behalf. The rules every file follows (types, size, storage, versions) are the
materials' (``materials/uploads.py``)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from eventapp.accounts import audit
from eventapp.accounts.models import User
from eventapp.db import begin_write
from eventapp.errors import NotFound, ValidationFailed
from eventapp.extensions import db
from eventapp.materials import filetypes, uploads
from eventapp.materials.enums import MaterialKind, Visibility
from eventapp.materials.models import Material, MaterialFile
from eventapp.speakers.models import Speaker


def slides_for(speaker: Speaker, agenda_item_id: int) -> Material | None:
    return db.session.scalars(
        select(Material).where(
            Material.event_id == speaker.event_id,
            Material.kind == MaterialKind.SLIDES,
            Material.speaker_id == speaker.id,
            Material.agenda_item_id == agenda_item_id,
        )
    ).first()


def upload_slides(
    speaker_id: int, agenda_item_id: int, upload: uploads.Upload, *, by_user: User | None = None
) -> MaterialFile:
    """A speaker's slides for one of their agenda items: the first upload makes the material (public, not
    yet published: the organiser publishes materials after the event), later ones add versions. Uploaded
    by the speaker (``by_user`` None) or by an organiser on their behalf."""
    speaker = db.session.get(Speaker, speaker_id)
    if speaker is None:
        raise NotFound()
    item = next((link.agenda_item for link in speaker.agenda_links if link.agenda_item_id == agenda_item_id), None)
    if item is None:
        raise ValidationFailed("agenda_item_id", str(_l("This speaker does not present that agenda item.")))
    item_title = item.title
    # The file goes into storage first, outside any lock (a large upload takes a while); then the speaker's
    # row is locked so two first uploads for the same item make one material, not two.
    stored, file_type = uploads.store(upload, filetypes.SLIDE_TYPES)
    try:
        begin_write(db.session)
        speaker = db.session.get(Speaker, speaker_id, with_for_update=True, populate_existing=True)
        material = slides_for(speaker, agenda_item_id)
        if material is None:
            material = Material(
                event_id=speaker.event_id,
                kind=MaterialKind.SLIDES,
                title=item_title,
                agenda_item_id=agenda_item_id,
                speaker_id=speaker.id,
                visibility=Visibility.PUBLIC,
                published=False,
            )
            db.session.add(material)
        version = uploads.new_version(
            material, stored, file_type, upload.filename, by_user=by_user, by_speaker=None if by_user else speaker
        )
        db.session.flush()
    except BaseException:
        db.session.rollback()
        uploads.forget_unless_used(stored.sha256)
        raise
    audit.record(
        "material.uploaded",
        actor=by_user,
        event_id=speaker.event_id,
        material_id=material.id,
        version=len(material.files),
        role=None if by_user else audit.AuditRole.SPEAKER,
        speaker=None if by_user else speaker.name,
        kind=audit.value(material.kind),
        title=item_title,
        file=version.original_name,
    )
    uploads.commit_with_file(version)
    return version
