"""What surveys do on a lower layer's signals (connected by the app factory)."""

from __future__ import annotations

from eventapp.materials import signals as material_signals
from eventapp.surveys.chores import invite_with_followup


def followup_survey(event, *, people, now) -> set[int]:
    """The follow-up mail carries the survey's link for those who came (marked as asked)."""
    return invite_with_followup(event, people, now=now)


def connect() -> None:
    material_signals.followup_survey.connect(followup_survey, weak=False)
