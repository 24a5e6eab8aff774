"""How registrations follow what happens to events, and what they add to the event page. Connected to the
events package's signals by the app factory (``eventapp.wiring``): events stand below registrations and
never import them (docs/ARCHITECTURE.md, "Layers")."""

from __future__ import annotations

from typing import Any

from flask import g

from eventapp.events import signals
from eventapp.events.enums import WaitlistMode
from eventapp.events.models import Event
from eventapp.pagecache.store import valid_until
from eventapp.registrations import queries, services
from eventapp.registrations.models import CustomQuestion, ParticipationRequirement
from eventapp.registrations.queries import SeatCounts


def after_update(event: Event, *, calendar_changed: bool, tell_attendees: bool, capacity_grew: bool) -> int:
    """An event changed (its lock is held): confirmed attendees get the updated invitation when asked, and a
    raised capacity (or a waiting list that promotes by itself) fills free seats. Returns how many were told."""
    told = services.mail_confirmed_attendees(event, reason="updated") if calendar_changed and tell_attendees else 0
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


def page_key(slug: str) -> SeatCounts:
    """The event page shows seats left: part of its cache key, and kept for the view (one query)."""
    g.seat_counts = queries.seat_counts_for_slug(slug)
    return g.seat_counts


def page_part(event: Event) -> dict[str, Any]:
    """The sign-up situation the event page shows (seats, waiting list, open or closed)."""
    counts = g.get("seat_counts") or queries.seat_counts(event.id)
    situation = queries.situation(event, counts)
    valid_until(situation.changes_at)  # registration opens or closes, the event starts or ends
    return {"situation": situation}


def connect() -> None:
    """Connect the receivers (idempotent: blinker keeps one connection per receiver)."""
    signals.event_updated.connect(after_update, weak=False)
    signals.event_cancelled.connect(after_cancel, weak=False)
    signals.event_duplicated.connect(after_duplicate, weak=False)
    signals.event_page_key.connect(page_key, weak=False)
    signals.event_page.connect(page_part, weak=False)
