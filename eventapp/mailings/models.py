"""A mailing: one message from the organisers to a filtered set of an event's registrations."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from eventapp.accounts.models import User
from eventapp.db import UTCDateTime, enum_column_type, utcnow
from eventapp.extensions import db
from eventapp.mailings.enums import Attendance


class Mailing(db.Model):
    __tablename__ = "mailings"

    #: Surrogate key.
    id: Mapped[int] = mapped_column(primary_key=True)
    #: The event whose attendees receive it (None for programme news to an interest list).
    event_id: Mapped[int | None] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    #: The programme whose interest list receives it (programme news), else None.
    programme_id: Mapped[int | None] = mapped_column(ForeignKey("programmes.id", ondelete="CASCADE"), index=True)
    #: Programme news: the language versions, ``{locale: {"subject": ..., "body": ...}}``; a subscriber
    #: whose language has none gets ``subject`` and ``body`` (the version chosen as the fallback).
    versions: Mapped[dict | None] = mapped_column(JSON)
    #: The organiser who sent it.
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    #: Subject line, as written by the organiser.
    subject: Mapped[str] = mapped_column(String(200))
    #: The message, plain text; paragraphs are separated by blank lines.
    body: Mapped[str] = mapped_column(Text)
    #: The registration statuses it went to (their values), as chosen on the form.
    statuses: Mapped[list] = mapped_column(JSON, default=list)
    #: Narrowed by check-in: any, came, did not come.
    attendance: Mapped[Attendance] = mapped_column(
        enum_column_type(Attendance, "mailing_attendance"), default=Attendance.ANY
    )
    #: How many people it was addressed to when it was sent (one mail each).
    recipient_count: Mapped[int] = mapped_column(Integer, default=0)
    #: When the organiser sent it.
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    author: Mapped[User | None] = relationship()
