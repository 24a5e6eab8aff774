"""Who may sign up for an event, when another part of the service restricts it: a small hook.

The registrations domain does not know why an event is restricted (today: the event is for the accepted
organisations of a call, see ``eventapp.calls.restricted``, a layer above this one). A part that restricts
events registers a gate; the sign-up view asks ``admission(event, pass_token)`` before it shows or takes
the form. A gate answers None for events it does not restrict."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from eventapp.events.models import Event
from eventapp.registrations.enums import OrganisationType


@dataclass(frozen=True)
class Admission:
    #: The event takes only the people a gate lets in.
    restricted: bool
    #: This pass lets the person in.
    admitted: bool
    #: Why the event is restricted, and whom to ask (for anyone not let in).
    reason: str = ""
    #: The organisation the pass is for: a sign-up through it counts for this organisation's quota.
    organisation: str = ""
    organisation_number: str = ""
    country: str = ""
    organisation_type: OrganisationType | None = None


OPEN = Admission(restricted=False, admitted=True)

Gate = Callable[[Event, str], Admission | None]
_GATES: list[Gate] = []


def register_gate(gate: Gate) -> None:
    """Add ``gate`` (once, however many apps are made)."""
    if gate not in _GATES:
        _GATES.append(gate)


def admission(event: Event, pass_token: str = "") -> Admission:
    """The first gate's answer for ``event``, or OPEN when no gate restricts it."""
    for gate in _GATES:
        answer = gate(event, pass_token)
        if answer is not None:
            return answer
    return OPEN
