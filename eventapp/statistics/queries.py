"""Reads for the statistics pages: counts made by the database (GROUP BY), never by loading every
registration. Each function runs a fixed number of queries, however many registrations or events.

Words used here:
* a *sign-up* is any registration ever made, including those later cancelled or not approved;
* a registration is *active* while it holds a place in the event's lists: confirmed, on the waiting
  list (offered a seat or not) or awaiting approval (``ACTIVE_STATUSES``);
* *attendance* is checked-in confirmed attendees out of confirmed ones, once an event has started.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import ColumnElement, Integer, case, cast, func, select

from eventapp.accounts.models import User
from eventapp.db import utcnow
from eventapp.events.models import Event, zone
from eventapp.events.permissions import manageable_events
from eventapp.extensions import db
from eventapp.formatting import format_locale
from eventapp.programmes.models import Programme
from eventapp.programmes.permissions import manageable_programmes
from eventapp.registrations.enums import ACTIVE_STATUSES, AttendanceMode, OrganisationType, RegistrationStatus
from eventapp.registrations.models import Registration

#: The order statuses are listed in: the people coming first, those who left last.
STATUS_ORDER = (
    RegistrationStatus.CONFIRMED,
    RegistrationStatus.WAITLISTED,
    RegistrationStatus.PENDING,
    RegistrationStatus.REJECTED,
    RegistrationStatus.CANCELLED,
)


# --- what the queries return -----------------------------------------------------------------------


@dataclass(frozen=True)
class StatusCounts:
    """Sign-ups by status; ``offered``: of those waiting, how many have a seat offered to them now;
    ``checked_in``: of the confirmed, how many were checked in."""

    by_status: Mapping[RegistrationStatus, int] = field(default_factory=dict)
    offered: int = 0
    checked_in: int = 0

    def __getitem__(self, status: RegistrationStatus) -> int:
        return self.by_status.get(status, 0)

    @property
    def signed_up(self) -> int:
        return sum(self.by_status.values())

    @property
    def active(self) -> int:
        return sum(self[s] for s in ACTIVE_STATUSES)

    @property
    def confirmed(self) -> int:
        return self[RegistrationStatus.CONFIRMED]

    @property
    def withdrawn(self) -> int:
        """Cancelled or not approved."""
        return self[RegistrationStatus.CANCELLED] + self[RegistrationStatus.REJECTED]

    def __add__(self, other: StatusCounts) -> StatusCounts:
        by_status = {s: self[s] + other[s] for s in STATUS_ORDER if self[s] + other[s]}
        return StatusCounts(by_status, self.offered + other.offered, self.checked_in + other.checked_in)


@dataclass(frozen=True)
class Attendance:
    """Checked in out of confirmed. The rate is known only once an event has started and someone was
    checked in: an online event where nobody uses the check-in list has no attendance figure, not 0 %.
    For a programme the figures add up the events that have started and have check-ins."""

    started: bool
    confirmed: int
    checked_in: int
    #: Events the figures cover (a programme: those started with check-ins recorded).
    events: int = 1

    @property
    def recorded(self) -> bool:
        return self.checked_in > 0

    @property
    def rate(self) -> float | None:
        if not self.started or not self.confirmed or not self.checked_in:
            return None
        return self.checked_in / self.confirmed


@dataclass(frozen=True)
class Day:
    """One day with sign-ups, in the time zone of the statistics."""

    day: date
    #: Sign-ups made that day.
    signed_up: int
    #: Of those, how many are still active.
    still_active: int
    #: Sign-ups up to and including that day.
    signed_up_so_far: int
    #: Of those, how many are still active.
    active_so_far: int


@dataclass(frozen=True)
class Timeline:
    """Cumulative sign-ups per day, from the first sign-up to ``last_day`` (the event's start, or
    today if that is earlier; later when someone was added after the start)."""

    zone: str
    days: list[Day]
    last_day: date | None

    @property
    def first_day(self) -> date | None:
        return self.days[0].day if self.days else None

    def every_day(self) -> list[Day]:
        """Every day from the first sign-up to ``last_day``, days without sign-ups included."""
        if not self.days or self.last_day is None:
            return []
        by_day = {d.day: d for d in self.days}
        out: list[Day] = []
        current, total, active = self.days[0].day, 0, 0
        while current <= self.last_day:
            found = by_day.get(current)
            if found is not None:
                total, active = found.signed_up_so_far, found.active_so_far
            out.append(
                found or Day(day=current, signed_up=0, still_active=0, signed_up_so_far=total, active_so_far=active)
            )
            current += timedelta(days=1)
        return out


@dataclass(frozen=True)
class OrganisationTypeCount:
    organisation_type: OrganisationType
    count: int

    @property
    def label(self) -> str:
        return self.organisation_type.label


@dataclass(frozen=True)
class CountryCount:
    #: ISO 3166 code as registered.
    code: str
    #: The country's name in the viewer's language (the code when Babel does not know it).
    name: str
    count: int

    @property
    def label(self) -> str:
        return self.name


@dataclass(frozen=True)
class EventStatistics:
    event: Event
    statuses: StatusCounts
    attendance: Attendance
    timeline: Timeline
    #: Active registrations by organisation type; every type, in the enum's order.
    organisation_types: list[OrganisationTypeCount]
    #: Active registrations by country; most first.
    countries: list[CountryCount]
    #: A hybrid event's attendance per mode, on site first (a registration without a mode counts as on
    #: site, as everywhere); empty for any other event.
    attendance_by_mode: list[tuple[AttendanceMode, Attendance]] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return self.statuses.signed_up == 0


@dataclass(frozen=True)
class ProgrammeEvent:
    """One event of a programme, in its statistics."""

    event: Event
    statuses: StatusCounts
    attendance: Attendance
    #: Whether the viewer may open the event's own pages (a programme's owner may not manage all its events).
    manageable: bool


@dataclass(frozen=True)
class ProgrammeStatistics:
    programme: Programme
    events: list[ProgrammeEvent]
    statuses: StatusCounts
    attendance: Attendance
    timeline: Timeline
    organisation_types: list[OrganisationTypeCount]
    countries: list[CountryCount]

    @property
    def is_empty(self) -> bool:
        return self.statuses.signed_up == 0


# --- the reads ---------------------------------------------------------------------------------------


def event_statistics(event: Event, *, now: datetime | None = None) -> EventStatistics:
    """The statistics of one event. Four queries; five for a hybrid event (its attendance per mode)."""
    now = now or utcnow()
    where = Registration.event_id == event.id
    statuses = _status_counts(where, now=now).get(event.id, StatusCounts())
    started = event.starts_at <= now
    tz = event.tzinfo
    until = min(event.starts_at, now).astimezone(tz).date()
    return EventStatistics(
        event=event,
        statuses=statuses,
        attendance=Attendance(started=started, confirmed=statuses.confirmed, checked_in=statuses.checked_in),
        timeline=_timeline(where, event.timezone, until=until),
        organisation_types=_organisation_types(where),
        countries=_countries(where),
        attendance_by_mode=_attendance_by_mode(event, started=started) if event.is_hybrid else [],
    )


def _attendance_by_mode(event: Event, *, started: bool) -> list[tuple[AttendanceMode, Attendance]]:
    """Confirmed and checked in per mode of a hybrid event (no mode: on site). One query."""
    mode = func.coalesce(Registration.attendance, AttendanceMode.ON_SITE)
    rows = db.session.execute(
        select(mode, func.count(), func.count(Registration.checked_in_at))
        .where(Registration.event_id == event.id, Registration.status == RegistrationStatus.CONFIRMED)
        .group_by(mode)
    )
    counts = {AttendanceMode(m): (int(confirmed), int(checked_in)) for m, confirmed, checked_in in rows}
    return [
        (m, Attendance(started=started, confirmed=counts.get(m, (0, 0))[0], checked_in=counts.get(m, (0, 0))[1]))
        for m in AttendanceMode
    ]


def programme_by_id(programme_id: int) -> Programme | None:
    return db.session.get(Programme, programme_id)


def programme_statistics(
    programme: Programme, viewer: User, *, default_zone: str, now: datetime | None = None
) -> ProgrammeStatistics:
    """The statistics of a programme: its events together, and one row per event (by start). Days are
    counted in the zone its events share, else in ``default_zone``. Six queries at most (one when it has
    no events; one fewer for an administrator), however many events and registrations."""
    now = now or utcnow()
    events = list(
        db.session.scalars(select(Event).where(Event.programme_id == programme.id).order_by(Event.starts_at, Event.id))
    )
    if not events:
        return ProgrammeStatistics(
            programme=programme,
            events=[],
            statuses=StatusCounts(),
            attendance=Attendance(started=False, confirmed=0, checked_in=0, events=0),
            timeline=Timeline(zone=default_zone, days=[], last_day=None),
            organisation_types=_organisation_types(None),
            countries=[],
        )
    ids = [e.id for e in events]
    where = Registration.event_id.in_(ids)
    per_event = _status_counts(where, now=now)
    manageable = (
        set(ids)
        if viewer.is_admin
        else set(db.session.scalars(manageable_events(viewer).where(Event.id.in_(ids)).with_only_columns(Event.id)))
    )
    rows = []
    for e in events:
        counts = per_event.get(e.id, StatusCounts())
        started = e.starts_at <= now
        rows.append(
            ProgrammeEvent(
                event=e,
                statuses=counts,
                attendance=Attendance(started=started, confirmed=counts.confirmed, checked_in=counts.checked_in),
                manageable=e.id in manageable,
            )
        )
    total = sum((row.statuses for row in rows), StatusCounts())
    measured = [row for row in rows if row.attendance.rate is not None]
    attendance = Attendance(
        started=any(row.attendance.started for row in rows),
        confirmed=sum(row.statuses.confirmed for row in measured),
        checked_in=sum(row.statuses.checked_in for row in measured),
        events=len(measured),
    )
    zones = {e.timezone for e in events}
    zone_name = zones.pop() if len(zones) == 1 else default_zone
    tz = zone(zone_name)
    until = min(max(e.starts_at for e in events), now).astimezone(tz).date()
    return ProgrammeStatistics(
        programme=programme,
        events=rows,
        statuses=total,
        attendance=attendance,
        timeline=_timeline(where, zone_name, until=until),
        organisation_types=_organisation_types(where),
        countries=_countries(where),
    )


def programmes_with_statistics(user: User) -> list[Programme]:
    """The programmes whose statistics ``user`` may see, by title. One query."""
    return list(db.session.scalars(manageable_programmes(user).order_by(Programme.title, Programme.id)))


# --- the aggregates ----------------------------------------------------------------------------------


def _status_counts(where: ColumnElement[bool], *, now: datetime) -> dict[int, StatusCounts]:
    """Sign-ups by event and status, with live offers and check-ins. One query."""
    offered = func.count(case((Registration.offer_expires_at > now, 1)))
    rows = db.session.execute(
        select(
            Registration.event_id, Registration.status, func.count(), offered, func.count(Registration.checked_in_at)
        )
        .where(where)
        .group_by(Registration.event_id, Registration.status)
    )
    by_event: dict[int, dict[RegistrationStatus, int]] = defaultdict(dict)
    extra: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for event_id, status, count, n_offered, n_checked_in in rows:
        by_event[event_id][status] = int(count)
        if status is RegistrationStatus.WAITLISTED:
            extra[event_id][0] += int(n_offered)
        if status is RegistrationStatus.CONFIRMED:
            extra[event_id][1] += int(n_checked_in)
    return {
        event_id: StatusCounts(counts, offered=extra[event_id][0], checked_in=extra[event_id][1])
        for event_id, counts in by_event.items()
    }


def _active(where: ColumnElement[bool]) -> list[ColumnElement[bool]]:
    return [where, Registration.status.in_(ACTIVE_STATUSES)]


def _organisation_types(where: ColumnElement[bool] | None) -> list[OrganisationTypeCount]:
    """Active registrations by organisation type, every type listed (zero too). One query, none for
    ``where=None`` (nothing to count)."""
    counts: dict[OrganisationType, int] = {}
    if where is not None:
        rows = db.session.execute(
            select(Registration.organisation_type, func.count())
            .where(*_active(where))
            .group_by(Registration.organisation_type)
        )
        counts = {kind: int(count) for kind, count in rows}
    return [OrganisationTypeCount(kind, counts.get(kind, 0)) for kind in OrganisationType]


def _countries(where: ColumnElement[bool]) -> list[CountryCount]:
    """Active registrations by country, most first (then by name in the viewer's language). One query."""
    rows = db.session.execute(
        select(Registration.country, func.count()).where(*_active(where)).group_by(Registration.country)
    )
    territories = format_locale().territories
    out = [CountryCount(code=code, name=territories.get(code, code), count=int(count)) for code, count in rows]
    return sorted(out, key=lambda c: (-c.count, c.name.casefold()))


def _timeline(where: ColumnElement[bool], zone_name: str, *, until: date) -> Timeline:
    """Sign-ups per day in ``zone_name``: one query.

    PostgreSQL turns each instant into a local date itself (``timezone()``, DST included). SQLite knows
    no time zones: it counts per quarter hour of UTC (every zone's offset is a whole number of quarter
    hours) and the quarters are put into local days here; at most one row per quarter hour with
    sign-ups, never one per registration."""
    tz = zone(zone_name)
    still_active = func.count(case((Registration.status.in_(ACTIVE_STATUSES), 1)))
    per_day: dict[date, list[int]] = defaultdict(lambda: [0, 0])
    if db.engine.dialect.name == "postgresql":
        local_day = func.date(func.timezone(zone_name, Registration.created_at)).label("local_day")
        rows = db.session.execute(select(local_day, func.count(), still_active).where(where).group_by("local_day"))
        for day, count, active in rows:
            per_day[day][0] += int(count)
            per_day[day][1] += int(active)
    else:
        hour = func.strftime("%Y-%m-%d %H", Registration.created_at).label("utc_hour")
        quarter = (cast(func.strftime("%M", Registration.created_at), Integer) // 15).label("utc_quarter")
        rows = db.session.execute(
            select(hour, quarter, func.count(), still_active).where(where).group_by("utc_hour", "utc_quarter")
        )
        for hour_text, quarter_n, count, active in rows:
            instant = datetime.strptime(hour_text, "%Y-%m-%d %H").replace(tzinfo=UTC)
            day = (instant + timedelta(minutes=15 * int(quarter_n))).astimezone(tz).date()
            per_day[day][0] += int(count)
            per_day[day][1] += int(active)
    return Timeline(zone=zone_name, days=_cumulative(per_day.items()), last_day=max([until, *per_day]))


def _cumulative(per_day: Iterable[tuple[date, list[int]]]) -> list[Day]:
    days, total, active = [], 0, 0
    for day, (count, still) in sorted(per_day):
        total += count
        active += still
        days.append(Day(day=day, signed_up=count, still_active=still, signed_up_so_far=total, active_so_far=active))
    return days


def local_now(zone_name: str, now: datetime | None = None) -> datetime:
    """Now, on the wall clock of ``zone_name`` (for "figures as of ...")."""
    return (now or utcnow()).astimezone(zone(zone_name))
