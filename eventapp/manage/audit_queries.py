"""Reads of the change log for the back office: an event's, a programme's (the programme, its contact
persons, people and partners, its interest list and its calls) and the site's (everything that has no
event: accounts, programmes, interest lists, calls, the site's settings), each line written in the
reader's language (``accounts.audit.describe``)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import tzinfo

from sqlalchemy import ColumnElement, Select, func, or_, select
from sqlalchemy.orm import selectinload

from eventapp.accounts import audit
from eventapp.accounts.models import AuditEntry
from eventapp.calls.models import Call
from eventapp.extensions import db
from eventapp.registrations.models import Registration

#: The areas of the site-wide change log, each by the prefixes of its actions ("account.created").
AREAS: dict[str, tuple[str, ...]] = {
    "accounts": ("account.",),
    "programmes": ("programme.",),
    "interest": ("interest.",),
    "calls": ("call.",),
    "site": ("site.",),
}

#: Lines per page of the site-wide change log.
LOG_PAGE_SIZE = 100


@dataclass(frozen=True)
class AuditLine:
    """One line of a change log, its names looked up now (a purged person is "a removed person")."""

    entry: AuditEntry
    text: str
    #: "en" for an entry written before lines were rendered per language (its stored English summary).
    lang: str | None = None


@dataclass(frozen=True)
class LogPage:
    """One page of a change log, newest first: its lines, which page it is (from 1), how many in all."""

    lines: list[AuditLine]
    number: int
    total: int
    size: int = LOG_PAGE_SIZE

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.size))


def _lines(entries: Sequence[AuditEntry], zone: tzinfo | None) -> list[AuditLine]:
    """The entries as lines in the page's language: one query for the people they name (none if none)."""
    ids = set().union(*(audit.people_concerned(e) for e in entries)) if entries else set()
    people = {r.id: r for r in db.session.scalars(select(Registration).where(Registration.id.in_(ids)))} if ids else {}
    return [AuditLine(entry=e, text=audit.describe(e, people, zone), lang="en" if e.summary else None) for e in entries]


def _newest(where: ColumnElement[bool]) -> Select[AuditEntry]:
    return select(AuditEntry).where(where).options(selectinload(AuditEntry.actor)).order_by(AuditEntry.id.desc())


def audit_log(event_id: int, *, limit: int = 500, zone: tzinfo | None = None) -> list[AuditLine]:
    """The event's change log, newest first, in the page's language (times in ``zone``, the event's). Two
    queries: the entries, then the people they name."""
    return _lines(list(db.session.scalars(_newest(AuditEntry.event_id == event_id).limit(limit))), zone)


def _about_programme(programme_id: int) -> ColumnElement[bool]:
    """Entries with no event about the programme: its own, its parts' and its interest list's (they store
    ``programme_id``), and its calls' (they store ``call_id``)."""
    calls = select(Call.id).where(Call.programme_id == programme_id).scalar_subquery()
    return AuditEntry.event_id.is_(None) & or_(
        AuditEntry.details["programme_id"].as_integer() == programme_id,
        AuditEntry.action.startswith("call.", autoescape=True) & AuditEntry.details["call_id"].as_integer().in_(calls),
    )


def programme_log(programme_id: int, *, limit: int = 500, zone: tzinfo | None = None) -> list[AuditLine]:
    """The programme's change log, newest first, in the page's language (its events' changes are in each
    event's log). One query (no entry without an event names a registration)."""
    return _lines(list(db.session.scalars(_newest(_about_programme(programme_id)).limit(limit))), zone)


def site_log(
    area: str | None = None, page: int = 1, *, size: int = LOG_PAGE_SIZE, zone: tzinfo | None = None
) -> LogPage:
    """One page of the site's change log: every entry with no event, newest first, only those of ``area``
    (a key of ``AREAS``) when given; a page past the end gives the last one. Two queries."""
    where: ColumnElement[bool] = AuditEntry.event_id.is_(None)
    if area is not None:
        where = where & or_(*(AuditEntry.action.startswith(prefix, autoescape=True) for prefix in AREAS[area]))
    total = db.session.scalar(select(func.count()).select_from(AuditEntry).where(where)) or 0
    number = min(max(page, 1), max(1, -(-total // size)))
    entries = list(db.session.scalars(_newest(where).offset((number - 1) * size).limit(size)))
    return LogPage(lines=_lines(entries, zone), number=number, total=total, size=size)
