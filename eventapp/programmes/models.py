"""A programme: a long-running initiative that owns events (a national programme, a buyer network)."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from eventapp.db import UTCDateTime, enum_column_type, utcnow
from eventapp.extensions import db
from eventapp.programmes.enums import ProgrammeGroup
from eventapp.richtext import render_markdown

if TYPE_CHECKING:
    from eventapp.events.models import Event  # type-only: relationship annotation


class Programme(db.Model):
    __public_content__ = True  # public pages show it: changes move the content version
    __tablename__ = "programmes"

    #: Surrogate key.
    id: Mapped[int] = mapped_column(primary_key=True)
    #: The organiser who created it; they (and administrators) edit it and see its statistics.
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    #: The URL name: /programmes/<slug>. Stable once published, since links to it are shared.
    slug: Mapped[str] = mapped_column(String(120), unique=True)
    #: The programme's name as people know it.
    title: Mapped[str] = mapped_column(String(200))
    #: One or two sentences for lists and link previews.
    summary: Mapped[str] = mapped_column(String(500), default="")
    #: Description as written by the organisers (Markdown).
    description_md: Mapped[str] = mapped_column(Text, default="")
    #: ``description_md`` rendered and sanitised on save; safe to show as HTML.
    description_html: Mapped[str] = mapped_column(Text, default="")
    #: The programme's own website, if it has one.
    website_url: Mapped[str] = mapped_column(String(500), default="")
    #: Language the texts above are written in (BCP 47 code: nb, sv, en, ...).
    language: Mapped[str] = mapped_column(String(8), default="nb")
    #: Which group /programmes lists it under (national, regional, Nordic, research, network, other).
    group: Mapped[ProgrammeGroup] = mapped_column(
        enum_column_type(ProgrammeGroup, "programme_group"), default=ProgrammeGroup.OTHER, server_default="other"
    )
    #: The programme this one is part of (a regional programme under the national one), if any.
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("programmes.id", ondelete="SET NULL"), index=True)
    #: When the row was created.
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: When the row last changed.
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    events: Mapped[list[Event]] = relationship(back_populates="programme", passive_deletes=True)
    parent: Mapped[Programme | None] = relationship(remote_side=[id], back_populates="children")
    children: Mapped[list[Programme]] = relationship(back_populates="parent", order_by="Programme.title")
    contacts: Mapped[list[ContactPerson]] = relationship(
        back_populates="programme",
        order_by="(ContactPerson.position, ContactPerson.id)",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )

    @validates("description_md")
    def _render_description(self, _key: str, value: str | None) -> str:
        self.description_html = render_markdown(value)
        return value or ""

    def __repr__(self) -> str:
        return f"<Programme {self.slug}>"


class ContactPerson(db.Model):
    """Someone people of one country can ask about the programme ("contact the person in your country")."""

    __public_content__ = True  # programme and event pages show them: changes move the content version
    __tablename__ = "programme_contacts"

    #: Surrogate key.
    id: Mapped[int] = mapped_column(primary_key=True)
    #: The programme they answer for.
    programme_id: Mapped[int] = mapped_column(ForeignKey("programmes.id", ondelete="CASCADE"), index=True)
    #: ISO 3166 code of the country they answer for (NO, SE, DK, FI, IS, or another).
    country: Mapped[str] = mapped_column(String(2))
    #: Their name.
    name: Mapped[str] = mapped_column(String(200))
    #: Their role in the programme ("Project lead", "National contact").
    role: Mapped[str] = mapped_column(String(200), default="")
    #: The organisation they work for.
    organisation: Mapped[str] = mapped_column(String(200), default="")
    #: Their work address, normalised.
    email: Mapped[str] = mapped_column(String(254))
    #: Their work phone as written (digits, spaces, +, -, brackets), or "".
    phone: Mapped[str] = mapped_column(String(40), default="")
    #: Order within the programme's list (lower first).
    position: Mapped[int] = mapped_column(Integer, default=0)

    programme: Mapped[Programme] = relationship(back_populates="contacts")

    @property
    def phone_uri(self) -> str:
        """The phone number as a tel: URI (RFC 3966: no spaces or brackets)."""
        return "tel:" + "".join(c for c in self.phone if c.isdigit() or c == "+")
