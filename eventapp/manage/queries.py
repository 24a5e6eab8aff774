"""Reads for the back office."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, or_, select
from sqlalchemy.orm import selectinload

from eventapp.accounts.models import AuditEntry, User
from eventapp.accounts.permissions import manageable_events
from eventapp.events.models import Event
from eventapp.extensions import db
from eventapp.registrations.enums import OrganisationType, RegistrationStatus
from eventapp.registrations.models import Registration


def dashboard_events(user: User) -> list[tuple[Event, dict[RegistrationStatus, int]]]:
    """The events ``user`` manages, newest start first, with registration counts by status. Two queries."""
    events = list(db.session.scalars(manageable_events(user).order_by(Event.starts_at.desc(), Event.id.desc())))
    counts: dict[int, dict[RegistrationStatus, int]] = {e.id: {} for e in events}
    if events:
        rows = db.session.execute(
            select(Registration.event_id, Registration.status, func.count())
            .where(Registration.event_id.in_(counts))
            .group_by(Registration.event_id, Registration.status)
        )
        for event_id, status, count in rows:
            counts[event_id][status] = count
    return [(event, counts[event.id]) for event in events]


@dataclass(frozen=True)
class RegistrationFilter:
    status: RegistrationStatus | None = None
    organisation_type: OrganisationType | None = None
    country: str = ""
    q: str = ""


def registrations(event_id: int, f: RegistrationFilter) -> list[Registration]:
    """An event's registrations matching the filter, in sign-up order, with answers. Two queries."""
    stmt = (
        select(Registration)
        .where(Registration.event_id == event_id)
        .options(selectinload(Registration.answers))
        .order_by(Registration.id)
    )
    if f.status is not None:
        stmt = stmt.where(Registration.status == f.status)
    if f.organisation_type is not None:
        stmt = stmt.where(Registration.organisation_type == f.organisation_type)
    if f.country:
        stmt = stmt.where(Registration.country == f.country.upper())
    for word in f.q.lower().split()[:5]:
        pattern = "%" + word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        stmt = stmt.where(
            or_(
                func.lower(Registration.name).like(pattern, escape="\\"),
                Registration.email.like(pattern, escape="\\"),
                func.lower(Registration.organisation).like(pattern, escape="\\"),
            )
        )
    return list(db.session.scalars(stmt))


def audit_log(event_id: int, *, limit: int = 500) -> list[AuditEntry]:
    return list(
        db.session.scalars(
            select(AuditEntry)
            .where(AuditEntry.event_id == event_id)
            .options(selectinload(AuditEntry.actor))
            .order_by(AuditEntry.id.desc())
            .limit(limit)
        )
    )


def check_in_list(event_id: int, q: str) -> tuple[list[Registration], int, int]:
    """Confirmed attendees matching ``q`` (name, email, organisation), by name; and how many of all
    confirmed have arrived, of how many. Two queries."""
    people = registrations(event_id, RegistrationFilter(status=RegistrationStatus.CONFIRMED, q=q))
    people.sort(key=lambda r: r.name.casefold())
    arrived, total = db.session.execute(
        select(func.count(Registration.checked_in_at), func.count()).where(
            Registration.event_id == event_id, Registration.status == RegistrationStatus.CONFIRMED
        )
    ).one()
    return people, int(arrived), int(total)
