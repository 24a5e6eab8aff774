"""Who came to an event, for the survey: the people checked in; for an online event, every confirmed
person unless an organiser recorded attendance (checked anyone in), then the checked-in ones."""

from __future__ import annotations

from sqlalchemy import ColumnElement, Select, and_, exists, select

from eventapp.events.enums import EventFormat
from eventapp.events.models import Event
from eventapp.extensions import db
from eventapp.registrations.enums import RegistrationStatus
from eventapp.registrations.models import Registration
from eventapp.registrations.privacy import PURGED_DOMAIN


def attendance_recorded(event_id: int) -> ColumnElement[bool]:
    other = Registration.__table__.alias("checked")
    return exists().where(other.c.event_id == event_id, other.c.checked_in_at.is_not(None))


def came_clause(event: Event) -> ColumnElement[bool]:
    """A condition on ``Registration`` for "came to ``event``" (one SQL expression, no query of its own)."""
    checked_in = Registration.checked_in_at.is_not(None)
    not_purged = Registration.email.not_like(f"%{PURGED_DOMAIN}")
    if event.format is EventFormat.ONLINE:
        confirmed = Registration.status == RegistrationStatus.CONFIRMED
        return and_(not_purged, checked_in | (confirmed & ~attendance_recorded(event.id)))
    return and_(not_purged, checked_in)


def who_came(event: Event) -> Select[Registration]:
    return select(Registration).where(Registration.event_id == event.id, came_clause(event))


def came(registration: Registration) -> bool:
    """Whether this person came (one query at most)."""
    return bool(
        db.session.scalar(select(exists().where(Registration.id == registration.id, came_clause(registration.event))))
    )
