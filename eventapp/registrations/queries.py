"""Reads of registrations: seat counts, positions, look-ups by token."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, and_, bindparam, case, func, select
from sqlalchemy.orm import joinedload

from eventapp.db import utcnow
from eventapp.events.enums import EventStatus
from eventapp.events.models import Event
from eventapp.extensions import db
from eventapp.registrations.enums import ACTIVE_STATUSES, RegistrationStatus
from eventapp.registrations.models import Registration, RegistrationToken
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


def seat_counts(event_id: int, *, now: datetime | None = None) -> SeatCounts:
    """Counts by status for one event. One query."""
    now = now or utcnow()
    offered = func.count().filter(
        and_(Registration.status == RegistrationStatus.WAITLISTED, Registration.offer_expires_at > now)
    )
    rows = db.session.execute(
        select(Registration.status, func.count(), offered)
        .where(Registration.event_id == event_id, Registration.status.in_(ACTIVE_STATUSES))
        .group_by(Registration.status)
    ).all()
    by_status = {status: count for status, count, _ in rows}
    return SeatCounts(
        confirmed=by_status.get(RegistrationStatus.CONFIRMED, 0),
        waitlisted=by_status.get(RegistrationStatus.WAITLISTED, 0),
        pending=by_status.get(RegistrationStatus.PENDING, 0),
        offered=sum(o for _, _, o in rows),
    )


def seat_counts_and_registration(event_id: int, email: str, *, now: datetime) -> tuple[SeatCounts, int | None]:
    """``seat_counts`` and the id of ``email``'s registration that is not cancelled (or None), in one
    query: what a sign-up reads while it holds the event's lock, so the lock is held for one round trip."""
    offered = func.count().filter(
        and_(Registration.status == RegistrationStatus.WAITLISTED, Registration.offer_expires_at > now)
    )
    theirs = func.max(case((Registration.email == email, Registration.id)))
    rows = db.session.execute(
        select(Registration.status, func.count(), offered, theirs)
        .where(Registration.event_id == event_id, Registration.status != RegistrationStatus.CANCELLED)
        .group_by(Registration.status)
    ).all()
    by_status = {status: count for status, count, _, _ in rows if status in ACTIVE_STATUSES}
    counts = SeatCounts(
        confirmed=by_status.get(RegistrationStatus.CONFIRMED, 0),
        waitlisted=by_status.get(RegistrationStatus.WAITLISTED, 0),
        pending=by_status.get(RegistrationStatus.PENDING, 0),
        offered=sum(o for status, _, o, _ in rows if status in ACTIVE_STATUSES),
    )
    return counts, next((rid for _, _, _, rid in rows if rid is not None), None)


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


def _counts_statement(where: Any) -> Select[Any]:
    """Counts by status, and the live offers among the waitlisted, of the events matching ``where``."""
    table = Registration.__table__
    offered = func.count().filter(
        and_(table.c.status == RegistrationStatus.WAITLISTED.value, table.c.offer_expires_at > bindparam("now"))
    )
    return (
        select(table.c.status, func.count(), offered)
        .select_from(table.join(Event.__table__, Event.__table__.c.id == table.c.event_id))
        .where(where, table.c.status.in_([s.value for s in ACTIVE_STATUSES]))
        .group_by(table.c.status)
    )


# Built once: the event page runs this on every request (it is part of the page cache key), so it skips
# the ORM and the statement construction.
_COUNTS_BY_SLUG = _counts_statement(Event.__table__.c.slug == bindparam("slug"))


def seat_counts_for_slug(slug: str, *, now: datetime | None = None) -> SeatCounts:
    """``seat_counts`` of the event with this slug (zeros for none). One query."""
    rows = db.session.connection().execute(_COUNTS_BY_SLUG, {"slug": slug, "now": now or utcnow()}).all()
    by_status = {RegistrationStatus(status): count for status, count, _ in rows}
    return SeatCounts(
        confirmed=by_status.get(RegistrationStatus.CONFIRMED, 0),
        waitlisted=by_status.get(RegistrationStatus.WAITLISTED, 0),
        pending=by_status.get(RegistrationStatus.PENDING, 0),
        offered=sum(o for _, _, o in rows),
    )


def event_for_sign_up(slug: str) -> Event | None:
    """A public event with what its sign-up form needs (requirements, questions): one query (an event has
    a handful of each, so joining both costs less than two more round trips)."""
    from eventapp.events.enums import PUBLIC_STATUSES

    return (
        db.session.scalars(
            select(Event)
            .where(Event.slug == slug, Event.status.in_(PUBLIC_STATUSES))
            .options(joinedload(Event.requirements), joinedload(Event.custom_questions))
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
