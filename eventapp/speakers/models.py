"""Speakers: people presenting agenda items of one event."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from eventapp.db import UTCDateTime, utcnow
from eventapp.extensions import db

if TYPE_CHECKING:
    from eventapp.agenda.models import AgendaItemSpeaker  # type-only: relationship annotation
    from eventapp.events.models import Event  # type-only: relationship annotation


class Speaker(db.Model):
    __public_content__ = True  # public pages show it: changes move the content version
    __tablename__ = "speakers"

    #: Surrogate key.
    id: Mapped[int] = mapped_column(primary_key=True)
    #: The event the person speaks at (a person speaking at two events has a row for each: their
    #: title or organisation may differ, and each event's organiser manages their own speakers).
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    #: Full name as shown on the agenda.
    name: Mapped[str] = mapped_column(String(200))
    #: Job title as shown on the agenda ("Innkjøpsrådgiver").
    job_title: Mapped[str] = mapped_column(String(200), default="")
    #: Organisation as shown on the agenda ("Bergen kommune").
    organisation: Mapped[str] = mapped_column(String(200), default="")
    #: Where the organiser reaches the speaker. Personal data: never shown on public pages.
    email: Mapped[str] = mapped_column(String(254), default="")
    #: A short biography (plain text).
    bio: Mapped[str] = mapped_column(Text, default="")
    #: The language of the mails the speaker gets (the event's language when invited).
    locale: Mapped[str] = mapped_column(String(8), default="nb", server_default="nb")
    #: When the organiser last sent the speaker their personal link (None: never invited).
    invited_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: When the row was created.
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: When the row last changed.
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    event: Mapped[Event] = relationship(back_populates="speakers")
    agenda_links: Mapped[list[AgendaItemSpeaker]] = relationship(
        back_populates="speaker", cascade="all, delete-orphan", passive_deletes=True
    )

    @property
    def byline(self) -> str:
        """ "Job title, Organisation" (whichever parts are known)."""
        return ", ".join(part for part in (self.job_title, self.organisation) if part)

    def __repr__(self) -> str:
        return f"<Speaker {self.name!r}>"


class SpeakerToken(db.Model):
    """A personal link to the speaker portal (/speaker/<token>). Only the SHA-256 of the token is kept.
    It stops working when revoked or when it expires (some weeks after the event, by default)."""

    __tablename__ = "speaker_tokens"

    #: Surrogate key.
    id: Mapped[int] = mapped_column(primary_key=True)
    #: The speaker it opens the portal for.
    speaker_id: Mapped[int] = mapped_column(ForeignKey("speakers.id", ondelete="CASCADE"), index=True)
    #: SHA-256 (hex) of the token in the link.
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    #: When it was made.
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: After this instant the link no longer works.
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    #: When an organiser revoked it (None: not revoked).
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    speaker: Mapped[Speaker] = relationship()
