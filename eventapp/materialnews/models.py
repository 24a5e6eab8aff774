"""Which materials attendees have been told about by mail, and who does not want to hear of new ones."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey
from sqlalchemy.orm import Mapped, mapped_column

from eventapp.db import UTCDateTime, utcnow
from eventapp.extensions import Model


class MaterialAnnouncement(Model):
    """A material that went out in a mail to the attendees: in the follow-up mail, or in a "new
    materials" mail after it. A published material without a row here is news."""

    __tablename__ = "material_announcements"

    #: The material.
    material_id: Mapped[int] = mapped_column(ForeignKey("materials.id", ondelete="CASCADE"), primary_key=True)
    #: Its event (so the chore finds an event's announced materials by one index).
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    #: When the mail that listed it was written.
    announced_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class MaterialNewsOptOut(Model):
    """A person who asked for no "new materials" mails about the event they signed up for."""

    __tablename__ = "material_news_opt_outs"

    #: The registration (one event, one person).
    registration_id: Mapped[int] = mapped_column(ForeignKey("registrations.id", ondelete="CASCADE"), primary_key=True)
    #: When they asked.
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class MaterialNewsDigest(Model):
    """When an event's last "new materials" mails were written (at most one batch a day per event)."""

    __tablename__ = "material_news_digests"

    #: The event.
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), primary_key=True)
    #: When the last batch was written.
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime)
