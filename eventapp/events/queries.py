"""Reads of events for the public pages, and of programmes with their events. Each function issues a fixed
number of queries."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import cache

from sqlalchemy import Select, bindparam, func, or_, select
from sqlalchemy.orm import defer, joinedload
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.orm.interfaces import LoaderOption

from eventapp.accounts.models import User
from eventapp.agenda.models import AgendaItem, AgendaItemSpeaker, AgendaItemTranslation
from eventapp.db import utcnow
from eventapp.events.enums import PUBLIC_STATUSES, EventKind, EventStatus
from eventapp.events.models import Event, EventTranslation
from eventapp.extensions import db
from eventapp.programmes.models import Programme
from eventapp.programmes.permissions import manageable_programmes

#: Longest search text accepted; longer input is refused with a message.
MAX_QUERY_LENGTH = 200
#: At most this many words of a search are used (each must match).
MAX_QUERY_WORDS = 8
#: A calendar feed holds at most this many events: those that start latest (every upcoming event, then
#: the most recent past ones), so a feed that clients fetch every hour stays a few hundred kilobytes.
FEED_LIMIT = 1000


@dataclass(frozen=True)
class CatalogueFilter:
    """What the visitor narrowed the catalogue to. Empty means everything."""

    kind: EventKind | None = None
    programme: str | None = None  #: a programme slug
    q: str = ""

    @property
    def is_empty(self) -> bool:
        return self.kind is None and not self.programme and not self.q.strip()


@dataclass(frozen=True)
class Page:
    items: list[Event]
    number: int
    has_next: bool

    @property
    def has_previous(self) -> bool:
        return self.number > 1


def _like_pattern(word: str) -> str:
    escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _translated(locale: str | None) -> LoaderOption:
    """Loader option: each event's translation into ``locale`` only (at most one row), in the same query."""
    return joinedload(Event.translations.and_(EventTranslation.locale == (locale or "")))


def _public_events(f: CatalogueFilter, locale: str | None = None) -> Select[Event]:
    stmt = (
        select(Event)
        .where(Event.status.in_(PUBLIC_STATUSES))
        .options(joinedload(Event.programme).load_only(Programme.slug, Programme.title), _translated(locale))
    )
    if f.kind is not None:
        stmt = stmt.where(Event.kind == f.kind)
    if f.programme:
        stmt = stmt.join(Event.programme).where(Programme.slug == f.programme)
    for word in f.q.casefold().split()[:MAX_QUERY_WORDS]:
        stmt = stmt.where(Event.search_text.like(_like_pattern(word), escape="\\"))
    return stmt


def upcoming_events(f: CatalogueFilter, *, now: datetime | None = None, locale: str | None = None) -> list[Event]:
    """Public events that have not ended (ongoing ones included), soonest first, with their translation
    into ``locale``. One query."""
    stmt = _public_events(f, locale).where(Event.ends_at > (now or utcnow())).order_by(Event.starts_at, Event.id)
    return list(db.session.scalars(stmt).unique())


def past_events(
    f: CatalogueFilter, *, page: int = 1, per_page: int = 20, now: datetime | None = None, locale: str | None = None
) -> Page:
    """Public events that have ended, newest first, a page at a time. One query."""
    stmt = (
        _public_events(f, locale)
        .where(Event.ends_at <= (now or utcnow()))
        .order_by(Event.starts_at.desc(), Event.id.desc())
        .offset((page - 1) * per_page)
        .limit(per_page + 1)
    )
    rows = list(db.session.scalars(stmt).unique())
    return Page(items=rows[:per_page], number=page, has_next=len(rows) > per_page)


@cache
def _public_event_statement() -> Select[Event, EventTranslation | None, Programme | None, bool]:
    """The event page's query, built once (its cache key then too): the slug and the locale are parameters.

    The visitor's translation and the programme are entities of the row (at most one of each), not joined
    collections: the ORM sets up its loading for each entity and each joined collection on every execution,
    and a joined collection costs it more (about 60 µs of the page's CPU for these two)."""
    has_agenda = select(AgendaItem.id).where(AgendaItem.event_id == Event.id).exists()
    # A parameter per status, not ``in_``: an IN list is expanded into the SQL text on every execution.
    public = or_(*(Event.status == status for status in sorted(PUBLIC_STATUSES)))
    return (
        select(Event, EventTranslation, Programme, has_agenda)
        .outerjoin(
            EventTranslation,
            (EventTranslation.event_id == Event.id) & (EventTranslation.locale == bindparam("locale")),
        )
        .outerjoin(Event.programme)
        .where(Event.slug == bindparam("slug"), public)
        .options(
            # The programme's contact persons join the same query (a few rows per event, not a query more).
            joinedload(Programme.contacts),
            joinedload(Event.chosen_contacts),  # the event's own choice of them, if it made one
        )
    )


def public_event(slug: str, locale: str | None = None) -> Event | None:
    """A public event with its programme, agenda and speakers loaded, and its texts' translations into
    ``locale``: one query for an event without an agenda, two with one, whatever the size."""
    row = db.session.execute(_public_event_statement(), {"slug": slug, "locale": locale or ""}).unique().one_or_none()
    if row is None:
        return None
    event, translation, programme, with_agenda = row
    set_committed_value(event, "translations", [translation] if translation is not None else [])
    set_committed_value(event, "programme", programme)
    # The agenda with its speakers in a second query, only when there is one (a webinar of one talk often
    # has none); the materials section uses the same list.
    set_committed_value(event, "agenda_items", _agenda(event.id, locale) if with_agenda else [])
    return event


@cache
def _agenda_statement() -> Select[AgendaItem]:
    """The event page's agenda query, built once: the event id and the locale are parameters."""
    return (
        select(AgendaItem)
        .where(AgendaItem.event_id == bindparam("event_id"))
        .order_by(AgendaItem.position, AgendaItem.starts_at, AgendaItem.id)  # as Event.agenda_items
        .options(
            joinedload(AgendaItem.speaker_links).joinedload(AgendaItemSpeaker.speaker),
            joinedload(AgendaItem.translations.and_(AgendaItemTranslation.locale == bindparam("locale"))),
        )
    )


def _agenda(event_id: int, locale: str | None) -> list[AgendaItem]:
    return list(db.session.scalars(_agenda_statement(), {"event_id": event_id, "locale": locale or ""}).unique())


def programme_events(
    programme: Programme, *, now: datetime | None = None, locale: str | None = None
) -> tuple[list[Event], list[Event]]:
    """A programme's public events: (upcoming soonest first, past newest first). One query."""
    now = now or utcnow()
    stmt = (
        select(Event)
        .where(Event.programme_id == programme.id, Event.status.in_(PUBLIC_STATUSES))
        .options(_translated(locale))
        .order_by(Event.starts_at, Event.id)
    )
    # Event.programme then comes from the identity map (the programme is loaded): no query per row.
    events = list(db.session.scalars(stmt).unique())
    upcoming = [e for e in events if e.ends_at > now]
    past = [e for e in events if e.ends_at <= now]
    past.reverse()
    return upcoming, past


def _for_calendar(stmt: Select[Event]) -> Select[Event]:
    """Leave out the columns calendars never show (raising, not querying, if one is read after all)."""
    return stmt.options(defer(Event.description_md, raiseload=True), defer(Event.search_text, raiseload=True))


def feed_events(f: CatalogueFilter, *, limit: int = FEED_LIMIT) -> list[Event]:
    """Public events for a calendar feed: upcoming and past, cancelled ones included, in order of start.

    At most ``limit`` of them: those that start latest. One query.
    """
    stmt = _for_calendar(_public_events(f)).order_by(Event.starts_at.desc(), Event.id.desc()).limit(limit)
    events = list(db.session.scalars(stmt).unique())
    events.reverse()
    return events


def public_event_for_calendar(slug: str) -> Event | None:
    """A public event (published or cancelled) for its calendar file, nothing else loaded. One query."""
    stmt = select(Event).where(Event.slug == slug, Event.status.in_(PUBLIC_STATUSES))
    return db.session.scalars(_for_calendar(stmt)).one_or_none()


def next_event_per_programme(*, now: datetime | None = None, locale: str | None = None) -> dict[int, Event]:
    """Each programme's next published event that has not ended (soonest first; ongoing ones count), with
    its translation into ``locale``, by programme id. One query, whatever the number of programmes."""
    ranked = (
        select(
            Event.id,
            func.row_number().over(partition_by=Event.programme_id, order_by=(Event.starts_at, Event.id)).label("rank"),
        )
        .where(
            Event.programme_id.is_not(None), Event.status == EventStatus.PUBLISHED, Event.ends_at > (now or utcnow())
        )
        .subquery()
    )
    stmt = select(Event).join(ranked, (ranked.c.id == Event.id) & (ranked.c.rank == 1)).options(_translated(locale))
    return {event.programme_id: event for event in db.session.scalars(stmt).unique() if event.programme_id}


def first_to_end(events: list[Event]) -> datetime | None:
    """When the first of these events ends (None for no events)."""
    return min((e.ends_at for e in events), default=None)


def programme_has_public_events(programme_id: int) -> bool:
    """Whether any event of the programme is (or was) public, so its address may have been shared."""
    stmt = select(Event.id).where(Event.programme_id == programme_id, Event.status.in_(PUBLIC_STATUSES)).limit(1)
    return db.session.scalars(stmt).first() is not None


def manageable_programmes_with_event_counts(user: User) -> list[tuple[Programme, int]]:
    """The programmes ``user`` may manage, by title, each with its number of events (any status). One
    query."""
    counts = select(Event.programme_id, func.count(Event.id).label("n")).group_by(Event.programme_id).subquery()
    stmt = (
        manageable_programmes(user)
        .outerjoin(counts, counts.c.programme_id == Programme.id)
        .add_columns(func.coalesce(counts.c.n, 0))
        .order_by(Programme.title, Programme.id)
    )
    return [(programme, count) for programme, count in db.session.execute(stmt)]
