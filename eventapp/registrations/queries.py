"""Reads of registrations: seat counts, positions, look-ups by token."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from functools import lru_cache
from typing import Any, cast

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, bindparam, func, literal_column, or_, select, true
from sqlalchemy.orm import joinedload

from eventapp.db import utcnow
from eventapp.events.enums import EventFormat, EventStatus
from eventapp.events.models import Event
from eventapp.extensions import db
from eventapp.registrations.enums import ACTIVE_STATUSES, AttendanceMode, RegistrationStatus
from eventapp.registrations.models import Registration, RegistrationToken, SeatCount
from eventapp.security import hash_token, looks_like_token


@dataclass(frozen=True)
class SeatCounts:
    confirmed: int = 0
    waitlisted: int = 0
    pending: int = 0
    offered: int = 0  #: waitlisted people holding an unexpired offer (their seat is taken)
    #: The same four for the online mode of a hybrid event (included in the totals above).
    online_confirmed: int = 0
    online_waitlisted: int = 0
    online_pending: int = 0
    online_offered: int = 0

    @property
    def taken(self) -> int:
        return self.confirmed + self.offered

    def of(self, mode: AttendanceMode | None) -> SeatCounts:
        """The counts of one seat pool: online, on site (the totals less online: a registration without a
        mode counts on site), or (None) the whole event."""
        if mode is None:
            return self
        online = SeatCounts(self.online_confirmed, self.online_waitlisted, self.online_pending, self.online_offered)
        if mode is AttendanceMode.ONLINE:
            return online
        return SeatCounts(self.confirmed - online.confirmed, self.waitlisted - online.waitlisted,
                          self.pending - online.pending, self.offered - online.offered)  # fmt: skip


_SEATS = SeatCount.__table__
_REGISTRATIONS = Registration.__table__
#: Literal, not a parameter: then PostgreSQL sees that the partial unique index (one active
#: registration per address) answers the look-up, also in a prepared statement's generic plan.
_NOT_CANCELLED = _REGISTRATIONS.c.status != literal_column("'cancelled'")


def _seats_statement(event_id: Any, *, with_email: bool = False) -> Select[Any]:
    """One row: the event's confirmed, waitlisted and pending (the triggers' counter row), its live offers
    (through the partial index on offers) and, ``with_email``, the id of that address's active
    registration (through the partial unique index). None of it reads more rows as registrations grow."""
    live_offer = (
        _REGISTRATIONS.c.event_id == event_id,
        _REGISTRATIONS.c.offer_expires_at > bindparam("now"),
        _REGISTRATIONS.c.status == literal_column("'waitlisted'"),
    )
    offered = select(func.count()).select_from(_REGISTRATIONS).where(*live_offer).scalar_subquery()
    offered_online = (
        select(func.count())
        .select_from(_REGISTRATIONS)
        .where(*live_offer, _REGISTRATIONS.c.attendance == literal_column("'online'"))
        .scalar_subquery()
    )
    theirs = (
        select(_REGISTRATIONS.c.id)
        .where(_REGISTRATIONS.c.event_id == event_id, _REGISTRATIONS.c.email == bindparam("email"), _NOT_CANCELLED)
        .scalar_subquery()
        if with_email
        else literal_column("NULL")
    )
    return select(
        func.coalesce(func.sum(_SEATS.c.confirmed), 0),
        func.coalesce(func.sum(_SEATS.c.waitlisted), 0),
        func.coalesce(func.sum(_SEATS.c.pending), 0),
        offered,
        theirs,
        func.coalesce(func.sum(_SEATS.c.online_confirmed), 0),
        func.coalesce(func.sum(_SEATS.c.online_waitlisted), 0),
        func.coalesce(func.sum(_SEATS.c.online_pending), 0),
        offered_online,
    ).where(_SEATS.c.event_id == event_id)


# Built once: the event page and every sign-up run these, so they skip the statement construction.
_SEATS_BY_ID = _seats_statement(bindparam("event_id"))
_SEATS_AND_REGISTRATION = _seats_statement(bindparam("event_id"), with_email=True)


def _read_seats(statement: Select[Any], params: dict[str, Any]) -> tuple[SeatCounts, int | None]:
    confirmed, waitlisted, pending, offered, theirs, *online = db.session.connection().execute(statement, params).one()
    counts = SeatCounts(int(confirmed), int(waitlisted), int(pending), int(offered), *(int(n) for n in online))
    return counts, theirs


def seat_counts(event_id: int, *, now: datetime | None = None) -> SeatCounts:
    """Counts by status for one event. One query, the same cost at any number of registrations."""
    return _read_seats(_SEATS_BY_ID, {"event_id": event_id, "now": now or utcnow()})[0]


def seat_counts_and_registration(event_id: int, email: str, *, now: datetime) -> tuple[SeatCounts, int | None]:
    """``seat_counts`` and the id of ``email``'s registration that is not cancelled (or None), in one
    query: what a sign-up reads while it holds the event's lock, so the lock is held for one round trip."""
    return _read_seats(_SEATS_AND_REGISTRATION, {"event_id": event_id, "email": email, "now": now})


def in_pool(mode: AttendanceMode | None) -> Any:
    """The condition for registrations in one seat pool: a hybrid event's mode (no mode counts on site),
    or (None) the whole event."""
    if mode is AttendanceMode.ONLINE:
        return Registration.attendance == AttendanceMode.ONLINE
    if mode is AttendanceMode.ON_SITE:
        return or_(Registration.attendance.is_(None), Registration.attendance == AttendanceMode.ON_SITE)
    return true()


def waitlist_position(registration: Registration) -> int | None:
    """1 for the first person waiting (on this person's own list: a hybrid event has one per mode); None
    when not on the waiting list. One query."""
    if registration.status is not RegistrationStatus.WAITLISTED:
        return None
    ahead = db.session.scalar(
        select(func.count()).where(
            Registration.event_id == registration.event_id,
            Registration.status == RegistrationStatus.WAITLISTED,
            Registration.id < registration.id,
            in_pool(registration.seat_pool),
        )
    )
    return int(ahead or 0) + 1


def by_token(token: str) -> Registration | None:
    """The registration a valid, unrevoked link opens, with its event. One query."""
    if not looks_like_token(token):
        return None
    return db.session.scalars(
        select(Registration)
        .join(RegistrationToken, RegistrationToken.registration_id == Registration.id)
        .where(RegistrationToken.token_hash == hash_token(token), RegistrationToken.revoked_at.is_(None))
        .options(joinedload(Registration.event).joinedload(Event.programme))
    ).one_or_none()


def active_registration(event_id: int, email: str) -> Registration | None:
    return db.session.scalars(
        select(Registration).where(
            Registration.event_id == event_id,
            Registration.email == email,
            Registration.status != RegistrationStatus.CANCELLED,
        )
    ).one_or_none()


def organisation_count(event_id: int, organisation_key: str) -> int:
    return int(
        db.session.scalar(
            select(func.count()).where(
                Registration.event_id == event_id,
                Registration.organisation_key == organisation_key,
                Registration.status.in_(ACTIVE_STATUSES),
            )
        )
        or 0
    )


class RegistrationState(StrEnum):
    """What the event page tells a visitor about signing up."""

    OPEN = "open"
    FEW_LEFT = "few_left"
    WAITLIST = "waitlist"  #: full; new sign-ups join the waiting list
    FULL = "full"  #: full, no waiting list
    NOT_YET_OPEN = "not_yet_open"
    CLOSED = "closed"
    CANCELLED = "cancelled"
    PAST = "past"
    DRAFT = "draft"

    @property
    def accepts_sign_ups(self) -> bool:
        return self in (RegistrationState.OPEN, RegistrationState.FEW_LEFT, RegistrationState.WAITLIST)


@dataclass(frozen=True)
class ModeSeats:
    """One mode of a hybrid event: its seats left (None: no limit) and its state (open, few left, waiting
    list, full; or the event's own state when registration is not open)."""

    mode: AttendanceMode
    seats_left: int | None
    state: RegistrationState


@dataclass(frozen=True)
class RegistrationSituation:
    state: RegistrationState
    seats_left: int | None  #: None: no limit
    counts: SeatCounts
    changes_at: datetime | None  #: the next moment the state changes by itself (window opens/closes, start)
    #: A hybrid event's modes (on site, online), each with its own seats; empty for any other event.
    modes: tuple[ModeSeats, ...] = ()

    @property
    def needs_approval_note(self) -> bool:
        return self.state.accepts_sign_ups

    def of(self, mode: AttendanceMode) -> ModeSeats | None:
        return next((m for m in self.modes if m.mode is mode), None)


#: "Few seats left" from this many down (or a tenth of the capacity, whichever is more).
FEW_SEATS = 5
#: Of a hybrid event's modes, the one that lets a visitor in most easily decides the event's state.
_BEST_FIRST = (RegistrationState.OPEN, RegistrationState.FEW_LEFT, RegistrationState.WAITLIST, RegistrationState.FULL)


def _capacity(event: Any, mode: AttendanceMode | None) -> int | None:
    """The seats of one pool (works on an Event and on the event page's plain facts alike)."""
    seats: int | None = event.online_capacity if mode is AttendanceMode.ONLINE else event.capacity
    return seats


def _timed_state(event: Any, now: datetime) -> RegistrationState | None:
    """The state the event's status and the clock decide, whatever the seats; None: open for sign-ups."""
    closes_at = event.registration_closes_at or event.starts_at
    if event.status is EventStatus.DRAFT:
        return RegistrationState.DRAFT
    if event.status is EventStatus.CANCELLED:
        return RegistrationState.CANCELLED
    if event.ends_at <= now:
        return RegistrationState.PAST
    if event.registration_opens_at and now < event.registration_opens_at:
        return RegistrationState.NOT_YET_OPEN
    if now >= closes_at:
        return RegistrationState.CLOSED
    return None


def _seat_state(capacity: int | None, taken: int, waitlist_enabled: bool) -> tuple[int | None, RegistrationState]:
    seats_left = None if capacity is None else max(capacity - taken, 0)
    if seats_left is None or seats_left > max(FEW_SEATS, (capacity or 0) // 10):
        return seats_left, RegistrationState.OPEN
    if seats_left > 0:
        return seats_left, RegistrationState.FEW_LEFT
    return seats_left, RegistrationState.WAITLIST if waitlist_enabled else RegistrationState.FULL


def situation(
    event: Event, counts: SeatCounts, *, now: datetime | None = None, mode: AttendanceMode | None = None
) -> RegistrationSituation:
    """The honest state of registration for an event, from its settings, counts and the clock.

    A hybrid event has a state per mode (``modes``); ``mode`` gives that mode's seats and state (what a
    sign-up in that mode meets), else the event's is the most open of its modes and its seats their sum."""
    now = now or utcnow()
    closes_at = event.registration_closes_at or event.starts_at
    upcoming = [t for t in (event.registration_opens_at, closes_at, event.ends_at) if t and t > now]
    changes_at = min(upcoming, default=None)
    timed = _timed_state(event, now)
    if event.format is not EventFormat.HYBRID:
        seats_left, seat_state = _seat_state(event.capacity, counts.taken, event.waitlist_enabled)
        return RegistrationSituation(state=timed or seat_state, seats_left=seats_left, counts=counts,
                                     changes_at=changes_at)  # fmt: skip
    modes = []
    for each in AttendanceMode:
        left, state = _seat_state(_capacity(event, each), counts.of(each).taken, event.waitlist_enabled)
        modes.append(ModeSeats(mode=each, seats_left=left, state=timed or state))
    if mode is not None:
        chosen = next(m for m in modes if m.mode is mode)
        return RegistrationSituation(state=chosen.state, seats_left=chosen.seats_left, counts=counts.of(mode),
                                     changes_at=changes_at, modes=tuple(modes))  # fmt: skip
    lefts = [m.seats_left for m in modes]
    seats_left = None if None in lefts else sum(n or 0 for n in lefts)
    state = timed or min((m.state for m in modes), key=_BEST_FIRST.index)
    return RegistrationSituation(state=state, seats_left=seats_left, counts=counts, changes_at=changes_at,
                                 modes=tuple(modes))  # fmt: skip


CLOSED_MESSAGES = {
    RegistrationState.FULL: _l("The event is full, and it has no waiting list."),
    RegistrationState.NOT_YET_OPEN: _l("Registration has not opened yet."),
    RegistrationState.CLOSED: _l("Registration for this event has closed."),
    RegistrationState.CANCELLED: _l("This event has been cancelled."),
    RegistrationState.PAST: _l("This event has already taken place."),
    RegistrationState.DRAFT: _l("This event is not published."),
}

#: Why a sign-up in one mode of a hybrid event is refused when that mode is full and has no waiting list.
MODE_FULL_MESSAGES = {
    AttendanceMode.ON_SITE: _l("All seats on site are taken, and there is no waiting list."),
    AttendanceMode.ONLINE: _l("All online places are taken, and there is no waiting list."),
}


def offer_deadline(event: Event, now: datetime) -> datetime:
    deadline = now + timedelta(hours=event.offer_hours)
    return min(deadline, event.starts_at) if event.starts_at > now else deadline


_EVENT_ID_BY_SLUG = select(Event.__table__.c.id).where(Event.__table__.c.slug == bindparam("slug")).scalar_subquery()
_SEATS_BY_SLUG = _seats_statement(_EVENT_ID_BY_SLUG)


def seat_counts_for_slug(slug: str, *, now: datetime | None = None) -> SeatCounts:
    """``seat_counts`` of the event with this slug (zeros for none). One query."""
    return _read_seats(_SEATS_BY_SLUG, {"slug": slug, "now": now or utcnow()})[0]


@lru_cache(maxsize=8)
def _event_for_sign_up_statement(hinted: tuple[Any, ...]) -> Select[Any]:
    """``event_for_sign_up``'s statement, built once for the gates that give a condition (``hinted``)."""
    from eventapp.events.enums import PUBLIC_STATUSES
    from eventapp.registrations import gates

    return (
        select(Event, *gates.restriction_columns())
        .where(Event.slug == bindparam("slug"), Event.status.in_(PUBLIC_STATUSES))
        .options(
            joinedload(Event.requirements),
            joinedload(Event.custom_questions),
            joinedload(Event.chosen_contacts),  # the contact persons the form shows, if the event chose
        )
    )


def event_for_sign_up(slug: str) -> Event | None:
    """A public event with what its sign-up form needs (requirements, questions): one query (an event has
    a handful of each, so joining both costs less than two more round trips). It also reads whether each
    gate may restrict the event (``gates.restriction_columns``), so an open event's gates ask nothing more."""
    from eventapp.registrations import gates

    result = db.session.execute(_event_for_sign_up_statement(gates.hinted()), {"slug": slug})
    row = result.unique().one_or_none()
    if row is None:
        return None
    event, *restrictions = row
    gates.note_restrictions(event.id, restrictions)
    return cast(Event, event)


def active_registration_count(event_id: int) -> dict[str, int]:
    """How many registrations of the event are active, by status value. One query."""
    rows = db.session.execute(
        select(Registration.status, func.count())
        .where(Registration.event_id == event_id, Registration.status.in_(ACTIVE_STATUSES))
        .group_by(Registration.status)
    )
    return {status.value: count for status, count in rows}


@dataclass(frozen=True)
class ModeFigures:
    """One mode of a hybrid event as the back office shows it: confirmed of its seats, and waiting."""

    mode: AttendanceMode
    confirmed: int
    waitlisted: int
    pending: int
    capacity: int | None

    @property
    def filled(self) -> str:
        """ "8/10", or "8" when the mode has no limit."""
        return f"{self.confirmed}/{self.capacity}" if self.capacity is not None else str(self.confirmed)


def mode_figures(event: Event, counts: SeatCounts | None = None) -> list[ModeFigures]:
    """Per mode of a hybrid event (empty for any other): confirmed, waiting and seats. One query (the
    counter row) unless ``counts`` are given."""
    if not event.is_hybrid:
        return []
    counts = counts or seat_counts(event.id)
    return [
        ModeFigures(mode, c.confirmed, c.waitlisted, c.pending, event.capacity_for(mode))
        for mode, c in ((mode, counts.of(mode)) for mode in AttendanceMode)
    ]


def confirmed_by_mode(events: list[Event]) -> dict[int, list[ModeFigures]]:
    """``mode_figures`` of the hybrid ones among ``events``, from their counter rows: one query."""
    hybrid = {e.id: e for e in events if e.is_hybrid}
    if not hybrid:
        return {}
    rows = db.session.execute(select(SeatCount).where(SeatCount.event_id.in_(hybrid))).scalars()
    found = {
        row.event_id: SeatCounts(row.confirmed, row.waitlisted, row.pending, 0, row.online_confirmed,
                                 row.online_waitlisted, row.online_pending, 0)
        for row in rows
    }  # fmt: skip
    return {event_id: mode_figures(event, found.get(event_id, SeatCounts())) for event_id, event in hybrid.items()}
