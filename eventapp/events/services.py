"""Creating and changing events: the back office's use cases. Each is one transaction.

Changing the time, place or join link of a published event raises its calendar SEQUENCE and (when the
organiser chose to tell people) sends every confirmed attendee an updated METHOD:REQUEST invitation.
Cancelling sends METHOD:CANCEL to the confirmed and a plain notice to everyone else still on a list.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from eventapp.accounts import audit
from eventapp.accounts.models import User
from eventapp.errors import NotAllowed, NotFound, ValidationFailed
from eventapp.events import signals
from eventapp.events.enums import EventFormat, EventKind, EventStatus, WaitlistMode
from eventapp.events.locking import lock_event
from eventapp.events.models import Event
from eventapp.extensions import db
from eventapp.transactions import use_case


@dataclass(frozen=True)
class EventData:
    """What the event form holds, already converted to instants in UTC."""

    title: str
    slug: str
    summary: str
    description_md: str
    kind: EventKind
    format: EventFormat
    programme_id: int | None
    timezone: str
    starts_at: datetime
    ends_at: datetime
    language: str
    venue_name: str = ""
    venue_address: str = ""
    city: str = ""
    venue_country: str = ""
    directions: str = ""
    latitude: float | None = None
    longitude: float | None = None
    online_url: str = ""
    capacity: int | None = None
    online_capacity: int | None = None  #: a hybrid event's online seats (``capacity``: its seats on site)
    waitlist_enabled: bool = True
    waitlist_mode: WaitlistMode = WaitlistMode.AUTOMATIC
    offer_hours: int = 48
    requires_approval: bool = False
    quota_per_organisation: int | None = None
    registration_opens_at: datetime | None = None
    registration_closes_at: datetime | None = None
    reminder_day_before: bool = True
    reminder_hour_before: bool = True
    reminder_note: str = ""


#: Changes that make calendars out of date: they raise SEQUENCE and are worth telling attendees about.
CALENDAR_FIELDS = ("starts_at", "ends_at", "timezone", "venue_name", "venue_address", "city", "online_url", "format",
                   "latitude", "longitude")  # fmt: skip


def _check(data: EventData, *, event_id: int | None) -> None:
    if data.ends_at <= data.starts_at:
        raise ValidationFailed("ends_at", _l("The event must end after it starts."))
    if (
        data.registration_opens_at
        and data.registration_closes_at
        and (data.registration_closes_at <= data.registration_opens_at)
    ):
        raise ValidationFailed("registration_closes_at", _l("Registration must close after it opens."))
    if data.format is not EventFormat.ONLINE and not data.venue_name.strip():
        raise ValidationFailed("venue_name", _l("An event people attend in person needs a venue."))
    if data.format is not EventFormat.HYBRID and data.online_capacity is not None:
        raise ValidationFailed("online_capacity", _l("Only a hybrid event has online seats of its own."))
    if (data.latitude is None) != (data.longitude is None):
        missing = "latitude" if data.latitude is None else "longitude"
        raise ValidationFailed(missing, _l("Give both the latitude and the longitude, or neither."))
    if data.latitude is not None and not -90 <= data.latitude <= 90:
        raise ValidationFailed("latitude", _l("A latitude is between -90 and 90 degrees."))
    if data.longitude is not None and not -180 <= data.longitude <= 180:
        raise ValidationFailed("longitude", _l("A longitude is between -180 and 180 degrees."))
    taken = db.session.scalars(select(Event.id).where(Event.slug == data.slug)).first()
    if taken is not None and taken != event_id:
        raise ValidationFailed("slug", _l("Another event already has this address. Choose another."))


def _check_programme(programme_id: int | None, *, actor: User, current_id: int | None) -> None:
    """An event joins only a programme its organiser manages (admins: any); one it already belongs to
    stays. A forged choice is refused on the field."""
    from eventapp.programmes.models import Programme
    from eventapp.programmes.permissions import can_manage_programme

    if programme_id is None or programme_id == current_id:
        return
    programme = db.session.get(Programme, programme_id)
    if programme is None or not can_manage_programme(actor, programme):
        raise ValidationFailed("programme_id", _l("You can only add the event to a programme you manage."))


@use_case
def create_event(data: EventData, *, actor: User) -> Event:
    """A new draft event owned by ``actor``. Side effects: the event row, an audit entry."""
    _check(data, event_id=None)
    _check_programme(data.programme_id, actor=actor, current_id=None)
    event = Event(**{f.name: getattr(data, f.name) for f in fields(EventData)}, status=EventStatus.DRAFT,
                  created_by_id=actor.id)  # fmt: skip
    db.session.add(event)
    db.session.flush()
    audit.record("event.created", actor=actor, event_id=event.id)
    db.session.commit()
    return event


@dataclass(frozen=True)
class EventChange:
    changed: tuple[str, ...]
    calendar_changed: bool
    told: int  #: confirmed attendees sent an updated invitation


def calendar_changes(event: Event, data: EventData) -> tuple[str, ...]:
    return tuple(name for name in CALENDAR_FIELDS if getattr(event, name) != getattr(data, name))


def _grew(before: int | None, after: int | None) -> bool:
    """Whether a capacity (None: no limit) rose."""
    return before is not None and (after is None or after > before)


@use_case
def update_event(event_id: int, data: EventData, *, actor: User, tell_attendees: bool) -> EventChange:
    """Save the form. If the time, place or join link of a public event changed, SEQUENCE rises (so
    calendars replace the old entry) and, with ``tell_attendees``, every confirmed attendee gets an
    updated METHOD:REQUEST invitation through the outbox. A raised capacity fills free seats from the
    waiting list. Side effects: the event row, an audit entry, and what the receivers of
    ``signals.event_updated`` do (registrations: the mails and the promotions)."""
    event = db.session.get(Event, event_id)
    if event is None:
        raise NotFound()
    _check(data, event_id=event.id)
    _check_programme(data.programme_id, actor=actor, current_id=event.programme_id)
    event = lock_event(event_id)  # then compared and changed under the lock, on SQLite too
    changed = tuple(f.name for f in fields(EventData) if getattr(event, f.name) != getattr(data, f.name))
    before = {name: getattr(event, name) for name in changed}  # for the change log
    calendar_changed = bool(calendar_changes(event, data)) and event.is_public
    capacity_grew = _grew(event.capacity, data.capacity) or (
        data.format is EventFormat.HYBRID and _grew(event.online_capacity, data.online_capacity)
    )
    for name in changed:
        setattr(event, name, getattr(data, name))
    if calendar_changed:
        event.calendar_sequence += 1
    told = signals.told(
        signals.event_updated.send(
            event, calendar_changed=calendar_changed, tell_attendees=tell_attendees, capacity_grew=capacity_grew
        )
    )
    audit.record("event.updated", actor=actor, event_id=event.id, told=told,
                 changes=audit.changes(**{name: (before[name], getattr(event, name)) for name in changed}))  # fmt: skip
    db.session.commit()
    return EventChange(changed=changed, calendar_changed=calendar_changed, told=told)


@use_case
def set_published(event_id: int, *, published: bool, actor: User) -> None:
    """Publish a draft (it appears in the catalogue and takes registrations) or take it back to draft.
    A cancelled event cannot be published again. Publishing a draft sends ``signals.event_published``
    before the commit (the programme's interest list is written to, in this transaction)."""
    event = db.session.get(Event, event_id)
    if event is None:
        raise NotFound()
    if event.status is EventStatus.CANCELLED:
        raise NotAllowed(_l("A cancelled event cannot be published again. Duplicate it instead."))
    was_draft = event.status is EventStatus.DRAFT
    event.status = EventStatus.PUBLISHED if published else EventStatus.DRAFT
    audit.record("event.published" if published else "event.unpublished", actor=actor, event_id=event.id)
    if published and was_draft:
        signals.event_published.send(event)  # receivers (interest lists) add their rows to this transaction
    db.session.commit()


@use_case
def cancel_event(event_id: int, *, actor: User, message: str) -> int:
    """Cancel an event: its page stays, marked cancelled; SEQUENCE rises; confirmed attendees get
    METHOD:CANCEL with ``message``, everyone else on a list a notice (the receivers of
    ``signals.event_cancelled``). Returns how many were told."""
    event = lock_event(event_id)
    if event.status is EventStatus.CANCELLED:
        raise NotAllowed(_l("The event is already cancelled."))
    was_public = event.is_public
    event.status = EventStatus.CANCELLED
    event.calendar_sequence += 1
    told = signals.told(signals.event_cancelled.send(event, message=message)) if was_public else 0
    audit.record("event.cancelled", actor=actor, event_id=event.id, note=message, told=told)
    db.session.commit()
    return told


@use_case
def duplicate_event(event_id: int, *, actor: User) -> Event:
    """A draft copy (for next year's edition): texts, place, settings, questions and requirements;
    no registrations (the receivers of ``signals.event_duplicated`` copy the questions and requirements).
    The organiser then sets the new dates."""
    source = db.session.get(Event, event_id)
    if source is None:
        raise NotFound()
    copy_data = {f.name: getattr(source, f.name) for f in fields(EventData)}
    base = f"{source.slug}-copy"
    slug, n = base, 1
    while db.session.scalars(select(Event.id).where(Event.slug == slug)).first() is not None:
        n += 1
        slug = f"{base}-{n}"
    copy_data.update(slug=slug, title=str(_l("Copy of %(title)s", title=source.title))[:300])
    event = Event(**copy_data, status=EventStatus.DRAFT, created_by_id=actor.id)
    db.session.add(event)
    signals.event_duplicated.send(event, source=source)
    db.session.flush()
    audit.record("event.created", actor=actor, event_id=event.id, source=source.slug)
    db.session.commit()
    return event
