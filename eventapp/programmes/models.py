"""A programme: a long-running initiative that owns events (a national programme, a buyer network)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import Column, ForeignKey, Integer, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from eventapp.db import UTCDateTime, enum_column_type, utcnow
from eventapp.extensions import Model, db
from eventapp.programmes.enums import PartnerKind, PersonGroup, ProgrammeGroup
from eventapp.richtext import render_markdown

if TYPE_CHECKING:
    from eventapp.events.models import Event  # type-only: relationship annotation


class Programme(Model):
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
    #: What the programme wants to achieve (Markdown; often a list).
    goals_md: Mapped[str] = mapped_column(Text, default="", server_default="")
    #: ``goals_md`` rendered and sanitised.
    goals_html: Mapped[str] = mapped_column(Text, default="", server_default="")
    #: Whom the programme is for (Markdown; often a list).
    target_groups_md: Mapped[str] = mapped_column(Text, default="", server_default="")
    #: ``target_groups_md`` rendered and sanitised.
    target_groups_html: Mapped[str] = mapped_column(Text, default="", server_default="")
    #: The programme's own website, if it has one.
    website_url: Mapped[str] = mapped_column(String(500), default="")
    #: Language the texts above are written in (BCP 47 code: nb, sv, en, ...).
    language: Mapped[str] = mapped_column(String(8), default="nb")
    #: IANA zone the programme works in: its calls open and close in it (a new call starts with it).
    timezone: Mapped[str] = mapped_column(String(64), default="Europe/Oslo", server_default="Europe/Oslo")
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

    partners: Mapped[list[ProgrammePartner]] = relationship(
        back_populates="programme",
        order_by="(ProgrammePartner.position, ProgrammePartner.id)",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )
    people: Mapped[list[ProgrammePerson]] = relationship(
        back_populates="programme",
        order_by="(ProgrammePerson.position, ProgrammePerson.id)",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )
    #: The texts in other languages (public pages load only the visitor's).
    translations: Mapped[list[ProgrammeTranslation]] = relationship(
        back_populates="programme",
        order_by="ProgrammeTranslation.locale",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )

    @validates("description_md", "goals_md", "target_groups_md")
    def _render_markdown(self, key: str, value: str | None) -> str:
        setattr(self, key.removesuffix("_md") + "_html", render_markdown(value))
        return value or ""

    def content(self, locale: str) -> ProgrammeContent:
        """The texts in ``locale`` where a translation gives them, each part in the programme's own language
        otherwise; with the language of each part, for ``lang`` attributes. Reads ``translations`` as loaded
        (public pages load only the visitor's)."""
        if locale != self.language:
            for translation in self.translations:
                if translation.locale == locale:
                    return ProgrammeContent.mixed(self, translation)
        return ProgrammeContent.original(self)

    def title_in(self, locale: str) -> tuple[str, str]:
        """(title, its language) in ``locale`` where translated: for links to a programme loaded with its
        title only (a parent, the programmes under it)."""
        if locale != self.language:
            for translation in self.translations:
                if translation.locale == locale and translation.title.strip():
                    return translation.title, locale
        return self.title, self.language

    def __repr__(self) -> str:
        return f"<Programme {self.slug}>"


#: The parts of a programme's texts a translation may give, in the order the back office shows them.
TRANSLATED_PARTS = ("title", "summary", "description", "goals", "target_groups")


@dataclass(frozen=True)
class ProgrammeContent:
    """A programme's texts as one visitor reads them, and the language of each."""

    title: str
    title_lang: str
    summary: str
    summary_lang: str
    description_html: str
    description_lang: str
    goals_html: str
    goals_lang: str
    target_groups_html: str
    target_groups_lang: str

    @classmethod
    def original(cls, programme: Programme) -> ProgrammeContent:
        lang = programme.language
        return cls(programme.title, lang, programme.summary, lang, programme.description_html, lang,
                   programme.goals_html, lang, programme.target_groups_html, lang)  # fmt: skip

    @classmethod
    def mixed(cls, programme: Programme, translation: ProgrammeTranslation) -> ProgrammeContent:
        def pick(own: str, translated: str) -> tuple[str, str]:
            return (translated, translation.locale) if translated.strip() else (own, programme.language)

        return cls(
            *pick(programme.title, translation.title),
            *pick(programme.summary, translation.summary),
            *pick(programme.description_html, translation.description_html),
            *pick(programme.goals_html, translation.goals_html),
            *pick(programme.target_groups_html, translation.target_groups_html),
        )


class ProgrammeTranslation(Model):
    """A programme's texts in another language than its own."""

    __public_content__ = True  # public pages show it: changes move the content version
    __tablename__ = "programme_translations"

    #: The programme translated.
    programme_id: Mapped[int] = mapped_column(ForeignKey("programmes.id", ondelete="CASCADE"), primary_key=True)
    #: The language of this translation ("sv", "fi", ...), never the programme's own.
    locale: Mapped[str] = mapped_column(String(8), primary_key=True)
    #: The title in that language (empty: the original title is shown).
    title: Mapped[str] = mapped_column(String(200), default="")
    #: The summary in that language (empty: the original is shown).
    summary: Mapped[str] = mapped_column(String(500), default="")
    #: The description in that language, Markdown (empty: the original is shown).
    description_md: Mapped[str] = mapped_column(Text, default="")
    #: ``description_md`` rendered and sanitised.
    description_html: Mapped[str] = mapped_column(Text, default="")
    #: The goals in that language, Markdown (empty: the original is shown).
    goals_md: Mapped[str] = mapped_column(Text, default="")
    #: ``goals_md`` rendered and sanitised.
    goals_html: Mapped[str] = mapped_column(Text, default="")
    #: The target groups in that language, Markdown (empty: the original is shown).
    target_groups_md: Mapped[str] = mapped_column(Text, default="")
    #: ``target_groups_md`` rendered and sanitised.
    target_groups_html: Mapped[str] = mapped_column(Text, default="")
    #: When it last changed.
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    programme: Mapped[Programme] = relationship(back_populates="translations")

    @validates("description_md", "goals_md", "target_groups_md")
    def _render_markdown(self, key: str, value: str | None) -> str:
        setattr(self, key.removesuffix("_md") + "_html", render_markdown(value))
        return value or ""


class ProgrammePartner(Model):
    """An organisation that takes part in or funds a programme, named (and linked) on its page."""

    __public_content__ = True  # the programme page shows them: changes move the content version
    __tablename__ = "programme_partners"

    #: Surrogate key.
    id: Mapped[int] = mapped_column(primary_key=True)
    #: The programme.
    programme_id: Mapped[int] = mapped_column(ForeignKey("programmes.id", ondelete="CASCADE"), index=True)
    #: Partner or funder.
    kind: Mapped[PartnerKind] = mapped_column(enum_column_type(PartnerKind, "partner_kind"))
    #: The organisation's name.
    name: Mapped[str] = mapped_column(String(200))
    #: Its website (http:// or https:// only), or "".
    url: Mapped[str] = mapped_column(String(500), default="")
    #: Order within its kind on the page (lower first).
    position: Mapped[int] = mapped_column(Integer, default=0)

    programme: Mapped[Programme] = relationship(back_populates="partners")


class ProgrammePerson(Model):
    """Someone in a programme's organisation: its project lead, a board or steering group member."""

    __public_content__ = True  # the programme page shows them: changes move the content version
    __tablename__ = "programme_people"

    #: Surrogate key.
    id: Mapped[int] = mapped_column(primary_key=True)
    #: The programme.
    programme_id: Mapped[int] = mapped_column(ForeignKey("programmes.id", ondelete="CASCADE"), index=True)
    #: Project lead, board or steering group.
    group: Mapped[PersonGroup] = mapped_column(enum_column_type(PersonGroup, "person_group"))
    #: Their name.
    name: Mapped[str] = mapped_column(String(200))
    #: Their role in the group ("Chair", "Member"), or "".
    role: Mapped[str] = mapped_column(String(200), default="")
    #: The organisation they come from, or "".
    organisation: Mapped[str] = mapped_column(String(200), default="")
    #: Order within the group on the page (lower first).
    position: Mapped[int] = mapped_column(Integer, default=0)

    programme: Mapped[Programme] = relationship(back_populates="people")


class ContactPerson(Model):
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


#: The contact persons an event names itself (none: it shows every contact person of its programme).
event_contacts = Table(
    "event_contacts",
    db.Model.metadata,
    Column("event_id", ForeignKey("events.id", ondelete="CASCADE"), primary_key=True),
    Column("contact_id", ForeignKey("programme_contacts.id", ondelete="CASCADE"), primary_key=True, index=True),
)
