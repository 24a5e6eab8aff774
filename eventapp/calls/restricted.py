"""Events for the organisations accepted to a call: the gate the sign-up view asks (see
``registrations.gates``), the events a call restricts, and setting them.

An accepted application's personal link token is also its organisation's pass: the contact shares the
sign-up link (``/events/<slug>/register?pass=<token>``) with colleagues, who sign up as people of that
organisation, so the event's organisation quota counts them together. Anyone else is told whom to ask."""

from __future__ import annotations

from typing import Any

from flask import g
from flask_babel import get_locale
from flask_babel import gettext as _
from sqlalchemy import delete, exists, select
from sqlalchemy.orm import selectinload

from eventapp.accounts import audit
from eventapp.accounts.models import User
from eventapp.calls.enums import ApplicationStatus
from eventapp.calls.models import Call, CallEvent
from eventapp.calls.queries import application_by_token
from eventapp.errors import NotFound
from eventapp.events.models import Event
from eventapp.extensions import db
from eventapp.registrations.gates import Admission
from eventapp.transactions import use_case


def _restricting_calls(event_id: int) -> frozenset[int]:
    """The calls that restrict the event. A sign-up asks twice (the view before it shows or takes the form,
    the use case inside the event's lock): one query per request, so an open event's sign-up costs no
    statement more inside the lock. Changing a call's events forgets the answer (``set_restricted_events``)."""
    known: dict[int, frozenset[int]] = g.setdefault("restricting_calls", {})
    if event_id not in known:
        known[event_id] = frozenset(db.session.scalars(select(CallEvent.call_id).where(CallEvent.event_id == event_id)))
    return known[event_id]


def restricts() -> Any:
    """The gate's condition on the event row (``registrations.gates``): does any call restrict it?"""
    return exists().where(CallEvent.event_id == Event.id)


def admission(event: Event, pass_token: str) -> Admission | None:
    """None for an event no call restricts; else whether ``pass_token`` lets its bearer in. One query the first
    time in a request, none after; one more with a pass (two when refused: the calls' titles in the reader's
    language)."""
    call_ids = _restricting_calls(event.id)
    if not call_ids:
        return None
    application = application_by_token(pass_token) if pass_token else None
    if application is not None and application.call_id in call_ids and application.status is ApplicationStatus.ACCEPTED:
        return Admission(
            restricted=True, admitted=True, organisation=application.organisation,
            organisation_number=application.organisation_number, country=application.country,
            organisation_type=application.organisation_type,
        )  # fmt: skip
    locale = str(get_locale())
    calls = db.session.scalars(select(Call).where(Call.id.in_(call_ids)).options(selectinload(Call.translations)))
    titles = ", ".join(f"“{call.title_in(locale)[0]}”" for call in calls)  # in the reader's language where given
    return Admission(
        restricted=True,
        admitted=False,
        reason=_("This event is only for the organisations taking part in %(calls)s. If your organisation takes "
                 "part, ask its contact person for the sign-up link; otherwise contact the programme.", calls=titles),
    )  # fmt: skip


def restricted_events(call_id: int) -> list[Event]:
    """The events only for this call's accepted organisations, by start. One query."""
    stmt = (
        select(Event)
        .join(CallEvent, CallEvent.event_id == Event.id)
        .where(CallEvent.call_id == call_id)
        .order_by(Event.starts_at)
    )
    return list(db.session.scalars(stmt))


@use_case
def set_restricted_events(call_id: int, event_ids: set[int], *, actor: User) -> None:
    """Make exactly ``event_ids`` (events of the call's programme) the call's restricted events."""
    call = db.session.get(Call, call_id)
    if call is None:
        raise NotFound()
    allowed = set(db.session.scalars(select(Event.id).where(Event.programme_id == call.programme_id)))
    wanted = event_ids & allowed
    db.session.execute(delete(CallEvent).where(CallEvent.call_id == call_id, CallEvent.event_id.not_in(wanted)))
    existing = set(db.session.scalars(select(CallEvent.event_id).where(CallEvent.call_id == call_id)))
    db.session.add_all(CallEvent(call_id=call_id, event_id=e) for e in wanted - existing)
    audit.record("call.events", actor=actor, event_id=None, call_id=call_id, call=call.title, events=sorted(wanted),
                 count=len(wanted))  # fmt: skip
    db.session.commit()
    g.pop("restricting_calls", None)
