"""What "new materials" does on the materials' signals (connected by the app factory)."""

from __future__ import annotations

from eventapp.materialnews.services import record_announced
from eventapp.materials import signals as material_signals


def followup_written(event, *, section, now) -> None:
    """What the follow-up mail listed is no longer news."""
    record_announced(event, section, now=now)


def connect() -> None:
    material_signals.followup_written.connect(followup_written, weak=False)
