"""What the registrations package announces to the layers above it (docs/ARCHITECTURE.md, "Layers")."""

from __future__ import annotations

from blinker import Namespace

_signals = Namespace()

#: A person's own page (/r/<token>) is drawn. Sender: the registration; a receiver returns a dict that
#: joins the template's context (materials: ``materials``, for confirmed attendees once published).
registration_page = _signals.signal("registration-page")
