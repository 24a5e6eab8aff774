"""Reads for the back office."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import selectinload

from eventapp.accounts.models import User
from eventapp.events.models import Event
from eventapp.events.permissions import manageable_events
from eventapp.extensions import db
from eventapp.registrations.enums import AttendanceMode, OrganisationType, RegistrationStatus
from eventapp.registrations.models import (
    CustomQuestion,
    ParticipationRequirement,
    Registration,
    RegistrationAnswer,
    RequirementConfirmation,
)
from eventapp.registrations.queries import in_pool


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
    attendance: AttendanceMode | None = None  #: a hybrid event's mode (no mode counts as on site)


def _matching(event_id: int, f: RegistrationFilter) -> Select[Registration]:
    stmt = select(Registration).where(Registration.event_id == event_id)
    if f.status is not None:
        stmt = stmt.where(Registration.status == f.status)
    if f.organisation_type is not None:
        stmt = stmt.where(Registration.organisation_type == f.organisation_type)
    if f.country:
        stmt = stmt.where(Registration.country == f.country.upper())
    if f.attendance is not None:
        stmt = stmt.where(in_pool(f.attendance))
    for word in f.q.lower().split()[:5]:
        pattern = "%" + word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        stmt = stmt.where(
            or_(
                func.lower(Registration.name).like(pattern, escape="\\"),
                Registration.email.like(pattern, escape="\\"),
                func.lower(Registration.organisation).like(pattern, escape="\\"),
            )
        )
    return stmt


def registrations(event_id: int, f: RegistrationFilter) -> list[Registration]:
    """An event's registrations matching the filter, in sign-up order, with answers (for exports). Two
    queries."""
    stmt = _matching(event_id, f).options(selectinload(Registration.answers)).order_by(Registration.id)
    return list(db.session.scalars(stmt))


@dataclass(frozen=True)
class ExportRow:
    """One registration as the exports write it: plain values, no ORM object (2,000 of those cost more
    than the spreadsheet itself)."""

    name: str
    email: str
    organisation: str
    organisation_type: OrganisationType
    country: str
    job_title: str
    organisation_number: str
    status: RegistrationStatus
    created_at: datetime
    checked_in_at: datetime | None
    attendance: AttendanceMode | None
    answers: dict[int, str]


def export_rows(event_id: int, f: RegistrationFilter) -> list[ExportRow]:
    """The registrations matching the filter, in sign-up order, with their answers. Two queries."""
    matching = _matching(event_id, f).subquery()
    names = ("id", "name", "email", "organisation", "organisation_type", "country", "job_title",
             "organisation_number", "status", "created_at", "checked_in_at", "attendance")  # fmt: skip
    columns = [matching.c[name] for name in names]
    people = db.session.execute(select(*columns).order_by(matching.c.id)).all()
    answers: dict[int, dict[int, str]] = {}
    if people:
        found = db.session.execute(
            select(RegistrationAnswer.registration_id, RegistrationAnswer.question_id, RegistrationAnswer.value)
            .join(Registration, Registration.id == RegistrationAnswer.registration_id)
            .where(Registration.event_id == event_id)
        )
        for registration_id, question_id, value in found:
            answers.setdefault(registration_id, {})[question_id] = value
    return [ExportRow(*row[1:], answers=answers.get(row[0], {})) for row in people]  # type: ignore[misc]  # row[1:]: the columns before answers


#: Rows per page of the registrations list.
PAGE_SIZE = 100


@dataclass(frozen=True)
class Page:
    """One page of a list: its rows, which page it is (from 1), and how many rows there are in all."""

    rows: list[Registration]
    number: int
    total: int
    size: int = PAGE_SIZE

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.size))

    @property
    def first(self) -> int:
        return (self.number - 1) * self.size + 1 if self.rows else 0

    @property
    def last(self) -> int:
        return self.first + len(self.rows) - 1 if self.rows else 0


def registrations_page(event_id: int, f: RegistrationFilter, page: int = 1, *, size: int = PAGE_SIZE) -> Page:
    """One page of the registrations list, in sign-up order; a page past the end gives the last one.
    Two queries, whatever the number of registrations."""
    total = db.session.scalar(select(func.count()).select_from(_matching(event_id, f).subquery())) or 0
    number = min(max(page, 1), max(1, -(-total // size)))
    rows = db.session.scalars(_matching(event_id, f).order_by(Registration.id).offset((number - 1) * size).limit(size))
    return Page(rows=list(rows), number=number, total=total, size=size)


@dataclass(frozen=True)
class Application:
    """What a pending person told the organiser: each question with their answer ("" if none), and each
    participation requirement with whether they confirmed it (people added by hand confirmed nothing)."""

    answers: list[tuple[CustomQuestion, str]]
    requirements: list[tuple[ParticipationRequirement, bool]]


def applications(event: Event, registration_ids: list[int]) -> dict[int, Application]:
    """The answers and confirmed requirements of these registrations, for deciding on them. At most four
    queries (the event's questions, its requirements, the answers, the confirmations), whatever the
    number of people; none when ``registration_ids`` is empty."""
    if not registration_ids:
        return {}
    questions, requirements = list(event.custom_questions), list(event.requirements)
    answers: dict[int, dict[int, str]] = {rid: {} for rid in registration_ids}
    confirmed: dict[int, set[int]] = {rid: set() for rid in registration_ids}
    if questions:
        rows = db.session.execute(
            select(RegistrationAnswer.registration_id, RegistrationAnswer.question_id, RegistrationAnswer.value)
            .where(RegistrationAnswer.registration_id.in_(registration_ids))
        )  # fmt: skip
        for registration_id, question_id, value in rows:
            answers[registration_id][question_id] = value
    if requirements:
        confirmations = db.session.execute(
            select(RequirementConfirmation.registration_id, RequirementConfirmation.requirement_id)
            .where(RequirementConfirmation.registration_id.in_(registration_ids))
        )  # fmt: skip
        for registration_id, requirement_id in confirmations:
            confirmed[registration_id].add(requirement_id)
    return {
        rid: Application(
            answers=[(q, answers[rid].get(q.id, "")) for q in questions],
            requirements=[(r, r.id in confirmed[rid]) for r in requirements],
        )
        for rid in registration_ids
    }


def pending_registrations(event_id: int, *, limit: int = 1000) -> list[Registration]:
    """Everyone waiting for the organiser's decision, in sign-up order (the side-by-side view)."""
    return list(db.session.scalars(_matching(event_id, RegistrationFilter(status=RegistrationStatus.PENDING))
                                   .order_by(Registration.id).limit(limit)))  # fmt: skip


def check_in_list(
    event_id: int, q: str, attendance: AttendanceMode | None = None
) -> tuple[list[Registration], int, int]:
    """Confirmed attendees matching ``q`` (name, email, organisation) and, at a hybrid event, ``attendance``,
    by name; and how many of all confirmed have arrived, of how many. Two queries."""
    people = registrations(event_id, RegistrationFilter(status=RegistrationStatus.CONFIRMED, q=q,
                                                        attendance=attendance))  # fmt: skip
    people.sort(key=lambda r: r.name.casefold())
    arrived, total = db.session.execute(
        select(func.count(Registration.checked_in_at), func.count()).where(
            Registration.event_id == event_id, Registration.status == RegistrationStatus.CONFIRMED
        )
    ).one()
    return people, int(arrived), int(total)
