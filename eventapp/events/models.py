"""The event: one webinar, workshop, dialogue meeting, network meeting or conference."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    event,
    false,
    true,
)
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Mapped, Mapper, mapped_column, relationship, validates

from eventapp.db import UTCDateTime, enum_column_type, utcnow
from eventapp.events.enums import (
    PUBLIC_STATUSES,
    AttendanceMode,
    EventFormat,
    EventKind,
    EventStatus,
    SlidesPublish,
    WaitlistMode,
)
from eventapp.extensions import Model
from eventapp.richtext import plain_text, render_markdown, search_text

if TYPE_CHECKING:
    from eventapp.accounts.models import EventManager  # type-only: relationship annotation
    from eventapp.agenda.models import AgendaItem  # type-only: relationship annotation
    from eventapp.programmes.models import ContactPerson, Programme  # type-only: relationship annotation
    from eventapp.registrations.models import (  # type-only: relationship annotation
        CustomQuestion,
        ParticipationRequirement,
        Registration,
    )
    from eventapp.speakers.models import Speaker  # type-only: relationship annotation


def zone(name: str) -> ZoneInfo:
    """The IANA zone called ``name``; ValueError for a name the zone database does not know."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError(f"unknown time zone {name!r}") from exc


class Event(Model):
    __public_content__ = True  # public pages show it: changes move the content version
    __tablename__ = "events"
    __table_args__ = (
        CheckConstraint("ends_at > starts_at", name="ends_after_start"),
        CheckConstraint("capacity IS NULL OR capacity >= 0", name="capacity_not_negative"),
        CheckConstraint("online_capacity IS NULL OR online_capacity >= 0", name="online_capacity_not_negative"),
        CheckConstraint("calendar_sequence >= 0", name="sequence_not_negative"),
        CheckConstraint("offer_hours >= 1", name="offer_hours_positive"),
        CheckConstraint("quota_per_organisation IS NULL OR quota_per_organisation >= 1", name="quota_positive"),
        CheckConstraint(
            "(latitude IS NULL AND longitude IS NULL) OR (latitude IS NOT NULL AND longitude IS NOT NULL"
            " AND latitude BETWEEN -90 AND 90 AND longitude BETWEEN -180 AND 180)",
            name="coordinates_on_earth",
        ),
        CheckConstraint(
            "registration_closes_at IS NULL OR registration_opens_at IS NULL"
            " OR registration_closes_at > registration_opens_at",
            name="registration_window_in_order",
        ),
        Index("ix_events_status_starts_at", "status", "starts_at"),
        Index("ix_events_programme_id_starts_at", "programme_id", "starts_at"),
    )

    #: Surrogate key.
    id: Mapped[int] = mapped_column(primary_key=True)
    #: The organiser who created the event (its owner in the back office).
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    #: The programme (series) that runs the event, if any.
    programme_id: Mapped[int | None] = mapped_column(ForeignKey("programmes.id", ondelete="RESTRICT"))
    #: The URL name: /events/<slug>. Never changes once published (links in mail and calendars).
    slug: Mapped[str] = mapped_column(String(120), unique=True)
    #: The event's title.
    title: Mapped[str] = mapped_column(String(300))
    #: One or two sentences for the catalogue and link previews.
    summary: Mapped[str] = mapped_column(String(500), default="")
    #: Description as written by the organisers (Markdown).
    description_md: Mapped[str] = mapped_column(Text, default="")
    #: ``description_md`` rendered and sanitised on save; safe to show as HTML.
    description_html: Mapped[str] = mapped_column(Text, default="")
    #: Webinar, workshop, dialogue meeting, network meeting or conference.
    kind: Mapped[EventKind] = mapped_column(enum_column_type(EventKind, "event_kind"))
    #: Online, in person or hybrid.
    format: Mapped[EventFormat] = mapped_column(enum_column_type(EventFormat, "event_format"))
    #: Name of the venue ("Oslo rådhus, Bankettsalen"); empty for online events.
    venue_name: Mapped[str] = mapped_column(String(200), default="")
    #: Street address of the venue, as a person would write it on an envelope.
    venue_address: Mapped[str] = mapped_column(String(300), default="")
    #: Town or city, shown in lists ("Oslo").
    city: Mapped[str] = mapped_column(String(100), default="")
    #: Country of the venue (ISO 3166 code such as "SE"; empty if not given). The sign-up form's country
    #: question starts from it.
    venue_country: Mapped[str] = mapped_column(String(2), default="", server_default="")
    #: How to get there, as plain text: public transport, the entrance, step-free access, hearing loop.
    directions: Mapped[str] = mapped_column(Text, default="", server_default="")
    #: Latitude of the venue in decimal degrees (WGS 84), with ``longitude``: the map link and GEO.
    latitude: Mapped[float | None] = mapped_column(Float)
    #: Longitude of the venue in decimal degrees (WGS 84); given together with ``latitude``.
    longitude: Mapped[float | None] = mapped_column(Float)
    #: Join link of an online or hybrid event. Shown only to confirmed attendees, never publicly.
    online_url: Mapped[str] = mapped_column(String(500), default="")
    #: IANA time zone the event happens in; pages show times in this zone.
    timezone: Mapped[str] = mapped_column(String(64), default="Europe/Oslo")
    #: Start, as an instant (UTC).
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    #: End, as an instant (UTC); after ``starts_at``.
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    #: Language the event is held in (BCP 47 code: nb, nn, sv, da, fi, en).
    language: Mapped[str] = mapped_column(String(8), default="nb")
    #: Draft (hidden), published, or cancelled (page kept, marked cancelled).
    status: Mapped[EventStatus] = mapped_column(
        enum_column_type(EventStatus, "event_status"), default=EventStatus.DRAFT
    )
    #: Seats; None means no limit. For a hybrid event: the seats on site.
    capacity: Mapped[int | None] = mapped_column(Integer)
    #: Online seats of a hybrid event (None: no limit); each mode has its own seats and waiting list.
    online_capacity: Mapped[int | None] = mapped_column(Integer)
    #: Whether people may join a waiting list when the event is full.
    waitlist_enabled: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    #: What happens when a seat frees up: the first person waiting gets it, or is offered it.
    waitlist_mode: Mapped[WaitlistMode] = mapped_column(
        enum_column_type(WaitlistMode, "waitlist_mode"), default=WaitlistMode.AUTOMATIC, server_default="automatic"
    )
    #: Hours a person has to accept an offered seat (offer mode).
    offer_hours: Mapped[int] = mapped_column(Integer, default=48, server_default="48")
    #: Whether an organiser approves each registration (dialogue meetings).
    requires_approval: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    #: At most this many active registrations per organisation (None: no limit).
    quota_per_organisation: Mapped[int | None] = mapped_column(Integer)
    #: Registration opens at this instant (None: as soon as the event is published).
    registration_opens_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: Registration closes at this instant (None: when the event starts).
    registration_closes_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: Whether confirmed attendees get a reminder the day before (24 hours ahead).
    reminder_day_before: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    #: Whether confirmed attendees get a reminder an hour before.
    reminder_hour_before: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    #: The organiser's own words, added to the standard reminder text (plain text, may be empty).
    reminder_note: Mapped[str] = mapped_column(Text, default="", server_default="")
    #: When the organiser published the materials (the materials section shows from then on).
    materials_published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: When the follow-up mail with the materials went to confirmed attendees (it goes once).
    materials_mail_sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: When speakers' uploaded slides become visible: after review, at upload, or with the materials.
    slides_publish: Mapped[SlidesPublish] = mapped_column(
        enum_column_type(SlidesPublish, "slides_publish"), default=SlidesPublish.REVIEW, server_default="review"
    )
    #: The iCalendar UID's unique part (random, ASCII, no personal data); the same in the feed, the
    #: download and every invitation, so calendars recognise the event whatever changes.
    calendar_uid: Mapped[str] = mapped_column(String(64), unique=True, default=lambda: uuid.uuid4().hex)
    #: iCalendar SEQUENCE: rises whenever time, place or join link changes, so calendars update.
    calendar_sequence: Mapped[int] = mapped_column(Integer, default=0)
    #: Lower-cased text the catalogue search looks in; kept up to date on every save.
    search_text: Mapped[str] = mapped_column(Text, default="")
    #: When the row was created.
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: When the row last changed (also the Last-Modified of the event's page and calendar file).
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    programme: Mapped[Programme | None] = relationship(back_populates="events")
    #: The programme's contact persons this event names itself; empty: it shows all of the programme's.
    chosen_contacts: Mapped[list[ContactPerson]] = relationship(
        secondary="event_contacts", order_by="(ContactPerson.position, ContactPerson.id)", passive_deletes=True
    )
    agenda_items: Mapped[list[AgendaItem]] = relationship(
        back_populates="event",
        order_by="(AgendaItem.position, AgendaItem.starts_at, AgendaItem.id)",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )
    custom_questions: Mapped[list[CustomQuestion]] = relationship(
        order_by="(CustomQuestion.position, CustomQuestion.id)", cascade="all, delete-orphan", passive_deletes=True
    )
    requirements: Mapped[list[ParticipationRequirement]] = relationship(
        order_by="(ParticipationRequirement.position, ParticipationRequirement.id)",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )
    managers: Mapped[list[EventManager]] = relationship(cascade="all, delete-orphan", passive_deletes=True)
    registrations: Mapped[list[Registration]] = relationship(
        back_populates="event", order_by="Registration.id", cascade="all, delete-orphan", passive_deletes=True
    )
    speakers: Mapped[list[Speaker]] = relationship(
        back_populates="event", order_by="Speaker.name", cascade="all, delete-orphan", passive_deletes=True
    )
    #: The title, summary and description in other languages (public pages load only the visitor's).
    translations: Mapped[list[EventTranslation]] = relationship(
        back_populates="event", order_by="EventTranslation.locale", cascade="all, delete-orphan", passive_deletes=True
    )

    @validates("description_md")
    def _render_description(self, _key: str, value: str | None) -> str:
        self.description_html = render_markdown(value)
        return value or ""

    @validates("timezone")
    def _check_timezone(self, _key: str, value: str) -> str:
        zone(value)
        return value

    # --- what templates and services ask ------------------------------------------------------

    @property
    def tzinfo(self) -> ZoneInfo:
        return zone(self.timezone)

    @property
    def description_text(self) -> str:
        """The description as plain text (for calendars): from the HTML rendered on save, no Markdown parsing."""
        return plain_text(self.description_html)

    @property
    def local_starts_at(self) -> datetime:
        """Start as wall-clock time where the event happens (aware, in the event's zone)."""
        return self.starts_at.astimezone(self.tzinfo)

    @property
    def local_ends_at(self) -> datetime:
        return self.ends_at.astimezone(self.tzinfo)

    @property
    def duration(self) -> timedelta:
        """Real elapsed time (across a DST change this differs from the wall-clock difference)."""
        return self.ends_at - self.starts_at

    @property
    def spans_several_days(self) -> bool:
        return self.local_starts_at.date() != self.local_ends_at.date()

    @property
    def is_public(self) -> bool:
        return self.status in PUBLIC_STATUSES

    @property
    def is_cancelled(self) -> bool:
        return self.status is EventStatus.CANCELLED

    @property
    def has_online_part(self) -> bool:
        return self.format in (EventFormat.ONLINE, EventFormat.HYBRID)

    @property
    def has_venue(self) -> bool:
        return self.format in (EventFormat.IN_PERSON, EventFormat.HYBRID)

    @property
    def is_hybrid(self) -> bool:
        """People choose to come on site or take part online; each mode has its own seats and waiting list."""
        return self.format is EventFormat.HYBRID

    @property
    def attendance_modes(self) -> tuple[AttendanceMode | None, ...]:
        """The seat pools of the event: on site and online for a hybrid event, one pool (None) otherwise."""
        return (AttendanceMode.ON_SITE, AttendanceMode.ONLINE) if self.is_hybrid else (None,)

    def capacity_for(self, mode: AttendanceMode | None) -> int | None:
        """The seats of one mode (None: no limit); ``mode`` None: the event's one pool of seats."""
        return self.online_capacity if mode is AttendanceMode.ONLINE else self.capacity

    @property
    def coordinates(self) -> tuple[float, float] | None:
        """(latitude, longitude) of the venue, when the organiser gave them."""
        if not self.has_venue or self.latitude is None or self.longitude is None:
            return None
        return (self.latitude, self.longitude)

    @property
    def map_url(self) -> str:
        """A plain link to the venue on OpenStreetMap (nothing is loaded from it until someone clicks);
        empty for an online event or one with neither coordinates nor an address."""
        if self.coordinates:
            lat, lon = (f"{value:.6f}" for value in self.coordinates)
            return f"https://www.openstreetmap.org/?mlat={lat}&mlon={lon}#map=17/{lat}/{lon}"
        place = ", ".join(p.strip() for p in (self.venue_address, self.city) if p and p.strip())
        if not self.has_venue or not place:
            return ""
        return "https://www.openstreetmap.org/search?" + urlencode({"query": place})

    def is_past(self, now: datetime | None = None) -> bool:
        return self.ends_at <= (now or utcnow())

    def content(self, locale: str) -> EventContent:
        """Title, summary and description in ``locale`` where a translation gives them, each part in the
        event's own language otherwise; with the language of each part, for ``lang`` attributes."""
        if locale != self.language:
            for translation in self.translations:
                if translation.locale == locale:
                    return EventContent.mixed(self, translation)
        return EventContent.original(self)

    def __repr__(self) -> str:
        return f"<Event {self.slug}>"


@event.listens_for(Event, "before_insert")
@event.listens_for(Event, "before_update")
def _refresh_search_text(_mapper: Mapper[Event], _connection: Connection, target: Event) -> None:
    translated = [
        part
        for translation in (target.translations if "translations" in target.__dict__ else ())
        for part in (translation.title, translation.summary, translation.description_md)
    ]
    target.search_text = search_text(
        target.title, target.summary, target.description_md, target.venue_name, target.city, *translated
    )


@dataclass(frozen=True)
class EventContent:
    """The texts of an event as one visitor reads them, and the language of each."""

    title: str
    title_lang: str
    summary: str
    summary_lang: str
    description_html: str
    description_lang: str

    @classmethod
    def original(cls, event: Event) -> EventContent:
        lang = event.language
        return cls(event.title, lang, event.summary, lang, event.description_html, lang)

    @classmethod
    def mixed(cls, event: Event, translation: EventTranslation) -> EventContent:
        def pick(own: str, translated: str) -> tuple[str, str]:
            return (translated, translation.locale) if translated.strip() else (own, event.language)

        title, title_lang = pick(event.title, translation.title)
        summary, summary_lang = pick(event.summary, translation.summary)
        description, description_lang = pick(event.description_html, translation.description_html)
        return cls(title, title_lang, summary, summary_lang, description, description_lang)


class EventTranslation(Model):
    """An event's title, summary and description in another language than its own."""

    __public_content__ = True  # public pages show it: changes move the content version
    __tablename__ = "event_translations"

    #: The event translated.
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), primary_key=True)
    #: The language of this translation ("sv", "fi", ...), never the event's own.
    locale: Mapped[str] = mapped_column(String(8), primary_key=True)
    #: The title in that language (empty: the original title is shown).
    title: Mapped[str] = mapped_column(String(300), default="")
    #: The summary in that language (empty: the original is shown).
    summary: Mapped[str] = mapped_column(String(500), default="")
    #: The description in that language, Markdown (empty: the original is shown).
    description_md: Mapped[str] = mapped_column(Text, default="")
    #: ``description_md`` rendered and sanitised.
    description_html: Mapped[str] = mapped_column(Text, default="")
    #: When it last changed.
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    #: The participation requirements and sign-up questions in that language, by id (JSON; the rules are
    #: ``registrations.wording``'s); a missing or empty part shows the original.
    parts: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict, server_default="{}")

    event: Mapped[Event] = relationship(back_populates="translations")

    @validates("description_md")
    def _render_description(self, _key: str, value: str | None) -> str:
        self.description_html = render_markdown(value)
        return value or ""
