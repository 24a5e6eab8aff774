"""Reads of registrations: seat counts, positions, look-ups by token."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, bindparam, func, literal_column, select
from sqlalchemy.orm import joinedload

from eventapp.db import utcnow
from eventapp.events.enums import EventStatus
from eventapp.events.models import Event
from eventapp.extensions import db
from eventapp.registrations.enums import ACTIVE_STATUSES, RegistrationStatus
from eventapp.registrations.models import Registration, RegistrationToken, SeatCount
from eventapp.security import hash_token, looks_like_token


@dataclass(frozen=True)
class SeatCounts:
    confirmed: int = 0
    waitlisted: int = 0
    pending: int = 0
    offered: int = 0  #: waitlisted people holding an unexpired offer (their seat is taken)

    @property
    def taken(self) -> int:
        return self.confirmed + self.offered


_SEATS = SeatCount.__table__
_REGISTRATIONS = Registration.__table__
#: Literal, not a parameter: then PostgreSQL sees that the partial unique index (one active
#: registration per address) answers the look-up, also in a prepared statement's generic plan.
_NOT_CANCELLED = _REGISTRATIONS.c.status != literal_column("'cancelled'")


def _seats_statement(event_id: Any, *, with_email: bool = False) -> Select[Any]:
    """One row: the event's confirmed, waitlisted and pending (the triggers' counter row), its live offers
    (through the partial index on offers) and, ``with_email``, the id of that address's active
    registration (through the partial unique index). None of it reads more rows as registrations grow."""
    offered = (
        select(func.count())
        .select_from(_REGISTRATIONS)
        .where(
            _REGISTRATIONS.c.event_id == event_id,
            _REGISTRATIONS.c.offer_expires_at > bindparam("now"),
            _REGISTRATIONS.c.status == literal_column("'waitlisted'"),
        )
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
    ).where(_SEATS.c.event_id == event_id)


# Built once: the event page and every sign-up run these, so they skip the statement construction.
_SEATS_BY_ID = _seats_statement(bindparam("event_id"))
_SEATS_AND_REGISTRATION = _seats_statement(bindparam("event_id"), with_email=True)


def _read_seats(statement: Select[Any], params: dict[str, Any]) -> tuple[SeatCounts, int | None]:
    confirmed, waitlisted, pending, offered, theirs = db.session.connection().execute(statement, params).one()
    counts = SeatCounts(confirmed=int(confirmed), waitlisted=int(waitlisted), pending=int(pending),
                        offered=int(offered))  # fmt: skip
    return counts, theirs


def seat_counts(event_id: int, *, now: datetime | None = None) -> SeatCounts:
    """Counts by status for one event. One query, the same cost at any number of registrations."""
    return _read_seats(_SEATS_BY_ID, {"event_id": event_id, "now": now or utcnow()})[0]


def seat_counts_and_registration(event_id: int, email: str, *, now: datetime) -> tuple[SeatCounts, int | None]:
    """``seat_counts`` and the id of ``email``'s registration that is not cancelled (or None), in one
    query: what a sign-up reads while it holds the event's lock, so the lock is held for one round trip."""
    return _read_seats(_SEATS_AND_REGISTRATION, {"event_id": event_id, "email": email, "now": now})


def waitlist_position(registration: Registration) -> int | None:
    """1 for the first person waiting; None when not on the waiting list. One query."""
    if registration.status is not RegistrationStatus.WAITLISTED:
        return None
    ahead = db.session.scalar(
        select(func.count()).where(
            Registration.event_id == registration.event_id,
            Registration.status == RegistrationStatus.WAITLISTED,
            Registration.id < registration.id,
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
class RegistrationSituation:
    state: RegistrationState
    seats_left: int | None  #: None: no limit
    counts: SeatCounts
    changes_at: datetime | None  #: the next moment the state changes by itself (window opens/closes, start)

    @property
    def needs_approval_note(self) -> bool:
        return self.state.accepts_sign_ups


#: "Few seats left" from this many down (or a tenth of the capacity, whichever is more).
FEW_SEATS = 5


def situation(event: Event, counts: SeatCounts, *, now: datetime | None = None) -> RegistrationSituation:
    """The honest state of registration for an event, from its settings, counts and the clock."""
    now = now or utcnow()
    closes_at = event.registration_closes_at or event.starts_at
    upcoming = [t for t in (event.registration_opens_at, closes_at, event.ends_at) if t and t > now]
    changes_at = min(upcoming, default=None)
    seats_left = None if event.capacity is None else max(event.capacity - counts.taken, 0)
    if event.status is EventStatus.DRAFT:
        state = RegistrationState.DRAFT
    elif event.status is EventStatus.CANCELLED:
        state = RegistrationState.CANCELLED
    elif event.ends_at <= now:
        state = RegistrationState.PAST
    elif event.registration_opens_at and now < event.registration_opens_at:
        state = RegistrationState.NOT_YET_OPEN
    elif now >= closes_at:
        state = RegistrationState.CLOSED
    elif seats_left is None or seats_left > max(FEW_SEATS, (event.capacity or 0) // 10):
        state = RegistrationState.OPEN
    elif seats_left > 0:
        state = RegistrationState.FEW_LEFT
    elif event.waitlist_enabled:
        state = RegistrationState.WAITLIST
    else:
        state = RegistrationState.FULL
    return RegistrationSituation(state=state, seats_left=seats_left, counts=counts, changes_at=changes_at)


CLOSED_MESSAGES = {
    RegistrationState.FULL: _l("The event is full, and it has no waiting list."),
    RegistrationState.NOT_YET_OPEN: _l("Registration has not opened yet."),
    RegistrationState.CLOSED: _l("Registration for this event has closed."),
    RegistrationState.CANCELLED: _l("This event has been cancelled."),
    RegistrationState.PAST: _l("This event has already taken place."),
    RegistrationState.DRAFT: _l("This event is not published."),
}


def offer_deadline(event: Event, now: datetime) -> datetime:
    deadline = now + timedelta(hours=event.offer_hours)
    return min(deadline, event.starts_at) if event.starts_at > now else deadline


_EVENT_ID_BY_SLUG = select(Event.__table__.c.id).where(Event.__table__.c.slug == bindparam("slug")).scalar_subquery()
_SEATS_BY_SLUG = _seats_statement(_EVENT_ID_BY_SLUG)


def seat_counts_for_slug(slug: str, *, now: datetime | None = None) -> SeatCounts:
    """``seat_counts`` of the event with this slug (zeros for none). One query."""
    return _read_seats(_SEATS_BY_SLUG, {"slug": slug, "now": now or utcnow()})[0]


def event_for_sign_up(slug: str) -> Event | None:
    """A public event with what its sign-up form needs (requirements, questions): one query (an event has
    a handful of each, so joining both costs less than two more round trips)."""
    from eventapp.events.enums import PUBLIC_STATUSES

    return (
        db.session.scalars(
            select(Event)
            .where(Event.slug == slug, Event.status.in_(PUBLIC_STATUSES))
            .options(
                joinedload(Event.requirements),
                joinedload(Event.custom_questions),
                joinedload(Event.chosen_contacts),  # the contact persons the form shows, if the event chose
            )
        )
        .unique()
        .one_or_none()
    )


def active_registration_count(event_id: int) -> dict[str, int]:
    """How many registrations of the event are active, by status value. One query."""
    rows = db.session.execute(
        select(Registration.status, func.count())
        .where(Registration.event_id == event_id, Registration.status.in_(ACTIVE_STATUSES))
        .group_by(Registration.status)
    )
    return {status.value: count for status, count in rows}
