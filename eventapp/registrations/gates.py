"""Who may sign up for an event, when another part of the service restricts it: a small hook.

The registrations domain does not know why an event is restricted (today: the event is for the accepted
organisations of a call, see ``eventapp.calls.restricted``, a layer above this one). A part that restricts
events registers a gate; a gate answers None for events it does not restrict. ``services.register`` asks
``admission(event, pass_token)`` inside the event's lock (only an organiser adding someone by hand passes
without), so no way of signing up skips it; the sign-up view asks too, before it shows the form.

A gate may also give a SQL condition on the event row (``may_restrict``: false when it surely does not
restrict the event). The sign-up's event query reads these conditions with the event
(``queries.event_for_sign_up``, ``note_restrictions``), and ``admission`` then skips, for the rest of the
request, a gate whose condition was false: an open event's sign-up asks no gate its own query (it was one
statement of seven)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from flask import g, has_app_context
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
#: A condition on ``events`` (correlated, e.g. an EXISTS): false when the gate does not restrict that event.
MayRestrict = Callable[[], Any]
_GATES: list[Gate] = []
_MAY_RESTRICT: dict[Gate, MayRestrict] = {}
#: ``flask.g`` key: per event id, the gates that do not restrict it (as read with the event, this request).
_NOT_RESTRICTING = "eventapp_gates_not_restricting"


def register_gate(gate: Gate, *, may_restrict: MayRestrict | None = None) -> None:
    """Add ``gate`` (once, however many apps are made); ``may_restrict`` (optional) gives its condition."""
    if gate not in _GATES:
        _GATES.append(gate)
    if may_restrict is not None:
        _MAY_RESTRICT[gate] = may_restrict


def hinted() -> tuple[Gate, ...]:
    """The gates that give a ``may_restrict`` condition, in the order of ``restriction_columns``."""
    return tuple(gate for gate in _GATES if gate in _MAY_RESTRICT)


def restriction_columns() -> list[Any]:
    """The gates' ``may_restrict`` conditions, as columns for a query of events (in ``hinted`` order)."""
    return [_MAY_RESTRICT[gate]().label(f"gate_{number}") for number, gate in enumerate(hinted())]


def note_restrictions(event_id: int, values: Sequence[Any]) -> None:
    """Remember for this request what ``restriction_columns`` read for the event ``event_id``."""
    skipped = frozenset(gate for gate, value in zip(hinted(), values, strict=True) if not value)
    g.setdefault(_NOT_RESTRICTING, {})[event_id] = skipped


def admission(event: Event, pass_token: str = "") -> Admission:
    """The first gate's answer for ``event``, or OPEN when no gate restricts it (gates known, from the
    event's query in this request, not to restrict it are not asked)."""
    skipped: frozenset[Gate] = frozenset()
    if has_app_context():
        skipped = g.get(_NOT_RESTRICTING, {}).get(event.id, frozenset())
    for gate in _GATES:
        if gate in skipped:
            continue
        answer = gate(event, pass_token)
        if answer is not None:
            return answer
    return OPEN
