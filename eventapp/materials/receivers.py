"""What materials add to the pages of the layers below them: the event page's materials section and the
attendee's own page. Connected by the app factory (``eventapp.wiring``); events and registrations never
import materials (docs/ARCHITECTURE.md, "Layers")."""

from __future__ import annotations

from typing import Any

from eventapp.events import signals as event_signals
from eventapp.events.models import Event
from eventapp.materials import queries
from eventapp.registrations import signals as registration_signals
from eventapp.registrations.models import Registration


def event_page_part(event: Event) -> dict[str, Any]:
    """The published materials of the event (None until they are published)."""
    return {"materials": queries.public_section(event)}


def registration_page_part(registration: Registration) -> dict[str, Any]:
    """The materials for attendees, for a confirmed attendee once published."""
    return {"materials": queries.attendee_section(registration)}


def connect() -> None:
    """Connect the receivers (idempotent: blinker keeps one connection per receiver)."""
    event_signals.event_page.connect(event_page_part, weak=False)
    registration_signals.registration_page.connect(registration_page_part, weak=False)
