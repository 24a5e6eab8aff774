"""The version of the public content: one row that every change to public pages moves forward."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, Integer
from sqlalchemy.orm import Mapped, mapped_column

from eventapp.db import UTCDateTime, utcnow
from eventapp.extensions import Model


class ContentVersion(Model):
    """A single row (id 1). Its ``version`` rises in the same transaction as any change to a model that
    public pages show (see ``pagecache.versions``), so a rendered page stored under one version is
    known to be current exactly while the row still holds that version."""

    __tablename__ = "content_versions"
    __table_args__ = (CheckConstraint("id = 1", name="single_row"),)

    #: Always 1.
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    #: Rises by one with every transaction that changes public content.
    version: Mapped[int] = mapped_column(Integer, default=1)
    #: When the public content last changed (also the Last-Modified of cached pages).
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
