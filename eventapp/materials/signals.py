"""What the materials package announces to the layers above it (docs/ARCHITECTURE.md, "Layers"):
the follow-up mail, so that surveys add their link to it and "new materials" knows what it listed.
Receivers run inside ``publish_materials``'s transaction, before its commit."""

from __future__ import annotations

from typing import Any

from blinker import Namespace

_signals = Namespace()

#: The follow-up mail is about to be written. Sender: the event (locked); ``people``: the confirmed
#: registrations it goes to; ``now``. A receiver returns the ids of those whose mail carries the feedback
#: survey's link (surveys: the people who came, when the event's survey is open), or None.
followup_survey = _signals.signal("followup-survey")

#: The follow-up mail was written. Sender: the event; ``section``: the materials it listed; ``now``.
followup_written = _signals.signal("followup-written")


def survey_ids(event: object, people: list[Any], now: object) -> set[int]:
    """The ids every receiver of ``followup_survey`` chose."""
    chosen: set[int] = set()
    for _receiver, value in followup_survey.send(event, people=people, now=now):
        chosen |= set(value or ())
    return chosen
