"""How registrations follow what happens to events, and what they add to the event page. Connected to the
events package's signals by the app factory (``eventapp.wiring``): events stand below registrations and
never import them (docs/ARCHITECTURE.md, "Layers")."""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from flask import render_template
from markupsafe import Markup

from eventapp.events import signals
from eventapp.events.enums import EventFormat, EventStatus, WaitlistMode
from eventapp.events.models import Event
from eventapp.mail.enums import MailReason
from eventapp.pagecache.store import fill_here, valid_until
from eventapp.registrations import queries, services
from eventapp.registrations.models import CustomQuestion, ParticipationRequirement
from eventapp.registrations.queries import SeatCounts


def after_update(event: Event, *, calendar_changed: bool, tell_attendees: bool, capacity_grew: bool) -> int:
    """An event changed (its lock is held): confirmed attendees get the updated invitation when asked, and a
    raised capacity (or a waiting list that promotes by itself) fills free seats. Returns how many were told."""
    told = (
        services.mail_confirmed_attendees(event, reason=MailReason.UPDATED)
        if calendar_changed and tell_attendees
        else 0
    )
    if capacity_grew or event.waitlist_mode is not WaitlistMode.OFFER:
        services.fill_free_seats_locked(event)
    return told


def after_cancel(event: Event, *, message: str) -> int:
    """A public event was cancelled (its lock is held): everyone on its lists is told. Returns how many."""
    return services.mail_event_cancelled(event, message=message)


def after_duplicate(copy: Event, *, source: Event) -> None:
    """A copy of an event takes the sign-up form's requirements and questions along."""
    copy.requirements = [ParticipationRequirement(position=r.position, text=r.text) for r in source.requirements]
    copy.custom_questions = [
        CustomQuestion(position=q.position, label=q.label, help_text=q.help_text, kind=q.kind, required=q.required,
                       choices=q.choices)
        for q in source.custom_questions
    ]  # fmt: skip


@dataclass(frozen=True)
class RegistrationFacts:
    """What the event page's registration box needs of an event besides its seats: plain values, kept
    with the cached page (the event's content version holds them true)."""

    id: int
    slug: str
    status: EventStatus
    format: EventFormat
    capacity: int | None
    online_capacity: int | None
    waitlist_enabled: bool
    requires_approval: bool
    registration_opens_at: datetime | None
    registration_closes_at: datetime | None
    starts_at: datetime
    ends_at: datetime
    tzinfo: ZoneInfo

    @classmethod
    def of(cls, event: Event) -> RegistrationFacts:
        return cls(**{f.name: getattr(event, f.name) for f in fields(cls)})


def page_part(event: Event) -> dict[str, Any]:
    """The place of the registration box on the event page: it is made for every answer (``page_fill``), so
    the cached page stays valid while people sign up. The state changes by itself when registration opens
    or closes, or the event starts or ends; the seats do not matter for that moment."""
    valid_until(queries.situation(event, SeatCounts()).changes_at)
    return {"registration_box": Markup(fill_here(RegistrationFacts.of(event)))}  # noqa: S704 - a constant mark


def page_fill(facts: object) -> str:
    """The event page's registration box with the seats as they are now (one query)."""
    if not isinstance(facts, RegistrationFacts):
        return ""
    situation = queries.situation(facts, queries.seat_counts(facts.id))  # type: ignore[arg-type]  # the Event fields it reads, as plain values
    return render_template("events/_registration_box.html", event=facts, situation=situation)


def connect() -> None:
    """Connect the receivers (idempotent: blinker keeps one connection per receiver)."""
    signals.event_updated.connect(after_update, weak=False)
    signals.event_cancelled.connect(after_cancel, weak=False)
    signals.event_duplicated.connect(after_duplicate, weak=False)
    signals.event_page.connect(page_part, weak=False)
    signals.event_page_fill.connect(page_fill, weak=False)
