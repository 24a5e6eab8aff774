"""Materials: what is published with an event (slides, recordings, boards, documents, links) and the
versions of their files."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import BigInteger, Boolean, ForeignKey, Index, Integer, String, false, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from eventapp.db import UTCDateTime, enum_column_type, utcnow
from eventapp.extensions import db
from eventapp.materials.enums import MaterialKind, Visibility

if TYPE_CHECKING:
    from eventapp.agenda.models import AgendaItem  # type-only: relationship annotation
    from eventapp.speakers.models import Speaker  # type-only: relationship annotation


class Material(db.Model):
    """Something published with an event: slides, a recording, the digital board, a document or a link.
    File materials keep every uploaded version (``files``, oldest first); the newest is the one shown."""

    __public_content__ = True  # the event page lists published public materials
    __tablename__ = "materials"
    __table_args__ = (
        # One slide deck per speaker and agenda item (its newer files are versions of it).
        Index(
            "uq_materials_slides_of_speaker_item",
            "speaker_id",
            "agenda_item_id",
            unique=True,
            postgresql_where=text("kind = 'slides'"),
            sqlite_where=text("kind = 'slides'"),
        ),
    )

    #: Surrogate key.
    id: Mapped[int] = mapped_column(primary_key=True)
    #: The event it belongs to.
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    #: What it is.
    kind: Mapped[MaterialKind] = mapped_column(enum_column_type(MaterialKind, "material_kind"))
    #: Its title as shown ("Slides: Innovation in Bergen", "Recording of the webinar").
    title: Mapped[str] = mapped_column(String(300))
    #: The agenda item it belongs to, if any.
    agenda_item_id: Mapped[int | None] = mapped_column(ForeignKey("agenda_items.id", ondelete="SET NULL"), index=True)
    #: The speaker it comes from, if any.
    speaker_id: Mapped[int | None] = mapped_column(ForeignKey("speakers.id", ondelete="SET NULL"), index=True)
    #: Who may see it.
    visibility: Mapped[Visibility] = mapped_column(
        enum_column_type(Visibility, "material_visibility"), default=Visibility.PUBLIC
    )
    #: The address of a recording, board or link (https); empty for files.
    url: Mapped[str] = mapped_column(String(1000), default="")
    #: Whether it is shown (organisers see drafts; everyone else only published materials).
    published: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    #: When its file was withdrawn by the speaker or an organiser (earlier versions stay for organisers).
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: Order among the event's materials.
    position: Mapped[int] = mapped_column(Integer, default=0)
    #: When the row was created.
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: When the row last changed.
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    files: Mapped[list[MaterialFile]] = relationship(
        back_populates="material", order_by="MaterialFile.id", cascade="all, delete-orphan", passive_deletes=True
    )
    agenda_item: Mapped[AgendaItem | None] = relationship()
    speaker: Mapped[Speaker | None] = relationship()

    @property
    def current_file(self) -> MaterialFile | None:
        """The newest version, unless the file was withdrawn."""
        return None if self.withdrawn_at is not None or not self.files else self.files[-1]


class MaterialFile(db.Model):
    """One uploaded version of a material's file. The bytes live in storage under ``sha256``."""

    __public_content__ = True
    __tablename__ = "material_files"

    #: Surrogate key (also the version order).
    id: Mapped[int] = mapped_column(primary_key=True)
    #: The material it is a version of.
    material_id: Mapped[int] = mapped_column(ForeignKey("materials.id", ondelete="CASCADE"), index=True)
    #: SHA-256 of the bytes: the file's name in storage.
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    #: Size in bytes.
    size: Mapped[int] = mapped_column(BigInteger)
    #: The type told from the bytes ("pdf", "pptx", ...; see materials/filetypes.py).
    file_type: Mapped[str] = mapped_column(String(16))
    #: The content type it is served with.
    content_type: Mapped[str] = mapped_column(String(120))
    #: The file name as uploaded, cleaned for display and downloads (never used on disk).
    original_name: Mapped[str] = mapped_column(String(255))
    #: When it was uploaded.
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: The organiser who uploaded it, if an organiser did.
    uploaded_by_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    #: The speaker who uploaded it, if the speaker did (through their link).
    uploaded_by_speaker_id: Mapped[int | None] = mapped_column(ForeignKey("speakers.id", ondelete="SET NULL"))

    material: Mapped[Material] = relationship(back_populates="files")
