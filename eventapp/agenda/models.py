"""Agenda items (time slots of an event) and which speakers present them."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, Index, Integer, String, Text
from sqlalchemy.ext.associationproxy import AssociationProxy, association_proxy
from sqlalchemy.ext.orderinglist import ordering_list
from sqlalchemy.orm import Mapped, mapped_column, relationship

from eventapp.agenda.enums import AgendaItemKind
from eventapp.db import UTCDateTime, enum_column_type
from eventapp.extensions import db

if TYPE_CHECKING:
    from eventapp.events.models import Event  # type-only: relationship annotation
    from eventapp.speakers.models import Speaker  # type-only: relationship annotation


class AgendaItem(db.Model):
    __public_content__ = True  # public pages show it: changes move the content version
    __tablename__ = "agenda_items"
    __table_args__ = (
        CheckConstraint("ends_at > starts_at", name="ends_after_start"),
        Index("ix_agenda_items_event_id_position", "event_id", "position"),
    )

    #: Surrogate key.
    id: Mapped[int] = mapped_column(primary_key=True)
    #: The event this slot belongs to.
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    #: Order on the agenda (0 first); items are listed by position, then start time.
    position: Mapped[int] = mapped_column(Integer, default=0)
    #: Start of the slot (UTC).
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    #: End of the slot (UTC).
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    #: Title as shown on the agenda.
    title: Mapped[str] = mapped_column(String(300))
    #: A few plain-text lines about the slot.
    description: Mapped[str] = mapped_column(Text, default="")
    #: Talk, panel, discussion or break.
    kind: Mapped[AgendaItemKind] = mapped_column(
        enum_column_type(AgendaItemKind, "agenda_item_kind"), default=AgendaItemKind.TALK
    )

    event: Mapped[Event] = relationship(back_populates="agenda_items")
    speaker_links: Mapped[list[AgendaItemSpeaker]] = relationship(
        back_populates="agenda_item",
        order_by="AgendaItemSpeaker.position",
        collection_class=ordering_list("position"),
        cascade="all, delete-orphan",
        passive_deletes=True,
    )
    #: The title in other languages (public pages load only the visitor's).
    translations: Mapped[list[AgendaItemTranslation]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True, order_by="AgendaItemTranslation.locale"
    )
    #: The speakers, in the order they are listed (moderator first on a panel).
    speakers: AssociationProxy[list[Speaker]] = association_proxy(
        "speaker_links", "speaker", creator=lambda speaker: AgendaItemSpeaker(speaker=speaker)
    )

    @property
    def local_starts_at(self) -> datetime:
        return self.starts_at.astimezone(self.event.tzinfo)

    @property
    def local_ends_at(self) -> datetime:
        return self.ends_at.astimezone(self.event.tzinfo)

    def title_in(self, locale: str) -> tuple[str, str]:
        """The title in ``locale`` if translated, else the original; and its language."""
        for translation in self.translations:
            if translation.locale == locale and translation.title.strip():
                return translation.title, locale
        return self.title, self.event.language

    @property
    def is_break(self) -> bool:
        return self.kind is AgendaItemKind.BREAK

    def __repr__(self) -> str:
        return f"<AgendaItem {self.event_id}#{self.position} {self.title!r}>"


class AgendaItemSpeaker(db.Model):
    """A speaker presenting an agenda item; ``position`` orders the speakers within the item."""

    __tablename__ = "agenda_item_speakers"
    __public_content__ = True

    #: The agenda item.
    agenda_item_id: Mapped[int] = mapped_column(ForeignKey("agenda_items.id", ondelete="CASCADE"), primary_key=True)
    #: The speaker.
    speaker_id: Mapped[int] = mapped_column(ForeignKey("speakers.id", ondelete="CASCADE"), primary_key=True, index=True)
    #: Place in the item's list of speakers (0 first).
    position: Mapped[int] = mapped_column(Integer, default=0)

    agenda_item: Mapped[AgendaItem] = relationship(back_populates="speaker_links")
    speaker: Mapped[Speaker] = relationship(back_populates="agenda_links")


class AgendaItemTranslation(db.Model):
    """An agenda item's title in another language than the event's own."""

    __public_content__ = True
    __tablename__ = "agenda_item_translations"

    #: The agenda item translated.
    agenda_item_id: Mapped[int] = mapped_column(ForeignKey("agenda_items.id", ondelete="CASCADE"), primary_key=True)
    #: The language of the title.
    locale: Mapped[str] = mapped_column(String(8), primary_key=True)
    #: The title in that language.
    title: Mapped[str] = mapped_column(String(300))
