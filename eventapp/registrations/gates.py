"""Who may sign up for an event, when another part of the service restricts it: a small hook.

The registrations domain does not know why an event is restricted (today: the event is for the accepted
organisations of a call, see ``eventapp.calls.restricted``, a layer above this one). A part that restricts
events registers a gate; a gate answers None for events it does not restrict. ``services.register`` asks
``admission(event, pass_token)`` inside the event's lock (only an organiser adding someone by hand passes
without), so no way of signing up skips it; the sign-up view asks too, before it shows the form."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from eventapp.errors import DomainError
from eventapp.events.models import Event
from eventapp.registrations.enums import OrganisationType


class NotAdmitted(DomainError):
    """A restricted event, and no pass that lets this person in (the message says whom to ask)."""

    status_code = 403
    default_message = _l("This event is only for invited organisations.")


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
